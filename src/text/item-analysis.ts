/**
 * What the archive stores of an item beyond its text, from ONE normalisation and ONE jieba cut: the
 * summary's sentence words, the keywords (TF-IDF from jieba's tables) and the headline's words (for
 * suggestions and related items). Cutting once per item instead of per sentence and per use is what
 * makes summarising a 50,000-item archive take a minute rather than several.
 */
import type { Item } from '../pages/item.js';
import { extractKeywordsFromNumbered, keywordWord, type KeywordWord } from './keywords.js';
import { createSegmenter, loadJiebaTables, type JiebaTables, type Segmenter } from './segmenter.js';
import { isStopWord } from './stop-words.js';
import { isSummaryWord, summarizeWordIds } from './summarize.js';

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
  /** The headline's distinct content words (two characters or more, no stop words), in order. */
  titleWords: string[];
}

/** @example const analyzer = createItemAnalyzer(placeWords(gazetteer)); */
export function createItemAnalyzer(words: readonly string[]): ItemAnalyzer {
  const seg = createSegmenter({ words });
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
  // The headline's words weigh in choosing the sentences that carry the news.
  const titleIds: number[] = [];
  for (let i = title[0]; i < title[1]; i++) if (isSummary[numbers[i]!] === 1) titleIds.push(numbers[i]!);
  const summary = summarizeWordIds(
    item.paragraphs,
    (p, start, end) => {
      const [first, last] = tokensIn(paragraphStarts[p]! + start, paragraphStarts[p]! + end);
      return summaryNumbers.subarray(summaryBefore[first]!, summaryBefore[last]!);
    },
    { maxChars: summaryMaxChars, titleIds },
  );
  const keywords = extractKeywordsFromNumbered(words, numbers.subarray(...title), numbers.subarray(...body));
  const titleWords = new Set<string>();
  for (let i = title[0]; i < title[1]; i++) {
    const word = tokens[i]!;
    if ([...word].length >= 2 && !isStopWord(word) && /[\p{L}\p{N}]/u.test(word)) titleWords.add(word);
  }
  return { summary, keywords, titleWords: [...titleWords] };
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
  return { text, tokens: analyzer.seg.cutNormalized(text) };
}

/** What the analysis needs of one word. */
export interface WordFacts extends KeywordWord {
  /** It links sentences in a summary (`isSummaryWord`). */
  readonly summary: boolean;
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
    facts: { ...keywordWord(text, tables), summary: isSummaryWord(text) },
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
