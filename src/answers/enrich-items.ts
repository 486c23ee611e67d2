/**
 * Parsed items → indexed items: the summary and keywords are computed here once, at indexing,
 * never per request.
 */
import type { IndexedItem, Item } from '../pages/item.js';
import type { JiebaTables, Segmenter } from '../text/segmenter.js';
import { extractKeywords } from '../text/keywords.js';
import { summarize } from '../text/summarize.js';

export interface EnrichOptions {
  summaryMaxChars: number;
}

/**
 * How new an item is, for ranking ties: days since 1970 of its page date (0 when undated), then
 * its place on the page (the lead story first). Larger is newer; items of one day's pages tie.
 */
export function itemOrder(item: Item): number {
  const days = item.date ? Math.floor(Date.parse(`${item.date}T00:00:00Z`) / 86_400_000) : 0;
  return days * 1000 + (999 - Math.min(item.source.index, 999));
}

/** @example enrichItem(item, seg, loadJiebaTables(), { summaryMaxChars: 120 }).summary */
export function enrichItem(item: Item, seg: Segmenter, tables: JiebaTables, options: EnrichOptions): IndexedItem {
  // A photo's summary is its caption (without photographers): the parser already left them out.
  const summary = summarize(item.paragraphs, seg, { maxChars: options.summaryMaxChars, title: item.title });
  const keywords = extractKeywords(item.title, item.paragraphs, seg, tables);
  return { item, summary, keywords, order: itemOrder(item) };
}
