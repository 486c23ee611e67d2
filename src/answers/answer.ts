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
}

export interface ArticleAnswer {
  kind: 'article';
  item: Item;
  summary: string;
  keywords: string[];
}

export type ProblemCode =
  | 'empty-query'
  | 'query-too-long'
  | 'no-searchable-words'
  | 'page-out-of-range'
  | 'unknown-article'
  | 'not-ready'
  | 'no-items';

export interface ProblemAnswer {
  kind: 'problem';
  problem: ProblemCode;
  /** What the reader sent, for the message (already trimmed; may be empty). */
  input: string;
  /** For page-out-of-range: how many pages there are. */
  pageCount?: number;
}

export type Answer = ResultsAnswer | NoResultsAnswer | CountyListAnswer | ArticleAnswer | ProblemAnswer;
