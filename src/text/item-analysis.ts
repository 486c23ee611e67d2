/**
 * What the archive stores of an item beyond its text, from ONE normalisation and ONE jieba cut: the
 * summary's sentence words, the keywords (TF-IDF from jieba's tables) and the headline's words (for
 * suggestions and related items). Cutting once per item instead of per sentence and per use is what
 * makes summarising a 50,000-item archive take a minute rather than several.
 */
import type { Item } from '../pages/item.js';
import { extractKeywordsFromNumbered, KeywordFlag, keywordFlags, type NumberedWords } from './keywords.js';
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
  const flags = words.flags;
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
  let summaryCount = 0;
  for (let i = 0; i < numbers.length; i++) {
    summaryBefore[i] = summaryCount;
    if ((flags[numbers[i]!]! & SUMMARY_WORD) !== 0) summaryNumbers[summaryCount++] = numbers[i]!;
  }
  summaryBefore[numbers.length] = summaryCount;
  // The headline's words weigh in choosing the sentences that carry the news.
  const titleIds: number[] = [];
  for (let i = title[0]; i < title[1]; i++) if ((flags[numbers[i]!]! & SUMMARY_WORD) !== 0) titleIds.push(numbers[i]!);
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

/** A `NumberedWords` flag, the bit after the keyword ones: the word links sentences in a summary (`isSummaryWord`). */
const SUMMARY_WORD = KeywordFlag.namePart << 1;

/** Facts for the words of one item after another, remembered across items. */
export interface WordFactsCache {
  /**
   * The item's distinct words numbered in order of first use, their facts (`KeywordFlag` bits plus
   * SUMMARY_WORD, IDF), and each token's number.
   */
  forItem(tokens: readonly string[]): { words: NumberedWords; numbers: Int32Array };
}

/**
 * Remembered words, at most about `limit` (when the table is full at the start of an item, it starts
 * over). A word's facts are worked out once instead of once per use (stop-word tests, jieba's IDF
 * and dictionary tables): most words of a news item are words of the items before it. They are
 * kept in arrays by a number per remembered word, and a token of one or two code units
 * (punctuation, 的, 在…, most words) finds its number without hashing the string. The tables must
 * not change meanwhile (words inserted into jieba later are not seen by words already remembered).
 */
export function createWordFacts(tables: JiebaTables, limit = 100_000): WordFactsCache {
  let known = new Map<string, number>();
  /** A remembered one-character word's number + 1, by its UTF-16 code (0: not remembered). */
  const singles = new Int32Array(0x10000);
  // Two-character words, most of the rest, by their two codes in an open-addressing table: a look-up
  // without hashing the string (jieba's words are new strings every item, each hashed anew by a Map).
  let pairKeys = new Uint32Array(1 << 16);
  /** The word's number + 1 (0: a free slot). */
  let pairIds = new Int32Array(1 << 16);
  let pairCount = 0;
  const pairSlot = (key: number, keys: Uint32Array, ids: Int32Array): number => {
    const mask = keys.length - 1;
    let slot = Math.imul(key, 0x9e3779b1) & mask;
    while (ids[slot] !== 0 && keys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  };
  const addPair = (key: number, id: number) => {
    if ((pairCount + 1) * 2 > pairKeys.length) {
      const keys = new Uint32Array(pairKeys.length * 2);
      const ids = new Int32Array(pairKeys.length * 2);
      for (let i = 0; i < pairKeys.length; i++) {
        if (pairIds[i] === 0) continue;
        const slot = pairSlot(pairKeys[i]!, keys, ids);
        keys[slot] = pairKeys[i]!;
        ids[slot] = pairIds[i]!;
      }
      pairKeys = keys;
      pairIds = ids;
    }
    const slot = pairSlot(key, pairKeys, pairIds);
    pairKeys[slot] = key;
    pairIds[slot] = id + 1;
    pairCount++;
  };
  let texts: string[] = [];
  let flags = new Uint8Array(1024);
  let idfs = new Float64Array(1024);
  /** The item that last numbered a remembered word, and its number there. */
  let lastItem = new Int32Array(1024);
  let localNumber = new Int32Array(1024);
  let item = 0;
  const remember = (text: string): number => {
    const id = texts.length;
    if (id === flags.length) {
      const grow = <T extends Uint8Array | Float64Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      flags = grow(flags);
      idfs = grow(idfs);
      lastItem = grow(lastItem);
      localNumber = grow(localNumber);
    }
    texts.push(text);
    flags[id] = keywordFlags(text, tables) | (isSummaryWord(text) ? SUMMARY_WORD : 0);
    idfs[id] = tables.idf(text);
    lastItem[id] = 0;
    return id;
  };
  return {
    forItem(tokens) {
      if (texts.length >= limit) {
        known = new Map();
        singles.fill(0);
        pairIds.fill(0);
        pairCount = 0;
        texts = [];
      }
      item++;
      const ids: number[] = [];
      const numbers = new Int32Array(tokens.length);
      for (let i = 0; i < tokens.length; i++) {
        const text = tokens[i]!;
        let id: number;
        if (text.length === 1) {
          const code = text.charCodeAt(0);
          id = singles[code]! - 1;
          if (id < 0) singles[code] = (id = remember(text)) + 1;
        } else if (text.length === 2) {
          const key = ((text.charCodeAt(0) << 16) | text.charCodeAt(1)) >>> 0;
          const slot = pairSlot(key, pairKeys, pairIds);
          id = pairIds[slot]! - 1;
          if (id < 0) addPair(key, (id = remember(text)));
        } else {
          let found = known.get(text);
          if (found === undefined) known.set(text, (found = remember(text)));
          id = found;
        }
        if (lastItem[id] !== item) {
          lastItem[id] = item;
          localNumber[id] = ids.length;
          ids.push(id);
        }
        numbers[i] = localNumber[id]!;
      }
      const size = ids.length;
      const words = { size, text: new Array<string>(size), flags: new Uint8Array(size), idf: new Float64Array(size) };
      for (let k = 0; k < size; k++) {
        const id = ids[k]!;
        words.text[k] = texts[id]!;
        words.flags[k] = flags[id]!;
        words.idf[k] = idfs[id]!;
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
