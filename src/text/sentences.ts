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
  // Summaries split every paragraph indexed: character codes, not one-character strings.
  const sentences: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) {
      i = skipSpaces(text, i);
      start = push(sentences, text, start, i);
      continue;
    }
    if (!isEndMark(c) || isDecimalPoint(text, i)) {
      i++;
      continue;
    }
    while (i < text.length && isEndMark(text.charCodeAt(i))) i++;
    i = skipClosing(text, start, i);
    // 等等……，还有 : a comma after the marks means the sentence goes on.
    if (i < text.length && isContinuing(text.charCodeAt(i))) continue;
    i = skipSpaces(text, i);
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

function skipSpaces(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** 。！？!?…｡ */
function isEndMark(c: number): boolean {
  return c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 0x21 || c === 0x3f || c === 0x2026 || c === 0xff61;
}

/** ”’」』）)》】〗〕 */
function isClosing(c: number): boolean {
  return (
    c === 0x201d || c === 0x2019 || c === 0x300d || c === 0x300f || c === 0xff09 ||
    c === 0x29 || c === 0x300b || c === 0x3011 || c === 0x3017 || c === 0x3015
  );
}

/** ，、；：,;: */
function isContinuing(c: number): boolean {
  return c === 0xff0c || c === 0x3001 || c === 0xff1b || c === 0xff1a || c === 0x2c || c === 0x3b || c === 0x3a;
}

/**
 * Skips the closing quotes and brackets after the end marks. A straight " closes only when the
 * sentence so far has an odd number of them; otherwise it opens the next sentence.
 */
function skipClosing(text: string, start: number, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isClosing(c)) i++;
    else if (c === 0x22 && countQuotes(text, start, i) % 2 === 1) i++;
    else break;
  }
  return i;
}

/** Straight double quotes in text[from, to). */
function countQuotes(text: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) if (text.charCodeAt(k) === 0x22) n++;
  return n;
}

/** space, tab, line breaks, ideographic space, no-break space */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x3000 || c === 0xa0;
}

function isDecimalPoint(text: string, i: number): boolean {
  return text.charCodeAt(i) === 0x3002 && isDigit(text.charCodeAt(i - 1)) && isDigit(text.charCodeAt(i + 1));
}

/** 0–9 (NaN, outside the text, is not). */
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
