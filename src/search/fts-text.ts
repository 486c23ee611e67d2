/**
 * Text as the archive's FTS5 table sees it, and query words as FTS5 phrases over it.
 *
 * FTS5's own tokenizers make a whole run of Han characters one token, so the text is tokenised
 * here and stored space-separated (FTS5's ascii tokenizer then only splits on the spaces):
 * - a run of Han characters becomes its character bigrams (`推进医保` → `推进 进医 医保`), and
 *   its last character alone, so that a one-character query (`茶*`, a prefix query) finds it at any
 *   place in a run, and a phrase knows where a run ends (`推进 进医 医保 保`);
 * - a run of other letters and digits stays one token (`5g`, `2023`), already lower-cased by the
 *   normaliser.
 * A query word becomes the phrase of its tokens: consecutive bigrams match exactly the text that
 * contains the word, wherever jieba would have cut it.
 */

const enum Kind {
  Other,
  Han,
  Alnum,
}

const HAN = /\p{Script=Han}/u;
const ALNUM = /[\p{L}\p{N}]/u;
/** Per BMP code unit: 0 not known yet, else its Kind + 1 (the regexes run once per distinct character). */
const kinds = new Uint8Array(0x10000);

/** The kind of the character starting at `text[i]` (a surrogate pair is one character). */
function kindAt(text: string, i: number): Kind {
  const code = text.charCodeAt(i);
  if (code < 0x80) return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90) ? Kind.Alnum : Kind.Other;
  if (code >= 0xd800 && code <= 0xdbff) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    return HAN.test(ch) ? Kind.Han : ALNUM.test(ch) ? Kind.Alnum : Kind.Other;
  }
  let known = kinds[code]!;
  if (known === 0) {
    const ch = String.fromCharCode(code);
    known = (HAN.test(ch) ? Kind.Han : ALNUM.test(ch) ? Kind.Alnum : Kind.Other) + 1;
    kinds[code] = known;
  }
  return known - 1;
}

/** Code units of the character starting at `text[i]`. */
function widthAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
}

export interface TextRun {
  text: string;
  han: boolean;
}

/** The Han and letter-or-digit runs of normalised text, in order. */
export function textRuns(normalized: string): TextRun[] {
  const runs: TextRun[] = [];
  forEachRun(normalized, (start, end, han) => runs.push({ text: normalized.slice(start, end), han }));
  return runs;
}

/**
 * Calls `visit` with each run's code-unit range `[start, end)`, in order, and whether the run holds a
 * character outside the BMP (two code units).
 */
function forEachRun(text: string, visit: (start: number, end: number, han: boolean, wide: boolean) => void): void {
  let i = 0;
  while (i < text.length) {
    const kind = kindAt(text, i);
    if (kind === Kind.Other) {
      i += widthAt(text, i);
      continue;
    }
    let wide = false;
    let end = i;
    do {
      const width = widthAt(text, end);
      if (width === 2) wide = true;
      end += width;
    } while (end < text.length && kindAt(text, end) === kind);
    visit(i, end, kind === Kind.Han, wide);
    i = end;
  }
}

/**
 * Normalised text → the space-separated tokens stored in the FTS table.
 * @example ftsTokens('推进医保。5g网络') // '推进 进医 医保 保 5g 网络 络'
 */
export function ftsTokens(text: string): string {
  // Every item's text passes here at indexing (72 M characters at 50,000 items): the tokens are
  // written as code units into one buffer and decoded once, not joined as a string per token
  // (3.6 s → 1.3 s at 50,000 items, the same tokens).
  // A Han character gives at most two characters and a space (its bigram) plus, at a run's start
  // after letters, itself and a space: four code units per input unit is always enough.
  const out = new Uint16Array(text.length * 4 + 1);
  let n = 0;
  const space = () => {
    if (n > 0) out[n++] = 0x20;
  };
  const copy = (from: number, to: number) => {
    for (let k = from; k < to; k++) out[n++] = text.charCodeAt(k);
  };
  let previousEnd = -1;
  forEachRun(text, (start, end, han, wide) => {
    // Straight after letters or digits (`23件事`), a Han run's first character alone too: `23件`
    // is then a phrase of whole tokens, and `5g网络` never matches `5g。网络`.
    const afterLetters = start === previousEnd;
    previousEnd = end;
    // Character boundaries of the run (a Han character outside the BMP takes two code units).
    let a = start;
    let b = a + widthAt(text, a);
    if (!han || b >= end) {
      space();
      copy(start, end);
    } else if (!wide) {
      // One code unit a character: the common case, without the boundary arithmetic.
      space();
      if (afterLetters) {
        out[n++] = text.charCodeAt(start);
        out[n++] = 0x20;
      }
      for (let k = start; k + 1 < end; k++) {
        out[n++] = text.charCodeAt(k);
        out[n++] = text.charCodeAt(k + 1);
        out[n++] = 0x20;
      }
      out[n++] = text.charCodeAt(end - 1);
    } else {
      if (afterLetters) {
        space();
        copy(a, b);
      }
      while (b < end) {
        const c = b + widthAt(text, b);
        space();
        copy(a, c);
        a = b;
        b = c;
      }
      space();
      copy(a, end);
    }
  });
  return decodeUnits(out, n);
}

const UTF16 = new TextDecoder('utf-16le');

/** The first `n` code units of `units` as a string. */
function decodeUnits(units: Uint16Array, n: number): string {
  return UTF16.decode(units.subarray(0, n));
}

/**
 * A normalised query word → an FTS5 phrase that matches the text containing it, or null when it has
 * nothing to look for. Spaces between Han characters are dropped (`医保 服务` is `医保服务`); a
 * trailing single Han character is a prefix (`医` finds `医保`).
 * @example ftsPhrase('医保服务') // '"医保 保服 服务"'
 */
export function ftsPhrase(normalized: string): string | null {
  const joined = normalized.replace(/(\p{Script=Han})\s+(?=\p{Script=Han})/gu, '$1');
  // Each variant is a list of tokens: a Han run typed apart from the letters before it (`2023 年度`)
  // may be printed with them or apart, which the text's tokens tell apart (see ftsTokens).
  let variants: string[][] = [[]];
  const add = (tokens: string[]) => variants.forEach((v) => v.push(...tokens));
  let prefix = false;
  let previousEnd = -1;
  let previousHan = true;
  forEachRun(joined, (start, end, han) => {
    const text = joined.slice(start, end);
    const adjacent = start === previousEnd && !previousHan;
    const apart = start !== previousEnd && previousEnd >= 0 && !previousHan;
    const last = end === joined.length || ![...joined.slice(end)].some((ch) => kindAt(ch, 0) !== Kind.Other);
    previousEnd = end;
    previousHan = han;
    prefix = false;
    if (!han) return add([text]);
    const chars = [...text];
    const bigrams: string[] = [];
    for (let k = 0; k + 1 < chars.length; k++) bigrams.push(chars[k]! + chars[k + 1]!);
    // A run followed by another run of the query ends there in the text too: its lone last character.
    const tail = !last && chars.length > 1 ? [chars[chars.length - 1]!] : [];
    if (chars.length === 1) {
      add([text]);
      // A lone last character printed straight after letters is a token of its own; else it starts a word.
      prefix = last && !adjacent;
      return;
    }
    if (adjacent) return add([chars[0]!, ...bigrams, ...tail]);
    if (apart && variants.length < 4) variants = variants.flatMap((v) => [[...v], [...v, chars[0]!]]);
    add([...bigrams, ...tail]);
  });
  if (variants[0]!.length === 0) return null;
  // Tokens hold only letters and digits: nothing in them needs FTS5 quoting but the quotes themselves.
  const phrases = [...new Set(variants.map((v) => `"${v.join(' ')}"${prefix ? ' *' : ''}`))];
  return phrases.length === 1 ? phrases[0]! : `(${phrases.join(' OR ')})`;
}

/**
 * The characters of a normalised word, each as a prefix token, for a NEAR group: the word's
 * letters found in order within a few characters of each other (`炒茶` → `炒* 茶*`).
 */
export function ftsCharacters(normalized: string): string[] {
  const out: string[] = [];
  for (const run of textRuns(normalized)) {
    if (run.han) for (const ch of run.text) out.push(`"${ch}" *`);
    else out.push(`"${run.text}"`);
  }
  return out;
}
