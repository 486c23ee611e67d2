/** The set operations totals are counted with, against JavaScript's Set on random sparse item numbers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intersect, setFromBlob, union, without } from '../../src/search/rowid-sets.js';

// Item numbers as the archive makes them: day × 2^20 + n.
const rowids = fc.uniqueArray(fc.tuple(fc.integer({ min: 19_000, max: 19_010 }), fc.integer({ min: 0, max: 40 })).map(([day, n]) => day * 2 ** 20 + n), { maxLength: 120 });
const asSet = (list: number[]) => Float64Array.from([...list].sort((a, b) => a - b));
const sorted = (values: Iterable<number>) => [...values].sort((a, b) => a - b);

describe('rowid sets', () => {
  it('intersect, union and without give what Set gives', () => {
    fc.assert(
      fc.property(rowids, rowids, (a, b) => {
        const [x, y] = [asSet(a), asSet(b)];
        expect([...intersect(x, y)]).toEqual(sorted(a.filter((v) => b.includes(v))));
        expect([...union(x, y)]).toEqual(sorted(new Set([...a, ...b])));
        expect([...without(x, y)]).toEqual(sorted(a.filter((v) => !b.includes(v))));
      }),
    );
  });

  it('reads the doubles rowid_list() returns, and nothing from NULL', () => {
    const values = [19_000 * 2 ** 20, 19_000 * 2 ** 20 + 7, 20_500 * 2 ** 20 + 1];
    const blob = new Uint8Array(Float64Array.from(values).buffer);
    // A blob from SQLite need not be aligned for a Float64Array: read from an odd offset.
    const unaligned = new Uint8Array(blob.length + 1).subarray(1);
    unaligned.set(blob);
    expect([...setFromBlob(unaligned)]).toEqual(values);
    expect(setFromBlob(null).length).toBe(0);
  });
});
