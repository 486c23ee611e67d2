/**
 * Is a block that ends without a sentence mark cut by a column break (join it to the next block), or
 * is it a paragraph of its own (a subhead such as `国际人士：美国无视国际规则 实施霸权行径`, a list item
 * ending in ；, a lead-in ending in ：)? Real articles have such lines; pages have column breaks.
 *
 * The text decides, with the evidence weighed as log-likelihood ratios measured on real news (subheads
 * and list lines of complete articles against column breaks cut at random into the same articles):
 * a dictionary word across the junction says "cut"; a short line without clause marks that says what
 * the next paragraph goes on to say (their words recur), has spaces between its phrases, or is
 * followed by a sentence opener (`据…`, `15日，…`) says "subhead". Where nothing tells, it joins
 * (on a page, column breaks are far more common than subheads) and marks the decision weak, for
 * `check` to report. The weights are the measured ones, rounded; the threshold was set so that both
 * kinds of page come out right (`npm run bench:parse`, `npx tsx bench/relaid-pages.ts`).
 */
import { spansWord, type WordList } from './dictionary-words.js';
import { isCreditLine } from './news-ending.js';

export interface Junction {
  join: boolean;
  /** How the evidence leaned: > THRESHOLD towards a paragraph end, below towards a cut. */
  score: number;
  /** The evidence was close either way: `check` says so, so an editor can look. */
  weak: boolean;
}

/** Marks that cannot open a paragraph: what follows them continues the text before. */
const CANNOT_OPEN = /^[，。、；：！？”’」』）》】…,.;:!?)\]]/u;
/** Marks after which a paragraph cannot end. */
const CANNOT_CLOSE = /[，、“‘「『（《【(\[]$/u;
/** A line with one of these has clauses: body text, not a subhead. */
const CLAUSE_MARK = /[，。；！？,;!?]/u;
const MAX_SUBHEAD = 60;
/** How a paragraph of news opens: a date, a source, a connective that starts a sentence. */
const OPENER = /^(?:(?:\d{1,2}月)?\d{1,2}日[，,]|(?:据|近日|日前|今天|昨天|目前|当地时间|央视网消息|新华社|本报讯|针对|对此|此外|另外|随后|会上|当天|连日来))/u;
/** Characters that rarely end a subhead but often end a piece cut mid-phrase. */
const OPEN_ENDING = /[的在和与及对把被从向将是为以于由而并但等了这其各之]$/u;
/** Above this, the line reads as a paragraph of its own. */
const THRESHOLD = 1;
/**
 * Scores this close to the threshold are weak evidence and `check` says so. Below it reaches down to
 * a line without any evidence either way (a short line that neither restates the next paragraph nor
 * is split by a word): joined, as column breaks are the commoner, but worth an editor's look.
 */
const WEAK_BELOW = 1.6;
const WEAK_ABOVE = 1;

/**
 * @example readJunction('今年以来，作为衢州市工业的主战', '场、主平台。', words).join // true
 * @example readJunction('国际人士：美国无视国际规则 实施霸权行径', '国际人士指出，美国为了维持霸权，无视国际规则。', words).join // false
 */
export function readJunction(before: string, after: string, words: WordList): Junction {
  const a = before.trimEnd();
  const b = after.trimStart();
  // Credits (`记者 张三 摄`, `（联系电话：…）`) never continue a sentence, whatever comes before them.
  if (isCreditLine(b)) return { join: false, score: Infinity, weak: false };
  if (CANNOT_OPEN.test(b) || CANNOT_CLOSE.test(a)) return { join: true, score: -Infinity, weak: false };
  // `他说：` + `“…` is one sentence; `贺电说：` + `70年来，…` and list items (`…称号；`) are lines of their own.
  if (/[：:]$/u.test(a)) return /^[“‘「『]/u.test(b) ? { join: true, score: -Infinity, weak: false } : { join: false, score: Infinity, weak: false };
  // A list item (`授予…称号；`) is one clause; a piece of a paragraph cut after a ； has clauses before it.
  if (/[；;]$/u.test(a)) return CLAUSE_MARK.test(a.slice(0, -1)) ? { join: true, score: -Infinity, weak: false } : { join: false, score: Infinity, weak: false };
  // A quotation left open goes on: a subhead does not leave one open.
  if (openQuotes(a) > 0) return { join: true, score: -Infinity, weak: false };
  const length = [...a].length;
  if (CLAUSE_MARK.test(a) || length > MAX_SUBHEAD) return { join: true, score: -Infinity, weak: false };

  let score = 0;
  score += spansWord(a, b, words) ? -3.5 : 0.6;
  score += length >= 8 ? 0.6 : -3.2;
  score += /[\s\u3000]/u.test(a) ? 2.7 : -0.35;
  const pairs = hanPairs(a).size;
  score += pairs > 0 && sharedPairs(a, b.slice(0, 80)) / pairs >= 0.3 ? 2.4 : -1.2;
  // `人，杭州…`: a paragraph does not open with a clause of a character or two, unless it is a connective (`对此，`).
  const firstClause = /^[^，、,]{1,3}[，、,]/u.exec(b);
  if (firstClause && !OPENER.test(b)) score -= 2;
  score += OPENER.test(b) ? 2.2 : -0.17;
  if (OPEN_ENDING.test(a)) score -= 1.5;
  if (/^[（(]/u.test(b) || /^[（(].*[）)]$/u.test(a)) score += 1;
  return { join: score <= THRESHOLD, score, weak: score >= THRESHOLD - WEAK_BELOW && score <= THRESHOLD + WEAK_ABOVE };
}

/** Distinct pairs of adjacent Han characters of `a` also found in `b`. */
function sharedPairs(a: string, b: string): number {
  const theirs = hanPairs(b);
  let shared = 0;
  for (const pair of hanPairs(a)) if (theirs.has(pair)) shared++;
  return shared;
}

function hanPairs(text: string): Set<string> {
  const pairs = new Set<string>();
  const chars = [...text];
  for (let i = 1; i < chars.length; i++) if (isHan(chars[i - 1]!) && isHan(chars[i]!)) pairs.add(chars[i - 1]! + chars[i]!);
  return pairs;
}

/** CJK ideographs (the common and extension A blocks, compatibility ideographs); by code, as this runs per character. */
function isHan(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x3134f);
}

/** Opening minus closing quotes and brackets. */
function openQuotes(text: string): number {
  let depth = 0;
  for (const ch of text) {
    if ('“‘「『《（('.includes(ch)) depth++;
    else if ('”’」』》）)'.includes(ch)) depth--;
  }
  return depth;
}
