/**
 * Character bigrams: the fallback that lets a query meet the text whatever jieba made of either.
 * 池淮镇星新社区 gives 池淮 淮镇 镇星 星新 新社 社区, so the query 星新社区 (星新 新社 社区) finds it even
 * though the words do not line up.
 */

/** Han ideographs (incl. extension A and compatibility ideographs); surrogate pairs count as letters below. */
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

/** Latin, digits and other letters that are not Han: kept together as one term. */
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * The terms of already normalised text: overlapping bigrams of each run of Han characters, plus the
 * run's last character alone (so a one-character query can find it by prefix), and each run of
 * other letters or digits as one term (`drgs`, `1190`). Punctuation and spaces break runs.
 *
 * @example
 * characterGrams('池淮镇 drgs'); // ['池淮', '淮镇', '镇', 'drgs']
 */
export function characterGrams(text: string): string[] {
  const out: string[] = [];
  forEachRun(text, (kind, start, end) => {
    if (kind === HAN_CHAR) {
      for (let j = start; j + 1 < end; j++) out.push(text.slice(j, j + 2));
      out.push(text.slice(end - 1, end));
    } else out.push(text.slice(start, end));
  });
  return out;
}

/**
 * `characterGrams(text)` counted: each distinct gram once, in order of first occurrence, with how
 * often it occurs. Indexing counts the grams of every body: Han grams are counted by number
 * (`hanIndex`), so only a gram's first occurrence is sliced out of the text.
 *
 * @example countCharacterGrams('社区社区'); // { grams: ['社区', '区社', '区'], counts: [2, 1, 1] }
 */
export function countCharacterGrams(text: string): { grams: string[]; counts: number[] } {
  const grams: string[] = [];
  const counts: number[] = [];
  // Key → index in grams: a Han bigram h1 * HAN_SPAN + h2, a run's last character HAN_SPAN² + h
  // (both small integers), other runs by their text.
  const slots = new Map<number | string, number>();
  const count = (key: number | string, from: number, to: number): void => {
    const slot = slots.get(key);
    if (slot !== undefined) counts[slot]!++;
    else {
      slots.set(key, grams.length);
      grams.push(text.slice(from, to));
      counts.push(1);
    }
  };
  forEachRun(text, (kind, start, end) => {
    if (kind === HAN_CHAR) {
      let previous = hanIndex(text.charCodeAt(start));
      for (let j = start; j + 1 < end; j++) {
        const next = hanIndex(text.charCodeAt(j + 1));
        count(previous * HAN_SPAN + next, j, j + 2);
        previous = next;
      }
      count(HAN_SPAN * HAN_SPAN + previous, end - 1, end);
    } else count(text.slice(start, end), start, end);
  });
  return { grams, counts };
}

/** How many Han code units `hanIndex` numbers. */
const HAN_SPAN = 0x4dc0 - 0x3400 + (0xa000 - 0x4e00) + (0xfb00 - 0xf900);

/** A Han code unit (as `charKind` tells them) numbered 0 … HAN_SPAN - 1. */
function hanIndex(c: number): number {
  if (c >= 0x4e00 && c <= 0x9fff) return c - 0x4e00;
  if (c >= 0x3400 && c <= 0x4dbf) return 0xa000 - 0x4e00 + (c - 0x3400);
  return 0xa000 - 0x4e00 + (0x4dc0 - 0x3400) + (c - 0xf900);
}

const OTHER = 0;
const HAN_CHAR = 1;
const WORD = 2;

/** Calls `visit` for each run of Han characters or of other letters and digits, in text order. */
function forEachRun(text: string, visit: (kind: number, start: number, end: number) => void): void {
  // Indexing runs this over every body: a code-unit loop, no per-character regex.
  let i = 0;
  const n = text.length;
  while (i < n) {
    const kind = charKind(text, i);
    if (kind === OTHER) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < n && charKind(text, end) === kind) end++;
    visit(kind, i, end);
    i = end;
  }
}

/** Han, other letter/digit, or neither, for the UTF-16 unit at `i` (surrogates count as letters). */
function charKind(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0x80) {
    return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) ? WORD : OTHER;
  }
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff)) return HAN_CHAR;
  if (c >= 0xd800 && c <= 0xdfff) return WORD;
  // CJK and general punctuation, the usual non-Han characters in Chinese text.
  if ((c >= 0x3000 && c <= 0x303f) || (c >= 0x2000 && c <= 0x206f)) return OTHER;
  if (c >= 0xff01 && c <= 0xff65) {
    return (c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a) ? WORD : OTHER;
  }
  return WORD_CHAR.test(text[i]!) ? WORD : OTHER;
}

/**
 * The grams a query word must all have to be found in a text: its bigrams, or the single Han
 * character of a one-character word (searched by prefix), or its letter/digit runs.
 *
 * @example
 * queryGrams('星新社区'); // ['星新', '新社', '社区']
 * queryGrams('茶'); // ['茶']
 */
export function queryGrams(word: string): string[] {
  const grams = characterGrams(word);
  // characterGrams adds each Han run's last character for the index side; a query needs it only
  // when the run is that one character.
  const out: string[] = [];
  for (let i = 0; i < grams.length; i++) {
    const gram = grams[i]!;
    const previous = grams[i - 1];
    const isRunTail = gram.length === 1 && HAN.test(gram) && previous !== undefined && previous.length === 2 && previous[1] === gram && HAN.test(previous);
    if (!isRunTail) out.push(gram);
  }
  return out;
}

/** True for a single Han character: the one case searched by prefix among the grams. */
export function isSingleHan(term: string): boolean {
  return term.length === 1 && HAN.test(term);
}

/** True when every character is Han: such a needle is unaffected by width and case folding. */
export function isAllHan(text: string): boolean {
  if (text === '') return false;
  for (let i = 0; i < text.length; i++) if (charKind(text, i) !== HAN_CHAR) return false;
  return true;
}

/** True when normalisation changed a Han character (traditional → simplified) somewhere. */
export function hanChanged(raw: string, normalized: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    if (raw.charCodeAt(i) !== normalized.charCodeAt(i) && charKind(raw, i) === HAN_CHAR) return true;
  }
  return false;
}
