/**
 * Answers as plain data. The core fills these; the terminal and Telegram adapters render them.
 * Nothing here knows about HTML, Markdown or buttons.
 */
import type { Item } from '../pages/item.js';

/** Half-open ranges `[start, end)` in `text` that matched the query, for the adapter to emphasise. */
export interface MarkedText {
  text: string;
  marks: Array<[number, number]>;
}

export interface ResultEntry {
  item: Item;
  score: number;
  summary: string;
  keywords: string[];
  /** The sentence that best matches the query (null for /latest and /county). */
  snippet: MarkedText | null;
  /** The headline with the matched words marked. */
  title: MarkedText;
}

export interface CountyCount {
  name: string;
  count: number;
}

export type ListCommand = 'search' | 'latest' | 'county';

/**
 * Set on a list while a starting bot is still loading older pages (newest first): the list may
 * miss older items, and the reader is told so.
 */
export interface LoadingNote {
  /** Page files loaded so far, of all the page files there are. */
  pages: number;
  totalPages: number;
}

export interface ResultsAnswer {
  kind: 'results';
  command: ListCommand;
  /** The query as the reader typed it (search), or the county name (county). */
  query: string;
  /** The county the list is filtered to, if any. */
  county: string | null;
  /** 1-based page number and the page count. */
  page: number;
  pageCount: number;
  total: number;
  results: ResultEntry[];
  /**
   * How a search found its results when not every word matched whole (absent: they did):
   * `words` the query's words each found apart, `partial` only some of the words, `near` the
   * words' characters close together. The adapters say so above the list.
   */
  match?: 'words' | 'partial' | 'near';
  /** Present while older pages are still loading: the list may miss older items. */
  loading?: LoadingNote;
}

export interface NoResultsAnswer {
  kind: 'no-results';
  query: string;
  county: string | null;
  /** Close words that do match something, best first. */
  suggestions: string[];
  counties: CountyCount[];
}

export interface CountyListAnswer {
  kind: 'county-list';
  /** The name the reader asked for that matched no county, or null when none was given. */
  unknown: string | null;
  /** Items that belong to no county (city-level). */
  cityLevel: number;
  counties: CountyCount[];
  /** Present while older pages are still loading: the counts are not final. */
  loading?: LoadingNote;
}

export interface ArticleAnswer {
  kind: 'article';
  item: Item;
  summary: string;
  keywords: string[];
}

/** `相关报道`: the items closest to one item (by headline and keywords), never itself or a copy. */
export interface RelatedAnswer {
  kind: 'related';
  item: Item;
  results: ResultEntry[];
}

export type ProblemCode =
  | 'empty-query'
  | 'query-too-long'
  | 'no-searchable-words'
  | 'page-out-of-range'
  | 'unknown-article'
  | 'not-ready'
  | 'no-items'
  | 'still-loading';

export interface ProblemAnswer {
  kind: 'problem';
  problem: ProblemCode;
  /** What the reader sent, for the message (already trimmed; may be empty). */
  input: string;
  /** For page-out-of-range: how many pages there are. */
  pageCount?: number;
  /** For still-loading: how far loading is. */
  loading?: LoadingNote;
}

export type Answer = ResultsAnswer | NoResultsAnswer | CountyListAnswer | ArticleAnswer | RelatedAnswer | ProblemAnswer;
