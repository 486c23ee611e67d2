/**
 * Styled text as data (spans), turned into Telegram HTML only at the end. Keeping text and markup
 * apart means escaping cannot be forgotten, lengths are measured as Telegram measures them
 * (visible characters, after entities are parsed) and a message is never split inside a tag.
 */
import type { MarkedText } from '../answers/answer.js';

/** Telegram's limit on a message's text, in UTF-16 units after entity parsing. */
export const MESSAGE_MAX_LENGTH = 4096;

export interface Span {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  /** An `href` for an `<a>` tag. */
  link?: string;
}

/** A run of spans; its visible text is the concatenation of the span texts. */
export type Rich = Span[];

/**
 * Escape text for Telegram's HTML parse mode (the only entities it knows: &lt; &gt; &amp; &quot;).
 * @example escapeHtml('<b>&') // '&lt;b&gt;&amp;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

export function plain(text: string): Span {
  return { text };
}

export function bold(text: string): Span {
  return { text, bold: true };
}

export function italic(text: string): Span {
  return { text, italic: true };
}

/** Render spans as Telegram HTML; each span is wrapped on its own, so tags always nest and close. */
export function toHtml(rich: Rich): string {
  let html = '';
  for (const span of mergeSpans(rich)) {
    if (span.text === '') continue;
    let piece = escapeHtml(span.text);
    if (span.underline) piece = `<u>${piece}</u>`;
    if (span.italic) piece = `<i>${piece}</i>`;
    if (span.bold) piece = `<b>${piece}</b>`;
    if (span.link) piece = `<a href="${escapeHtml(span.link)}">${piece}</a>`;
    html += piece;
  }
  return html;
}

function sameStyle(a: Span, b: Span): boolean {
  return !!a.bold === !!b.bold && !!a.italic === !!b.italic && !!a.underline === !!b.underline && a.link === b.link;
}

/** Neighbouring spans of the same style as one (shorter HTML, same text). */
function mergeSpans(rich: Rich): Rich {
  const out: Rich = [];
  for (const span of rich) {
    if (span.text === '') continue;
    const last = out[out.length - 1];
    if (last && sameStyle(last, span)) out[out.length - 1] = { ...last, text: last.text + span.text };
    else out.push(span);
  }
  return out;
}

/** The text a reader sees (what Telegram measures against its limits). */
export function visibleText(rich: Rich): string {
  return rich.map((s) => s.text).join('');
}

export function richLength(rich: Rich): number {
  let length = 0;
  for (const span of rich) length += span.text.length;
  return length;
}

/** Move an offset back by one if it would cut a surrogate pair (an emoji) in half. */
function safeCut(text: string, at: number): number {
  if (at <= 0 || at >= text.length) return Math.max(0, Math.min(at, text.length));
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** The spans covering visible offsets `[start, end)`. */
export function sliceRich(rich: Rich, start: number, end: number): Rich {
  const out: Rich = [];
  let offset = 0;
  for (const span of rich) {
    const spanEnd = offset + span.text.length;
    const from = Math.max(start, offset);
    const to = Math.min(end, spanEnd);
    if (from < to) out.push({ ...span, text: span.text.slice(from - offset, to - offset) });
    offset = spanEnd;
    if (offset >= end) break;
  }
  return out;
}

/** At most `max` visible characters; a cut text ends with `…` (counted in `max`). */
export function truncateRich(rich: Rich, max: number): Rich {
  if (richLength(rich) <= max) return rich;
  if (max <= 0) return [];
  const text = visibleText(rich);
  const cut = safeCut(text, max - 1);
  return [...sliceRich(rich, 0, cut), plain('…')];
}

/** Plain text cut to `max` characters with `…` (for button labels and inline titles). */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, safeCut(text, Math.max(0, max - 1)))}…`;
}

/**
 * A marked text as spans: `base` style everywhere, `mark` style added on the marked ranges.
 * Marks from the core are treated defensively: clamped, sorted and merged.
 */
export function markedRich(marked: MarkedText, base: Omit<Span, 'text'> = {}, mark: Omit<Span, 'text'> = { bold: true }): Rich {
  const { text } = marked;
  const ranges = marked.marks
    .map(([s, e]): [number, number] => [Math.max(0, Math.min(s, text.length)), Math.max(0, Math.min(e, text.length))])
    .filter(([s, e]) => s < e)
    .sort((a, b) => a[0] - b[0]);
  const out: Rich = [];
  let at = 0;
  for (const [s, e] of ranges) {
    const from = Math.max(s, at);
    if (from >= e) continue;
    if (from > at) out.push({ ...base, text: text.slice(at, from) });
    out.push({ ...base, ...mark, text: text.slice(from, e) });
    at = e;
  }
  if (at < text.length) out.push({ ...base, text: text.slice(at) });
  return out;
}

// Where a long paragraph may be cut, best first: after a sentence end (with its closing quotes),
// after a clause mark, after any whitespace.
const SENTENCE_END = /[。！？!?；;…]+[”’」』）)"'\]]*|\.(?=\s)|\n/g;
const CLAUSE_END = /[，,、：:]/g;
const SPACE = /\s/g;

function lastBreak(text: string, pattern: RegExp, limit: number): number {
  let best = -1;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const end = m.index + m[0].length;
    if (end > limit) break;
    best = end;
    if (m[0].length === 0) pattern.lastIndex++;
  }
  return best;
}

/**
 * The longest head of `rich` of at most `max` visible characters that ends at a sentence end if it
 * can, else at a clause mark, else at a space, else hard (never inside an emoji); and the rest.
 */
export function splitFirst(rich: Rich, max: number): [Rich, Rich] {
  const text = visibleText(rich);
  if (text.length <= max) return [rich, []];
  let cut = lastBreak(text, SENTENCE_END, max);
  if (cut <= 0) cut = lastBreak(text, CLAUSE_END, max);
  if (cut <= 0) cut = lastBreak(text, SPACE, max);
  if (cut <= 0) cut = safeCut(text, max);
  if (cut <= 0) cut = Math.min(text.length, Math.max(1, max)); // a limit of 1 and an emoji: give up the pair
  return [trimRich(sliceRich(rich, 0, cut)), trimRich(sliceRich(rich, cut, text.length))];
}

/** Split one paragraph into pieces of at most `max` visible characters (see `splitFirst`). */
export function splitRich(rich: Rich, max: number): Rich[] {
  const pieces: Rich[] = [];
  let rest = rich;
  while (richLength(rest) > 0) {
    const [piece, more] = splitFirst(rest, max);
    if (richLength(piece) > 0) pieces.push(piece);
    rest = more;
  }
  return pieces;
}

/** Without leading and trailing whitespace (Telegram trims messages itself and then miscounts). */
export function trimRich(rich: Rich): Rich {
  const text = visibleText(rich);
  const start = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  return start >= end ? [] : sliceRich(rich, start, end);
}

/**
 * Pack paragraphs into as few messages as fit, each at most `max` visible characters, paragraphs
 * joined by a blank line; a paragraph longer than `max` is split with `splitRich`.
 */
export function packParagraphs(paragraphs: Rich[], max: number, separator = '\n\n'): Rich[] {
  const messages: Rich[] = [];
  let current: Rich = [];
  let length = 0;
  const add = (piece: Rich) => {
    const pieceLength = richLength(piece);
    if (length > 0 && length + separator.length + pieceLength <= max) {
      current.push(plain(separator), ...piece);
      length += separator.length + pieceLength;
    } else {
      if (length > 0) messages.push(current);
      current = [...piece];
      length = pieceLength;
    }
  };
  for (const paragraph of paragraphs.map(trimRich)) {
    let rest = paragraph;
    if (richLength(rest) === 0) continue;
    // A paragraph too long for any message starts in the room left in the current one.
    const room = max - length - separator.length;
    if (richLength(rest) > max && length > 0 && room >= Math.min(200, max / 4)) {
      const [head, more] = splitFirst(rest, room);
      if (richLength(head) > 0) {
        add(head);
        rest = more;
      }
    }
    for (const piece of splitRich(rest, max)) add(piece);
  }
  if (length > 0) messages.push(current);
  return messages;
}
