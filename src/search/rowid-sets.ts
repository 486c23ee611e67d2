/**
 * Sets of item numbers (FTS5 rowids) as ascending lists, as the search extension's `rowid_list()`
 * returns them (see src/sqlite/search-extension.c): the matches of each word, kept, give the matches
 * of any query of those words by merging lists, without reading the index again. Item numbers are
 * sparse (a day's items start at day × 2^20), so the lists are numbers, not bitmaps.
 */
export type RowidSet = Float64Array;

/** The blob `rowid_list()` returned (null: no rows): its doubles, copied to aligned memory. */
export function setFromBlob(blob: Uint8Array | null): RowidSet {
  if (blob === null || blob.length === 0) return new Float64Array(0);
  const set = new Float64Array(blob.length / 8);
  new Uint8Array(set.buffer).set(blob);
  return set;
}

export function intersect(a: RowidSet, b: RowidSet): RowidSet {
  const out = new Float64Array(Math.min(a.length, b.length));
  let n = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out[n++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, n);
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

/** What `a` holds and `b` does not. */
export function without(a: RowidSet, b: RowidSet): RowidSet {
  const out = new Float64Array(a.length);
  let n = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    while (j < b.length && b[j]! < x) j++;
    if (j >= b.length || b[j] !== x) out[n++] = x;
  }
  return out.subarray(0, n);
}
