/**
 * An item as the archive writes it: its row's JSON and its FTS columns (normalised, tokenised).
 * Made wherever the page is parsed (the page-parsing worker of a cold start, or the main thread
 * for one page), so that writing a page is only SQL.
 */
import type { Item } from '../pages/item.js';
import { ftsTokens } from '../search/fts-text.js';

export interface StorableItem {
  id: string;
  county: string | null;
  /** The item, as the `items` table stores it. */
  json: string;
  /** The FTS table's headline, subheadline and body columns. */
  fts: [string, string, string];
}

/** @example storableItem(item, createNormalizer()).fts[0] // '推进 进医 医保 保' */
export function storableItem(item: Item, normalize: (text: string) => string): StorableItem {
  return {
    id: item.id,
    county: item.county ?? null,
    json: JSON.stringify(item),
    fts: [ftsTokens(normalize(item.title)), ftsTokens(normalize(item.subtitle ?? '')), ftsTokens(normalize(item.paragraphs.join('\n')))],
  };
}
