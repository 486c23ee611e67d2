/**
 * Index words close to a query word, for "did you mean" suggestions: longer words it begins, and
 * words one or two edits away. Found by walking the sorted terms that share the word's first
 * character (a reader's slip is rarely the first character, and that range is small), with a
 * cheap score per candidate: closeness × about how many items hold it. MiniSearch's fuzzy search
 * did this through its radix tree and scored every matching document (the slow tail of no-hit
 * queries); the weights here are its own.
 */
import type { PostingsStore } from './postings-store.js';
import type { QueryTerm } from './query-terms.js';
import { decodeTerm, encodeTerm } from './term-keys.js';

/** MiniSearch's weights for prefix and fuzzy matches. */
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;

/**
 * Up to `limit` close words (not the word itself, at least two characters), best first.
 * `fields`: the store's word fields to look in.
 */
export function closeTerms(store: PostingsStore, fields: readonly number[], term: QueryTerm, limit: number): string[] {
  const scores = new Map<string, number>();
  for (const query of new Set([term.text, ...term.words])) {
    if (query === '') continue;
    const key = encodeTerm(query);
    // Encoded lengths count the two bucket characters: one edit up to 3 characters, two above.
    const maxEdits = key.length <= 5 ? 1 : 2;
    // The bucket and the first character (a surrogate pair's first half is enough to narrow).
    const range = key.slice(0, 3);
    for (const field of fields) {
      for (const [candidate, about] of store.termsWithPrefix(field, range)) {
        let weight: number;
        if (candidate.startsWith(key)) {
          const distance = candidate.length - key.length;
          weight = distance === 0 ? 1 : (PREFIX_WEIGHT * candidate.length) / (candidate.length + 0.3 * distance);
        } else {
          const edits = editDistanceWithin(candidate, key, maxEdits);
          if (edits < 0) continue;
          weight = (FUZZY_WEIGHT * candidate.length) / (candidate.length + edits);
        }
        const word = decodeTerm(candidate);
        scores.set(word, (scores.get(word) ?? 0) + weight * about);
      }
    }
  }
  return [...scores.entries()]
    .filter(([word]) => word !== term.text && word.length >= 2)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([word]) => word);
}

/** Levenshtein distance of a and b if it is at most `max`, else -1. */
export function editDistanceWithin(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return -1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return -1;
    previous = current;
  }
  const distance = previous[b.length]!;
  return distance <= max ? distance : -1;
}
