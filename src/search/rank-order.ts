/**
 * Sorting search hits best first: more query words matched, then higher score, then newer. A common
 * word matches most of the archive (8,000 of 10,000 items), and `Array.sort` with a comparator
 * spent ~10 ms there calling back into JS 100,000 times. Here the scores are sorted natively as a
 * Float64Array, each carrying its hit's index in the low bits of its mantissa (changing the score by
 * less than 2^-32 of itself), and only runs of tied scores are then ordered by recency.
 */

export interface Rankable {
  score: number;
  order: number;
  /** How many query words it matched. */
  matched: number;
}

/** Scores closer than this (relatively) are a tie, so float noise does not beat recency. */
export const TIE_EPSILON = 1e-9;
/** Below this many hits the plain comparator sort is as fast. */
const NATIVE_FROM = 64;
const INDEX_BITS = 20;
const INDEX_LIMIT = 2 ** INDEX_BITS;

/** The reference order (what `sortByRank` gives). */
export function compareRank(a: Rankable, b: Rankable): number {
  if (a.matched !== b.matched) return b.matched - a.matched;
  if (!isTie(a.score, b.score)) return b.score - a.score;
  return b.order - a.order;
}

function isTie(a: number, b: number): boolean {
  return Math.abs(a - b) <= TIE_EPSILON * Math.max(Math.abs(a), Math.abs(b));
}

/** Sorts in place, best first, and returns the array. */
export function sortByRank<T extends Rankable>(hits: T[]): T[] {
  const n = hits.length;
  const scores = new Float64Array(n);
  const orders = new Float64Array(n);
  const matched = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    scores[i] = hits[i]!.score;
    orders[i] = hits[i]!.order;
    matched[i] = hits[i]!.matched;
  }
  const sorted = rankPermutation(scores, orders, matched).map((i) => hits[i]!);
  for (let i = 0; i < n; i++) hits[i] = sorted[i]!;
  return hits;
}

/**
 * The order `sortByRank` gives to hits held as columns (hit i: scores[i], orders[i], matched[i]),
 * as indices best first: ranking thousands of hits needs no object per hit.
 */
export function rankPermutation(scores: Float64Array, orders: Float64Array, matched: Float64Array): number[] {
  const n = scores.length;
  const compare = (a: number, b: number): number => {
    if (matched[a] !== matched[b]) return matched[b]! - matched[a]!;
    if (!isTie(scores[a]!, scores[b]!)) return scores[b]! - scores[a]!;
    return orders[b]! - orders[a]!;
  };
  const all = Array.from({ length: n }, (_, i) => i);
  if (n < NATIVE_FROM || n >= INDEX_LIMIT) return all.sort(compare);
  // Groups by words matched (few distinct counts), each sorted on its own.
  const byMatched = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const group = byMatched.get(matched[i]!);
    if (group === undefined) byMatched.set(matched[i]!, [i]);
    else group.push(i);
  }
  const counts = [...byMatched.keys()].sort((a, b) => b - a);
  const out: number[] = [];
  for (const count of counts) for (const i of sortByScore(byMatched.get(count)!, scores, orders, compare)) out.push(i);
  return out;
}

function sortByScore(group: number[], scores: Float64Array, orders: Float64Array, compare: (a: number, b: number) => number): number[] {
  const n = group.length;
  if (n < NATIVE_FROM) return group.sort(compare);
  const keys = new Float64Array(n);
  const words = new Uint32Array(keys.buffer);
  // Little-endian: words[2i] is the low half of the mantissa.
  const low = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
  for (let i = 0; i < n; i++) {
    const score = scores[group[i]!]!;
    // Scores are positive (BM25); anything else goes the slow way.
    if (!(score > 0 && score < Infinity)) return group.sort(compare);
    // Negated: ascending order is best first.
    keys[i] = -score;
    const w = 2 * i + low;
    words[w] = ((words[w]! & ~(INDEX_LIMIT - 1)) | i) >>> 0;
  }
  keys.sort();
  const sorted = new Array<number>(n);
  for (let i = 0; i < n; i++) sorted[i] = group[words[2 * i + low]! & (INDEX_LIMIT - 1)]!;
  // Runs of tied scores (each within the tolerance of the next) go newest first.
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && isTie(scores[sorted[i - 1]!]!, scores[sorted[i]!]!)) continue;
    if (i - start > 1) {
      const run = sorted.slice(start, i).sort((a, b) => orders[b]! - orders[a]! || scores[b]! - scores[a]!);
      for (let j = 0; j < run.length; j++) sorted[start + j] = run[j]!;
    }
    start = i;
  }
  return sorted;
}
