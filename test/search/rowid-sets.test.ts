/** The set operations totals are counted with, against JavaScript's Set on random sparse item numbers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countAll, setFromBlob, union } from '../../src/search/rowid-sets.js';

// Item numbers as the archive makes them: day × 2^20 + n.
const rowids = fc.uniqueArray(fc.tuple(fc.integer({ min: 19_000, max: 19_010 }), fc.integer({ min: 0, max: 40 })).map(([day, n]) => day * 2 ** 20 + n), { maxLength: 120 });
const asSet = (list: number[]) => Float64Array.from([...list].sort((a, b) => a - b));
const sorted = (values: Iterable<number>) => [...values].sort((a, b) => a - b);

describe('rowid sets', () => {
  it('counts the rowids in every set of one list and in none of the other, as Set does', () => {
    fc.assert(
      fc.property(fc.array(rowids, { minLength: 1, maxLength: 4 }), fc.array(rowids, { maxLength: 3 }), (all, none) => {
        const expected = all[0]!.filter((v) => all.every((s) => s.includes(v)) && !none.some((s) => s.includes(v))).length;
        expect(countAll(all.map(asSet), none.map(asSet))).toBe(expected);
      }),
    );
    // A short list against a long one: the search gallops, and finds the ends.
    const long = Float64Array.from({ length: 100_000 }, (_, i) => i * 3);
    expect(countAll([long, Float64Array.from([0, 1, 150_000, 299_997, 299_998])])).toBe(3);
    expect(countAll([long], [Float64Array.from([3, 6])])).toBe(99_998);
  });

  it('unites two lists as Set does', () => {
    fc.assert(
      fc.property(rowids, rowids, (a, b) => {
        expect([...union(asSet(a), asSet(b))]).toEqual(sorted(new Set([...a, ...b])));
      }),
    );
  });

  it('reads the doubles phrase_rowids() returns, and nothing from NULL', () => {
    const values = [19_000 * 2 ** 20, 19_000 * 2 ** 20 + 7, 20_500 * 2 ** 20 + 1];
    const blob = new Uint8Array(Float64Array.from(values).buffer);
    // A blob from SQLite need not be aligned for a Float64Array: read from an odd offset.
    const unaligned = new Uint8Array(blob.length + 1).subarray(1);
    unaligned.set(blob);
    expect([...setFromBlob(unaligned)]).toEqual(values);
    expect(setFromBlob(null).length).toBe(0);
  });
});
