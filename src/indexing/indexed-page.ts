/**
 * One page made ready for the archive and the index: its parsed items with their summaries,
 * keywords and jieba words. This is what a worker computes and what the page cache keeps, so an
 * unchanged page is never parsed or segmented again.
 */
import { enrichItem } from '../answers/enrich-items.js';
import type { IndexedItem } from '../pages/item.js';
import type { LoadedPage } from '../pages/load-pages.js';
import { itemOrder } from '../answers/enrich-items.js';
import { documentTerms, wordTerms, type DocumentTerms, type WordTerms } from '../search/document-terms.js';
import type { Segmenter } from '../text/segmenter.js';
import { analyzeItem, type ItemAnalyzer } from './item-analysis.js';

export interface IndexedPage {
  page: LoadedPage;
  /** Per item, in page order. */
  summaries: string[];
  keywords: string[][];
  words: WordTerms[];
}

/** What the archive needs of an indexed page (a worker sends no words back: the terms carry them). */
export type SummarizedPage = Pick<IndexedPage, 'page' | 'summaries' | 'keywords'>;

/** Summaries, keywords and words of every item of a parsed page (jieba: the costly part). */
export function indexPage(page: LoadedPage, seg: Segmenter, summaryMaxChars: number): IndexedPage {
  const summaries: string[] = [];
  const keywords: string[][] = [];
  const words: WordTerms[] = [];
  for (const item of page.items) {
    const entry = enrichItem(item, seg, { summaryMaxChars });
    summaries.push(entry.summary);
    keywords.push(entry.keywords);
    words.push(wordTerms(item, seg));
  }
  return { page, summaries, keywords, words };
}

/**
 * `indexPage` and `pageTerms` at once, each item normalised and cut once (see `analyzeItem`): what
 * the workers run. Gives the same summaries, keywords and words as `indexPage`.
 */
export function indexPageOnce(
  page: LoadedPage,
  analyzer: ItemAnalyzer,
  summaryMaxChars: number,
  grams: boolean,
): { indexed: IndexedPage; terms: DocumentTerms[] } {
  const summaries: string[] = [];
  const keywords: string[][] = [];
  const words: WordTerms[] = [];
  const terms: DocumentTerms[] = [];
  for (const item of page.items) {
    const analysis = analyzeItem(item, analyzer, summaryMaxChars);
    summaries.push(analysis.summary);
    keywords.push(analysis.keywords);
    words.push(analysis.words);
    terms.push(documentTerms(item, analysis.words, analyzer.seg.normalize, grams, analysis));
  }
  return { indexed: { page, summaries, keywords, words }, terms };
}

/** The archive's entries of an indexed page. */
export function pageEntries(indexed: SummarizedPage): IndexedItem[] {
  return indexed.page.items.map((item, i) => ({
    item,
    summary: indexed.summaries[i] ?? '',
    keywords: indexed.keywords[i] ?? [],
    order: itemOrder(item),
  }));
}

/** Every field's terms of each item (the grams need only the normaliser). */
export function pageTerms(indexed: IndexedPage, normalize: (s: string) => string, grams: boolean): DocumentTerms[] {
  return indexed.page.items.map((item, i) => documentTerms(item, indexed.words[i]!, normalize, grams));
}

/** A shape check for what comes back from a cache file. */
export function isIndexedPage(value: unknown): value is IndexedPage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<IndexedPage>;
  const n = v.page?.items?.length;
  return (
    typeof v.page?.file === 'string' &&
    typeof n === 'number' &&
    Array.isArray(v.summaries) && v.summaries.length === n &&
    Array.isArray(v.keywords) && v.keywords.length === n &&
    Array.isArray(v.words) && v.words.length === n &&
    v.words.every((w) => Array.isArray(w) && w.length === 3 && w.every((f) => typeof f?.keys === 'string' && f.counts instanceof Uint16Array))
  );
}
