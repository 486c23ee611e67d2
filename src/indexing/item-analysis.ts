/**
 * Everything indexing needs from an item's text, from ONE normalisation and ONE jieba cut: the
 * summary's sentence words, the keywords (TF-IDF from jieba's tables) and the index's fine words
 * (cutForSearch's sub-words derived from the coarse words). Before, each item was normalised and cut
 * about four times (per-sentence cuts, two nodejieba.extract, cut for compounds, cutForSearch).
 */
import type { Item } from '../pages/item.js';
import { fieldTerms, type FieldTerms, type WordTerms } from '../search/document-terms.js';
import { encodeTerm } from '../search/term-keys.js';
import { contentWords } from '../search/query-terms.js';
import { extractKeywordsFromNumbered, keywordWord, type KeywordWord } from '../text/keywords.js';
import { createSegmenter, cutNormalized, loadJiebaTables, runeLength, type JiebaTables, type Segmenter } from '../text/segmenter.js';
import { isSummaryWord, summarizeWordIds } from '../text/summarize.js';

/** A segmenter plus the tables that let one cut per item stand in for the others. */
export interface ItemAnalyzer {
  seg: Segmenter;
  tables: JiebaTables;
  /** What each word means to the analysis, worked out once for all items (see `createWordFacts`). */
  facts: WordFactsCache;
}

export interface ItemAnalysis {
  summary: string;
  keywords: string[];
  words: WordTerms;
  /** Normalised headline + subheadline and body, for `documentTerms` (so it does not normalise again). */
  heading: string;
  body: string;
}

/** @example const analyzer = createItemAnalyzer(placeWords(gazetteer)); */
export function createItemAnalyzer(words: readonly string[]): ItemAnalyzer {
  const seg = createSegmenter({ words: [...words] });
  const tables = loadJiebaTables();
  return { seg, tables, facts: createWordFacts(tables) };
}

/**
 * One item analysed. The text cut is `title \n subtitle \n body` (paragraphs joined by \n): jieba
 * cuts each line on its own (\n is one of its separators), so this equals cutting them apart.
 */
export function analyzeItem(item: Item, analyzer: ItemAnalyzer, summaryMaxChars: number, cut: ItemCut = cutItem(item, analyzer)): ItemAnalysis {
  const subtitle = item.subtitle ?? '';
  const { text, tokens } = cut;
  const starts = tokenStarts(text, tokens);
  // Each distinct word numbered 0…, its facts known: the rest reads numbers, not strings.
  const { words, numbers } = analyzer.facts.forItem(tokens);
  /** The tokens starting in text[from, to): `numbers` indices [first, end). */
  const tokensIn = (from: number, to: number): [number, number] => [lowerBound(starts, from), lowerBound(starts, to)];

  const subtitleStart = item.title.length + 1;
  const bodyStart = subtitleStart + subtitle.length + 1;
  const title = tokensIn(0, item.title.length);
  const subtitleTokens = tokensIn(subtitleStart, subtitleStart + subtitle.length);
  const body = tokensIn(bodyStart, text.length);

  const paragraphStarts: number[] = [];
  let at = bodyStart;
  for (const p of item.paragraphs) {
    paragraphStarts.push(at);
    at += p.length + 1;
  }
  // The summary words' numbers in token order, and how many come before each token, so a unit's
  // words are one slice (`summarizeWordIds` takes any ArrayLike).
  const summaryNumbers = new Int32Array(numbers.length);
  const summaryBefore = new Int32Array(numbers.length + 1);
  const isSummary = new Uint8Array(words.length);
  for (let k = 0; k < words.length; k++) isSummary[k] = words[k]!.summary ? 1 : 0;
  let summaryCount = 0;
  for (let i = 0; i < numbers.length; i++) {
    summaryBefore[i] = summaryCount;
    if (isSummary[numbers[i]!] === 1) summaryNumbers[summaryCount++] = numbers[i]!;
  }
  summaryBefore[numbers.length] = summaryCount;
  const summary = summarizeWordIds(
    item.paragraphs,
    (p, start, end) => {
      const [first, last] = tokensIn(paragraphStarts[p]! + start, paragraphStarts[p]! + end);
      return summaryNumbers.subarray(summaryBefore[first]!, summaryBefore[last]!);
    },
    { maxChars: summaryMaxChars },
  );
  const keywords = extractKeywordsFromNumbered(words, numbers.subarray(...title), numbers.subarray(...body));
  const uses = new Int32Array(words.length);
  /** A field's fine words with counts: each distinct word's sub-words counted once, times its uses. */
  const fine = ([first, last]: [number, number]): FieldTerms => {
    // In order of first use, a word's terms in their order: the order of the terms' first occurrences.
    const used: number[] = [];
    for (let i = first; i < last; i++) if (uses[numbers[i]!]!++ === 0) used.push(numbers[i]!);
    const counts = new Map<string, number>();
    for (const k of used) {
      const n = uses[k]!;
      uses[k] = 0;
      for (const key of words[k]!.fineKeys) counts.set(key, (counts.get(key) ?? 0) + n);
    }
    return fieldTerms(counts);
  };
  return {
    summary,
    keywords,
    words: [fine(title), fine(subtitleTokens), fine(body)],
    heading: text.slice(0, bodyStart - 1),
    body: text.slice(bodyStart),
  };
}
/** An item's text as analysed (normalised title \n subtitle \n body) and jieba's cut of it. */
export interface ItemCut {
  text: string;
  tokens: string[];
}

/** The one cut `analyzeItem` reads. */
export function cutItem(item: Item, analyzer: ItemAnalyzer): ItemCut {
  // The normaliser keeps every offset, so ranges in `text` are ranges in the item's strings.
  const text = analyzer.seg.normalize(`${item.title}\n${item.subtitle ?? ''}\n${item.paragraphs.join('\n')}`);
  return { text, tokens: cutNormalized(text) };
}

/** What the analysis needs of one word. */
export interface WordFacts extends KeywordWord {
  /** It links sentences in a summary (`isSummaryWord`). */
  readonly summary: boolean;
  /** Its fine index words, stop words dropped (`contentWords(searchWords([text]))`), encoded (`encodeTerm`). */
  readonly fineKeys: readonly string[];
}

/** Facts for the words of one item after another, remembered across items. */
export interface WordFactsCache {
  /** The item's distinct words numbered in order of first use (`words[k]`), and each token's number. */
  forItem(tokens: readonly string[]): { words: WordFacts[]; numbers: Int32Array };
}

/**
 * Remembered words, at most about `limit` (two generations: a word used in the newer half stays,
 * the older half is dropped when the newer one fills up). A word's facts are worked out once
 * instead of once per use (stop-word tests, jieba's IDF and dictionary tables, sub-words): most
 * words of a news item are words of the items before it. The tables must not change meanwhile
 * (words inserted into jieba later are not seen by words already remembered).
 */
export function createWordFacts(tables: JiebaTables, limit = 100_000): WordFactsCache {
  /** A remembered word, with the item that last numbered it and its number there. */
  interface Entry {
    facts: WordFacts;
    item: number;
    number: number;
  }
  let young = new Map<string, Entry>();
  let old = new Map<string, Entry>();
  let item = 0;
  const make = (text: string): Entry => ({
    facts: { ...keywordWord(text, tables), summary: isSummaryWord(text), fineKeys: contentWords(searchWords([text], tables)).map(encodeTerm) },
    item: -1,
    number: -1,
  });
  return {
    forItem(tokens) {
      if (young.size >= limit / 2) {
        old = young;
        young = new Map();
      }
      item++;
      const words: WordFacts[] = [];
      const numbers = new Int32Array(tokens.length);
      for (let i = 0; i < tokens.length; i++) {
        const text = tokens[i]!;
        let entry = young.get(text);
        if (entry === undefined) {
          entry = old.get(text) ?? make(text);
          young.set(text, entry);
        }
        if (entry.item !== item) {
          entry.item = item;
          entry.number = words.length;
          words.push(entry.facts);
        }
        numbers[i] = entry.number;
      }
      return { words, numbers };
    },
  };
}

/**
 * cppjieba's CutForSearch from the words of its cut: before each word longer than two characters,
 * its 2-character sub-words that are in the dictionary, and for words longer than three, its
 * 3-character ones; whitespace dropped (as `Segmenter.cutForSearch`).
 */
export function searchWords(words: readonly string[], tables: Pick<JiebaTables, 'hasShortWord'>): string[] {
  const out: string[] = [];
  for (const word of words) {
    if (word.trim() === '') continue;
    const n = runeLength(word);
    if (n > 2) {
      const runes = n === word.length ? null : Array.from(word);
      const sub = (i: number, len: number): string => (runes ? runes.slice(i, i + len).join('') : word.slice(i, i + len));
      for (let i = 0; i + 1 < n; i++) {
        const w = sub(i, 2);
        if (tables.hasShortWord(w)) out.push(w);
      }
      if (n > 3) {
        for (let i = 0; i + 2 < n; i++) {
          const w = sub(i, 3);
          if (tables.hasShortWord(w)) out.push(w);
        }
      }
    }
    out.push(word);
  }
  return out;
}

/** Where each token starts in `text` (tokens normally tile it; a mismatch is searched for). */
function tokenStarts(text: string, tokens: readonly string[]): number[] {
  const starts: number[] = new Array<number>(tokens.length);
  let pos = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    let start = pos;
    if (!text.startsWith(token, pos)) {
      // jieba replaced something (a lone surrogate): find the token further on, or keep the place.
      const found = text.indexOf(token, pos);
      start = found < 0 ? pos : found;
    }
    starts[i] = start;
    pos = start + token.length;
  }
  return starts;
}

/** The first index whose start is at least `value` (starts ascend). */
function lowerBound(starts: readonly number[], value: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
