/** What the parser makes of a newspaper page: one entry per article or photo caption. */

export type ItemKind = 'article' | 'photo';

export interface ItemSource {
  /** Page file name, relative to the seeds folder (e.g. `000_6151b1adbe3a5f5a.txt`). */
  file: string;
  /** Position of the item on its page, 0-based, in reading order. */
  index: number;
}

export interface Item {
  /** Short, stable id derived from the page and the item's content; `[a-z0-9]`, safe in buttons and deep links. */
  id: string;
  kind: ItemKind;
  /** Headline. For a photo: the photo-news heading if it has one, else the caption's first clause. */
  title: string;
  /** Subheadline (`## ` right under the headline), or null. */
  subtitle: string | null;
  authors: string[];
  photographers: string[];
  /** ISO date `YYYY-MM-DD` of the page, or null when the page is undated. */
  date: string | null;
  /** Every county-level area the item is about, most relevant first. */
  counties: string[];
  /** The primary county, or null for a city-level item. */
  county: string | null;
  /** Body paragraphs, each whole (column breaks repaired). For a photo: the caption without photographers. */
  paragraphs: string[];
  /**
   * The article's closing credits as printed (`（记者 张三 李四） （完）`, `来源：中安在线 作者：陈海宾`),
   * taken out of the body: the names they give are in `authors`/`photographers` too. Absent or null: none.
   */
  credit?: string | null;
  /** Where the story comes from, from a `来源：` credit (`中安在线`). Absent or null: not said. */
  origin?: string | null;
  source: ItemSource;
}

/** An item once the indexer has read it: the summary and keywords are computed once, not per request. */
export interface IndexedItem {
  item: Item;
  summary: string;
  keywords: string[];
  /** Global reading order: pages by date then file name, items by position. Larger is newer. */
  order: number;
}
