/**
 * Sets of item numbers (FTS5 rowids) as ascending lists, as the search extension's `phrase_rowids()`
 * returns them (see src/sqlite/search-extension.c): the matches of each word, kept, give the number of
 * matches of any query of those words without reading the index again. Item numbers are sparse (a
 * day's items start at day × 2^20), so the lists are numbers, not bitmaps.
 */
export type RowidSet = Float64Array;

/** The blob `phrase_rowids()` returned (null: no rows) as doubles: a view where aligned, else a copy. */
export function setFromBlob(blob: Uint8Array | null): RowidSet {
  if (blob === null || blob.length === 0) return new Float64Array(0);
  if (blob.byteOffset % 8 === 0) return new Float64Array(blob.buffer, blob.byteOffset, blob.length / 8);
  const set = new Float64Array(blob.length / 8);
  new Uint8Array(set.buffer).set(blob);
  return set;
}

/**
 * How many rowids are in every set of `all` and in none of `none`, without making the set: the
 * smallest of `all` is walked, the others searched from where the last search ended (galloping, so
 * a short list against a long one costs little). A large result is never allocated.
 */
export function countAll(all: readonly RowidSet[], none: readonly RowidSet[] = []): number {
  if (all.length === 0) return 0;
  const sorted = [...all].sort((a, b) => a.length - b.length);
  const driver = sorted[0]!;
  const others = [...sorted.slice(1), ...none];
  const required = sorted.length - 1;
  const at = new Array<number>(others.length).fill(0);
  let n = 0;
  next: for (let i = 0; i < driver.length; i++) {
    const x = driver[i]!;
    for (let k = 0; k < others.length; k++) {
      const set = others[k]!;
      const j = seek(set, at[k]!, x);
      at[k] = j;
      const holds = j < set.length && set[j] === x;
      if (holds !== k < required) continue next;
    }
    n++;
  }
  return n;
}

/** The first index from `from` on whose rowid is at least `x` (exponential, then binary search). */
function seek(set: RowidSet, from: number, x: number): number {
  if (from >= set.length || set[from]! >= x) return from;
  let step = 1;
  let low = from;
  let high = from + 1;
  while (high < set.length && set[high]! < x) {
    low = high;
    step *= 2;
    high = from + step;
  }
  high = Math.min(high, set.length);
  // set[low] < x; set[high] >= x or high is the end.
  while (low + 1 < high) {
    const mid = (low + high) >>> 1;
    if (set[mid]! < x) low = mid;
    else high = mid;
  }
  return high;
}

export function union(a: RowidSet, b: RowidSet): RowidSet {
  const out = new Float64Array(a.length + b.length);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x <= y) {
      out[n++] = x;
      i++;
      if (x === y) j++;
    } else {
      out[n++] = y;
      j++;
    }
  }
  while (i < a.length) out[n++] = a[i++]!;
  while (j < b.length) out[n++] = b[j++]!;
  return out.subarray(0, n);
}
