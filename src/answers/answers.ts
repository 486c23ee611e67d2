/** The questions a reader can ask, answered as plain data (see `answer.ts`). Implemented by `createAnswers`. */
import type { Answer, CountyListAnswer } from './answer.js';

export interface PageRequest {
  /** 1-based page number; default 1. */
  page?: number;
  /** Results per page; default the configured page size (inline mode asks for more). */
  pageSize?: number;
}

export interface Answers {
  /** `/search 词…`: ranked results, or no-results with suggestions, or a problem (empty query…). */
  search(query: string, request?: PageRequest): Answer;
  /** `/latest`: newest items first (page date, then page order). */
  latest(request?: PageRequest): Answer;
  /** `/county 名`: items of that county, newest first; no or unknown name lists the counties. */
  county(name: string, request?: PageRequest): Answer;
  /** One item in full by id (button or deep link). */
  article(id: string): Answer;
  /** The items most related to one item (the 相关报道 button; `cli related`). */
  related(id: string): Answer;
  /** Completions of what a reader is typing (inline mode), best first; empty while none are known. */
  complete(text: string): string[];
  /** The county-level areas with their item counts. */
  counties(): CountyListAnswer;
}
