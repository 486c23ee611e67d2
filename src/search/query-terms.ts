/**
 * A parsed query turned into index terms: each word normalised, cut the query-time way (coarse, HMM
 * on) without stop words, plus its character bigrams for the fallback field.
 */
import type { Segmenter } from '../text/segmenter.js';
import { isStopWord } from '../text/stop-words.js';
import { queryGrams } from './character-grams.js';
import type { ParsedQuery } from './query.js';
import { encodeTerm } from './term-keys.js';

export interface QueryTerm {
  /** The word or phrase, normalised. */
  text: string;
  /** Its jieba words, stop words and punctuation removed. */
  words: string[];
  /** Its character bigrams (see `queryGrams`). */
  grams: string[];
  /** The bigrams as the index spells them (see `encodeTerm`), computed once per query, not per hit. */
  gramKeys: string[];
}

export interface QueryTerms {
  /** Plain words that carry something to look for (stop-word-only words are dropped). */
  words: QueryTerm[];
  /** Required exact phrases. */
  phrases: QueryTerm[];
  /** Excluded words and phrases. */
  excluded: QueryTerm[];
}

/** Analyses every part of the query once, for search, highlighting and suggestions alike. */
export function analyzeQuery(seg: Segmenter, query: ParsedQuery): QueryTerms {
  const term = (raw: string): QueryTerm => {
    const text = seg.normalize(raw.trim());
    const grams = queryGrams(text);
    return { text, words: contentWords(seg.cut(text)), grams, gramKeys: grams.map(encodeTerm) };
  };
  const searchable = (t: QueryTerm): boolean => t.words.length > 0;
  return {
    words: dedupe(query.words.map(term).filter(searchable)),
    // A phrase of stop words only ("的") would match nearly everything: dropped like such a word.
    phrases: dedupe(query.phrases.map(term).filter(searchable)),
    excluded: dedupe(query.excluded.map(term).filter((t) => t.text !== '')),
  };
}

/** Words that may match on their own: no stop words, no punctuation. */
export function contentWords(words: string[]): string[] {
  return words.filter((w) => !isStopWord(w));
}

function dedupe(terms: QueryTerm[]): QueryTerm[] {
  const seen = new Set<string>();
  return terms.filter((t) => !seen.has(t.text) && seen.add(t.text));
}
