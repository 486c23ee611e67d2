/**
 * Splits Chinese text into sentences. A run of end marks (。！？!? and the ellipsis ……, in any
 * mix: ？！, ！！！, ……) ends a sentence; closing quotes and brackets right after it (”’」』）》】")
 * stay on the sentence they close; a line break ends a sentence too. 。 between two digits is
 * read as a decimal point (scanned pages sometimes have 1190。1), and . is never an end mark, so
 * 1190.1 and 4.8% stay whole. A final fragment without an end mark is a sentence too.
 * Whitespace between sentences stays on the sentence before it, so the concatenation of the
 * result equals the input.
 *
 * @example
 * splitSentences('“客户反响挺好。”他说。好！'); // ['“客户反响挺好。”', '他说。', '好！']
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n' || ch === '\r') {
      i = skipWhile(text, i, isSpace);
      start = push(sentences, text, start, i);
      continue;
    }
    if (!isEndMark(ch) || isDecimalPoint(text, i)) {
      i++;
      continue;
    }
    i = skipWhile(text, i, isEndMark);
    i = skipClosing(text, start, i);
    // 等等……，还有 : a comma after the marks means the sentence goes on.
    if (i < text.length && CONTINUING.has(text[i]!)) continue;
    i = skipWhile(text, i, isSpace);
    start = push(sentences, text, start, i);
  }
  if (start < text.length) {
    // Trailing whitespace alone is not a sentence: it stays on the one before it.
    const rest = text.slice(start);
    if (rest.trim() === '' && sentences.length > 0) sentences[sentences.length - 1] += rest;
    else sentences.push(rest);
  }
  return sentences;
}

function push(sentences: string[], text: string, start: number, end: number): number {
  const piece = text.slice(start, end);
  // A piece of only whitespace or marks (a blank line, a stray 。) joins the sentence before it.
  if (sentences.length > 0 && !/[\p{L}\p{N}]/u.test(piece)) sentences[sentences.length - 1] += piece;
  else if (piece !== '') sentences.push(piece);
  return end;
}

function skipWhile(text: string, i: number, test: (ch: string) => boolean): number {
  while (i < text.length && test(text[i]!)) i++;
  return i;
}

const END_MARKS = new Set(['。', '！', '？', '!', '?', '…', '｡']);
const CLOSING = new Set(['”', '’', '」', '』', '）', ')', '》', '】', '〗', '〕']);
const CONTINUING = new Set(['，', '、', '；', '：', ',', ';', ':']);

function isEndMark(ch: string): boolean {
  return END_MARKS.has(ch);
}

/**
 * Skips the closing quotes and brackets after the end marks. A straight " closes only when the
 * sentence so far has an odd number of them; otherwise it opens the next sentence.
 */
function skipClosing(text: string, start: number, i: number): number {
  while (i < text.length) {
    const ch = text[i]!;
    if (CLOSING.has(ch)) i++;
    else if (ch === '"' && countOf(text, '"', start, i) % 2 === 1) i++;
    else break;
  }
  return i;
}

function countOf(text: string, ch: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) if (text[k] === ch) n++;
  return n;
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\u3000' || ch === '\u00a0';
}

function isDecimalPoint(text: string, i: number): boolean {
  return text[i] === '。' && isDigit(text[i - 1]) && isDigit(text[i + 1]);
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}
