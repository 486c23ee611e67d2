/**
 * How Chinese news ends: `（完）`, reporters' credits in brackets (`（记者 张三 李四）`, `(南方网郭雪营)`),
 * lines of `来源：… 作者：…`, `编辑：`, `责任编辑：`, `通讯员 …`, a photographer's `新华社记者杨冠宇摄`,
 * a contact telephone. These close an article; they are the item's metadata, not its body text, and
 * an article that ends with them is finished.
 */
import { parseNames } from './byline.js';

export interface NewsEnding {
  /** The paragraphs without the ending. */
  body: string[];
  /** The ending as printed (several pieces joined by a space), or null when there is none. */
  credit: string | null;
  /** Reporters, authors and correspondents the ending names. */
  authors: string[];
  /** Photographers the ending names (`… 摄`). */
  photographers: string[];
  /** Where the story comes from (`来源：中安在线`), or null. */
  origin: string | null;
}

const OPEN = '[（(【\\[]';
const CLOSE = '[）)】\\]]';
/** `（完）`, `【完】`, `(全文完)`. */
const DONE = new RegExp(`${OPEN}\\s*(?:全文)?完\\s*${CLOSE}$`, 'u');
/** A bracketed credit after the last sentence: short, no clause marks, e.g. `（记者 张三 李四）`, `(南方网郭雪营)`. */
const BRACKETED = new RegExp(`${OPEN}([^（()）【】\\[\\]，。；！？,;!?]{2,40})${CLOSE}$`, 'u');
/** Labelled credit fields: `来源：中安在线 作者：陈海宾`, `责任编辑：张三`, `文/张三 图/李四`. */
const FIELD_LABEL = '(?:来源|稿源|作者|撰文|文字|记者|通讯员|实习生|编辑|责任编辑|责编|主编|审核|审校|校对|值班编辑|编审|监制|制作|摄影|摄像|图片|图|文|供图|联系电话|电话|热线|原标题)';
const FIELD_LINE = new RegExp(`^(?:${FIELD_LABEL}\\s*[：:/／|｜]\\s*[^：:]{1,30}?\\s*)+$`, 'u');
/** `记者 张三 通讯员 李四`, `本报记者 张三`, `通讯员 李四 王五`. */
const ROLE_LINE = /^(?:(?:本报|新华社|央视|总台)?(?:记者|通讯员|实习生|特约记者)[\s\u3000]*(?:[\u3400-\u9fff·]{2,6}[\s\u3000、]*){1,6})+$/u;
/** A photographer's credit: `新华社记者杨冠宇摄`, `张三 李四 摄`, `本报记者 张三/摄`. */
const PHOTO_LINE = /^[^，。；！？]{2,30}?[\s\u3000]*[/／]?[\s\u3000]*摄(?:影)?$/u;
/** A contact line: `联系电话：0570-1234567`, `（咨询电话 0570-8765432）`. */
const PHONE = /^(?:[（(])?[^，。]{0,10}(?:电话|热线)[：:\s]*[\d\-－—\s、,，]{7,}(?:[）)])?$/u;
/** The words a bracketed credit holds when it is one (a reporter, an agency, a site), not an aside. */
const CREDIT_WORD = /记者|通讯员|实习生|编辑|作者|摄|供图|来源|报道|网|社|台|报|文\/|图\/|电话|热线/u;
/** Role words that a run of names can swallow (`记者 张三 通讯员 李四`). */
const ROLE_WORD = /^(?:本报|新华社|央视|总台)?(?:记者|通讯员|实习生|特约记者|编辑|作者)$/u;
const SENTENCE_END = /[。！？!?…][”’」』）)】》〉"']*$/u;

/**
 * Splits the ending off an article's paragraphs: whole trailing lines that are credits, and credits
 * closing the last paragraph after its final sentence.
 * @example readEnding(['新华社北京电 …今天开幕。（记者 张三 李四）', '（完）']).authors // ['张三', '李四']
 */
export function readEnding(paragraphs: readonly string[]): NewsEnding {
  const body = [...paragraphs];
  const pieces: string[] = [];
  // Whole lines at the end.
  while (body.length > 1 && isCreditLine(body[body.length - 1]!)) pieces.unshift(body.pop()!);
  // Credits closing the last paragraph: `…开幕。（记者 张三）（完）`, only after a whole sentence.
  const closing = body.length > 0 ? closingCredits(body[body.length - 1]!) : null;
  if (closing) {
    body[body.length - 1] = closing.rest;
    pieces.unshift(...closing.pieces);
  }
  if (pieces.length === 0) return { body: [...paragraphs], credit: null, authors: [], photographers: [], origin: null };
  const authors: string[] = [];
  const photographers: string[] = [];
  let origin: string | null = null;
  for (const piece of pieces) {
    const inner = piece.replace(new RegExp(`^${OPEN}|${CLOSE}$`, 'gu'), '').trim();
    const source = /(?:来源|稿源)\s*[：:]\s*([^\s：:]+)/u.exec(inner);
    if (source && origin === null) origin = source[1]!;
    const photo = /^(?:.*?记者)?[\s\u3000]*((?:[\u3400-\u9fff·]{2,4}[\s\u3000、]*)+?)[\s\u3000]*[/／]?[\s\u3000]*摄(?:影)?$/u.exec(inner);
    if (photo) {
      add(photographers, parseNames(photo[1]!.replace(/、/gu, ' ')) ?? []);
      continue;
    }
    for (const match of inner.matchAll(/(?:记者|通讯员|实习生|作者|撰文|文字|文)[\s\u3000]*[：:/／]?[\s\u3000]*((?:[\u3400-\u9fff·]{2,4}(?:[\s\u3000、]+|$))+)/gu)) {
      add(authors, (parseNames(match[1]!.replace(/、/gu, ' ')) ?? []).filter((name) => !ROLE_WORD.test(name)));
    }
  }
  return { body, credit: pieces.join(' '), authors, photographers, origin };
}

/** True when the whole line is a credit (so an article ending with it is finished). */
export function isCreditLine(line: string): boolean {
  const text = line.trim();
  if (text === '' || text.length > 60) return false;
  if (DONE.test(text) && text.replace(DONE, '').trim() === '') return true;
  if (FIELD_LINE.test(text) || ROLE_LINE.test(text) || PHONE.test(text)) return true;
  if (PHOTO_LINE.test(text) && /记者|[\s\u3000/／]摄/u.test(text)) return true;
  const bracketed = BRACKETED.exec(text);
  return bracketed !== null && bracketed.index === 0 && CREDIT_WORD.test(bracketed[1]!);
}

/** True when the text ends the way a finished article does: a whole credit line, or a sentence closed by credits. */
export function endsWithCredit(text: string): boolean {
  if (isCreditLine(text)) return true;
  return closingCredits(text) !== null;
}

/** The credits closing a paragraph after its last whole sentence, and the paragraph without them; null if none. */
function closingCredits(text: string): { rest: string; pieces: string[] } | null {
  let rest = text.trimEnd();
  const pieces: string[] = [];
  for (let piece = trailingCredit(rest); piece !== null; piece = trailingCredit(rest)) {
    pieces.unshift(piece.trim());
    rest = rest.slice(0, rest.length - piece.length).trimEnd();
  }
  return pieces.length > 0 && rest !== '' && SENTENCE_END.test(rest) ? { rest, pieces } : null;
}

/** The bracketed credit or `（完）` closing a text, or null. */
function trailingCredit(text: string): string | null {
  const done = DONE.exec(text);
  if (done) return done[0];
  const bracketed = BRACKETED.exec(text);
  if (bracketed && CREDIT_WORD.test(bracketed[1]!) || (bracketed && /^[\u3400-\u9fff·\s\u3000]{2,12}$/u.test(bracketed[1]!) && /[\s\u3000]/u.test(bracketed[1]!))) {
    return bracketed[0];
  }
  return null;
}

function add(list: string[], names: readonly string[]): void {
  for (const name of names) if (!list.includes(name)) list.push(name);
}
