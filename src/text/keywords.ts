import type { Segmenter } from './segmenter.js';
import { isStopWord } from './stop-words.js';

/** How much more a word weighs in the headline than in the body. */
const TITLE_BOOST = 3;
/** A compound is at most this long (智造新城, 湖镇派出所), so it stays a name, not a phrase. */
const MAX_COMPOUND_CHARS = 6;
/** Two words make a compound when at least this share of the uses of each are inside it. */
const COMPOUND_SHARE = 0.7;
/** …and the compound is used at least this many times. */
const COMPOUND_MIN_COUNT = 3;

/**
 * 3–5 keywords (default 5), most important first: TF-IDF with jieba's IDF table, headline words
 * boosted, no stop words, no numbers, no word that repeats a better one (开化 after 开化县). A word
 * jieba splits off a name the article keeps repeating is given back whole (智造 + 新城 → 智造新城,
 * 开放 + 大学 → 开放大学). Fewer only when the text has fewer content words.
 *
 * @example
 * extractKeywords(item.title, item.paragraphs, seg, loadJiebaTables()); // ['医保', '衢州市', '挂联', '医疗', '服务']
 */
export function extractKeywords(title: string, paragraphs: string[], seg: Segmenter, tables: KeywordTables, count = 5): string[] {
  return extractKeywordsFromWords(seg.cutNormalized(seg.normalize(title)), seg.cutNormalized(seg.normalize(paragraphs.join('\n'))), tables, count);
}

/** What `extractKeywordsFromWords` needs of jieba's tables (see `JiebaTables`). */
export interface KeywordTables {
  idf(word: string): number;
  isExtractStopWord(word: string): boolean;
}

/** What keyword extraction asks of a word, as bits (`keywordFlags`). */
export const KeywordFlag = {
  /** Only whitespace: not a word of the text for compounds. */
  blank: 1,
  /** Counted by TF-IDF: not a single character, not one of extract's stop words. */
  weighed: 2,
  /** Can be part of a compound name: Han characters only, not a function word. */
  namePart: 4,
} as const;

/** The `KeywordFlag` bits of one word. */
export function keywordFlags(text: string, tables: KeywordTables): number {
  return (
    (text.trim() === '' ? KeywordFlag.blank : 0) |
    (!isSingleRune(text) && !tables.isExtractStopWord(text) ? KeywordFlag.weighed : 0) |
    (isNamePartWord(text) ? KeywordFlag.namePart : 0)
  );
}

/**
 * A text's distinct words numbered 0…, with their facts in arrays indexed by number (not one object
 * per word: the loops over a text's tokens read a few bytes each, not a scattered object).
 */
export interface NumberedWords {
  readonly size: number;
  readonly text: readonly string[];
  /** `KeywordFlag` bits (other bits may be set by the caller). */
  readonly flags: Uint8Array;
  /** jieba's IDF (the table's average when it lacks the word). */
  readonly idf: Float64Array;
}

/**
 * `extractKeywords` from words already cut (jieba `cut`, HMM on, of the normalised headline and
 * body, whitespace kept), weighed with jieba's TF-IDF tables.
 *
 * @example extractKeywordsFromWords(titleWords, bodyWords, loadJiebaTables());
 */
export function extractKeywordsFromWords(
  titleWords: readonly string[],
  bodyWords: readonly string[],
  tables: KeywordTables,
  count = 5,
): string[] {
  const numbers = new Map<string, number>();
  const text: string[] = [];
  const number = (word: string): number => {
    let k = numbers.get(word);
    if (k === undefined) numbers.set(word, (k = text.push(word) - 1));
    return k;
  };
  const title = titleWords.map(number);
  const body = bodyWords.map(number);
  const words: NumberedWords = {
    size: text.length,
    text,
    flags: Uint8Array.from(text, (w) => keywordFlags(w, tables)),
    idf: Float64Array.from(text, (w) => tables.idf(w)),
  };
  return extractKeywordsFromNumbered(words, title, body, count);
}

/**
 * `extractKeywordsFromWords` over numbered words: the headline and body are lists of word numbers,
 * in text order (a caller that knows its words' facts already, e.g. from a cache shared by many
 * items, hashes no string here).
 *
 * @example extractKeywordsFromNumbered(words, [0], [0, 1, 0]);
 */
export function extractKeywordsFromNumbered(
  words: NumberedWords,
  title: ArrayLike<number>,
  body: ArrayLike<number>,
  count = 5,
): string[] {
  const wanted = Math.max(0, Math.floor(count));
  if (wanted === 0) return [];
  const candidates = wanted * 4;
  const counts = new Int32Array(words.size);
  const weights = new Map<string, number>();
  for (const { word, weight } of tfIdf(words, body, candidates, counts)) add(weights, word, weight);
  for (const { word, weight } of tfIdf(words, title, candidates, counts)) add(weights, word, weight * TITLE_BOOST);
  return rankKeywords(weights, findCompounds(words, [title, body], counts), count);
}

/**
 * cppjieba's KeywordExtractor::Extract over given words: single characters and its stop words
 * dropped, term count times IDF, the best `top` (ties by code-unit order, as its std::map feeds them).
 * `counts` is scratch space, one slot per word.
 */
function tfIdf(
  words: NumberedWords,
  text: ArrayLike<number>,
  top: number,
  counts: Int32Array,
): Array<{ word: string; weight: number }> {
  counts.fill(0);
  const flags = words.flags;
  for (let i = 0; i < text.length; i++) {
    const k = text[i]!;
    if ((flags[k]! & KeywordFlag.weighed) !== 0) counts[k]!++;
  }
  // The order is total (words are distinct), so keeping the best `top` as they come gives the
  // head of the fully sorted list without sorting every word.
  const best: Array<{ word: string; weight: number }> = [];
  for (let k = 0; k < words.size; k++) {
    const n = counts[k]!;
    if (n === 0) continue;
    const word = words.text[k]!;
    const weight = n * words.idf[k]!;
    // Most words do not make the list: compared before a candidate is made.
    if (best.length === top) {
      // byWeight({ word, weight }, last) >= 0, term for term.
      const last = best[top - 1]!;
      const d = last.weight - weight;
      if (d ? d > 0 : word >= last.word) continue;
    }
    const candidate = { word, weight };
    let at = best.length;
    while (at > 0 && byWeight(candidate, best[at - 1]!) < 0) at--;
    best.splice(at, 0, candidate);
    if (best.length > top) best.pop();
  }
  return best;
}

/** Heavier first, ties by code-unit order. */
function byWeight(a: { word: string; weight: number }, b: { word: string; weight: number }): number {
  return b.weight - a.weight || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0);
}

function isSingleRune(word: string): boolean {
  return word.length === 1 || (word.length === 2 && word.charCodeAt(0) >= 0xd800 && word.charCodeAt(0) <= 0xdbff);
}

/** Candidates by weight, compounds given back whole, 3–5 of them without repeats. */
function rankKeywords(weights: Map<string, number>, compounds: Map<string, Compound>, count: number): string[] {
  const wanted = Math.max(0, Math.floor(count));
  const merged = new Map<string, number>();
  for (const [word, weight] of weights) {
    const compound = compounds.get(word);
    const key = compound?.word ?? word;
    // A compound weighs what its best part weighs, plus the other part's weight when it has one.
    const partner = compound === undefined ? 0 : (weights.get(compound.partner) ?? 0);
    merged.set(key, Math.max(merged.get(key) ?? 0, weight + partner));
  }

  const ranked = [...merged.entries()]
    .filter(([word]) => isKeyword(word))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const keywords: string[] = [];
  for (const [word] of ranked) {
    if (keywords.length === wanted) break;
    if (keywords.some((k) => k.includes(word) || word.includes(k))) continue;
    keywords.push(word);
  }
  return keywords;
}

function add(weights: Map<string, number>, word: string, weight: number): void {
  const key = word.trim();
  weights.set(key, (weights.get(key) ?? 0) + weight);
}

function isKeyword(word: string): boolean {
  if (word.length < 2 || isStopWord(word)) return false;
  // Pure numbers, amounts and percentages (1190.1, 4.8%, 30%) say nothing on their own.
  if (/^[\d.,，%％+\-]+$/.test(word)) return false;
  return /[\p{L}]/u.test(word);
}

/** A two-word name and, for one of its parts, the other part. */
interface Compound {
  word: string;
  partner: string;
  count: number;
}

/**
 * For each word, the two-word compound it and its partner nearly always appear in, if any: jieba splits names it
 * does not know (智造新城 → 智造/新城, 汪周村 → 汪/周村), and the parts make poor keywords. `texts` are read
 * one after the other as one text, whitespace left out; `counts` is scratch space, one slot per word.
 */
function findCompounds(
  words: NumberedWords,
  texts: ReadonlyArray<ArrayLike<number>>,
  counts: Int32Array,
): Map<string, Compound> {
  counts.fill(0);
  // Pairs by (left, right) number, kept in order of first appearance (ties go to the first).
  const pairKeys = new Map<number, Pair>();
  const pairs: Pair[] = [];
  const { flags, text: wordText } = words;
  let previous = -1;
  for (const text of texts) {
    for (let i = 0; i < text.length; i++) {
      const right = text[i]!;
      const rightFlags = flags[right]!;
      if ((rightFlags & KeywordFlag.blank) !== 0) continue;
      counts[right]!++;
      const left = previous;
      previous = right;
      if (left < 0 || (flags[left]! & rightFlags & KeywordFlag.namePart) === 0) continue;
      if (wordText[left]!.length + wordText[right]!.length > MAX_COMPOUND_CHARS) continue;
      const key = left * words.size + right;
      let pair = pairKeys.get(key);
      if (pair === undefined) {
        pair = { left, right, count: 0 };
        pairKeys.set(key, pair);
        pairs.push(pair);
      }
      pair.count++;
    }
  }
  const compounds = new Map<string, Compound>();
  for (const { left, right, count } of pairs) {
    if (count < COMPOUND_MIN_COUNT) continue;
    // Both parts must belong to the compound: 实现 + 产值 is a phrase, 实现 is used everywhere.
    if (count < COMPOUND_SHARE * counts[left]! || count < COMPOUND_SHARE * counts[right]!) continue;
    const [l, r] = [wordText[left]!, wordText[right]!];
    for (const [part, partner] of [
      [l, r],
      [r, l],
    ] as const) {
      const best = compounds.get(part);
      if (best === undefined || count > best.count) compounds.set(part, { word: l + r, partner, count });
    }
  }
  return compounds;
}

/** Two neighbouring words (by number) and how often they stand together. */
interface Pair {
  left: number;
  right: number;
  count: number;
}

/** A token that can be part of a name: Han characters only, not a function word. */
function isNamePartWord(word: string): boolean {
  return /^\p{Script=Han}+$/u.test(word) && !isStopWord(word);
}
