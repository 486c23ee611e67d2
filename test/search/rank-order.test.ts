import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareRank, sortByRank, type Rankable } from '../../src/search/rank-order.js';

type Hit = Rankable & { id: number };

describe('sortByRank', () => {
  // Scores drawn from a few values, some a float-noise step apart: ties, near-ties and clear gaps.
  const base = fc.constantFrom(0.5, 1, 1.0000000000000002, 3.25, 3.2500000001, 7, 1e6, 1e-6);
  const hit = fc.record({ score: base, order: fc.integer({ min: 0, max: 30 }), matched: fc.integer({ min: 1, max: 3 }) });

  it('orders like the comparator: words matched, then score, then newer first', () => {
    fc.assert(
      fc.property(fc.array(hit, { minLength: 0, maxLength: 400 }), (raw) => {
        const hits: Hit[] = raw.map((h, id) => ({ ...h, id }));
        const expected = [...hits].sort(compareRank);
        const actual = sortByRank([...hits]);
        expect(actual.map((h) => [h.matched, h.score, h.order])).toEqual(expected.map((h) => [h.matched, h.score, h.order]));
        expect(new Set(actual.map((h) => h.id)).size).toBe(hits.length);
      }),
      { numRuns: 200 },
    );
  });

  it('lets recency decide between scores that differ only by float noise, in large lists too', () => {
    const hits: Hit[] = Array.from({ length: 500 }, (_, id) => ({ id, score: id % 2 === 0 ? 2.5 : 2.5 * (1 + 1e-12), order: id, matched: 1 }));
    expect(sortByRank(hits).map((h) => h.order)).toEqual(Array.from({ length: 500 }, (_, i) => 499 - i));
  });
});
