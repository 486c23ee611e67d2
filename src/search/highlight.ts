/**
 * Marks where a query matched: in the headline, and in the body sentence that best matches (the
 * snippet). Matching runs on normalised text; the normaliser is length-preserving, so the ranges
 * found there are the ranges in the original text the reader sees.
 */
import type { MarkedText } from '../answers/answer.js';
import { splitSentences } from '../text/sentences.js';

/** A query word or phrase as looked for: normalised, and the words it was split into (itself when whole). */
export interface QueryTerm {
  text: string;
  words: string[];
}

export interface QueryTerms {
  words: QueryTerm[];
  phrases: QueryTerm[];
  excluded: QueryTerm[];
}

export interface Highlight {
  title: MarkedText;
  snippet: MarkedText | null;
}

/** What to look for: each word or phrase as typed, and its longer jieba words. */
export function highlightNeedles(terms: QueryTerms): string[] {
  const needles = new Set<string>();
  for (const term of [...terms.phrases, ...terms.words]) {
    needles.add(term.text);
    // Single characters of a split word (湖/枫/…) would light up everywhere: only whole words mark.
    for (const word of term.words) if (word.length >= 2 || term.text.length === 1) needles.add(word);
  }
  return [...needles].filter((n) => n !== '');
}

/**
 * The `[start, end)` ranges of `text` where any needle occurs, merged where they overlap or touch.
 *
 * @example
 * markText('推进医保服务', (s) => s, ['医保', '服务']); // { text: '推进医保服务', marks: [[2, 6]] }
 */
export function markText(text: string, normalize: (s: string) => string, needles: string[]): MarkedText {
  const normalized = normalize(text);
  const ranges: Array<[number, number]> = [];
  for (const needle of needles) {
    for (let at = normalized.indexOf(needle); at !== -1; at = normalized.indexOf(needle, at + needle.length)) {
      ranges.push([at, at + needle.length]);
    }
  }
  return { text, marks: mergeRanges(ranges) };
}

/** Sorted, non-overlapping ranges; touching ranges join so a split word marks as one. */
export function mergeRanges(ranges: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/**
 * The body sentence that best matches: a word or phrase found whole counts most, a word found
 * only in parts counts by the share of its jieba words; the earlier sentence wins a tie. Null when
 * no sentence matches at all. A sentence longer than `maxChars` is cut to a window around its first
 * mark, with … where it was cut.
 */
export function bestSnippet(
  paragraphs: string[],
  terms: QueryTerms,
  normalize: (s: string) => string,
  maxChars: number,
): MarkedText | null {
  const positive = [...terms.phrases, ...terms.words];
  const needles = highlightNeedles(terms);
  let best: { sentence: string; normalized: string; score: number } | null = null;
  for (const paragraph of paragraphs) {
    for (const raw of splitSentences(paragraph)) {
      const sentence = raw.trim();
      if (sentence === '') continue;
      const normalized = normalize(sentence);
      const score = sentenceScore(normalized, positive);
      if (score > 0 && (best === null || score > best.score)) best = { sentence, normalized, score };
    }
  }
  if (best === null) return null;
  const marked = markText(best.sentence, () => best.normalized, needles);
  return clipAroundMarks(marked, maxChars);
}

function sentenceScore(normalized: string, terms: QueryTerm[]): number {
  let score = 0;
  for (const term of terms) {
    if (normalized.includes(term.text)) {
      score += 2;
      continue;
    }
    const found = term.words.filter((w) => normalized.includes(w)).length;
    score += found / Math.max(term.words.length, 1);
  }
  return score;
}

/** Keeps `maxChars` characters around the first mark (a little context before it). */
export function clipAroundMarks(marked: MarkedText, maxChars: number): MarkedText {
  const { text, marks } = marked;
  if (text.length <= maxChars) return marked;
  const first = marks[0]?.[0] ?? 0;
  const start = Math.max(0, Math.min(first - Math.floor(maxChars / 4), text.length - maxChars));
  const end = Math.min(text.length, start + maxChars);
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const shift = prefix.length - start;
  const clipped: Array<[number, number]> = [];
  for (const [s, e] of marks) {
    const cs = Math.max(s, start);
    const ce = Math.min(e, end);
    if (cs < ce) clipped.push([cs + shift, ce + shift]);
  }
  return { text: prefix + text.slice(start, end) + suffix, marks: clipped };
}
