import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteLength, decodeCallback, encodeCallback, type CallbackAction } from '../../src/telegram/callback-data.js';

describe('callback data', () => {
  it('round-trips every action it accepts, and never makes more than 64 bytes', () => {
    const action: fc.Arbitrary<CallbackAction> = fc.oneof(
      fc.record({ kind: fc.constant('page' as const), key: fc.stringMatching(/^[a-z0-9]{1,70}$/), page: fc.integer({ min: 1, max: 999_999 }) }),
      fc.record({ kind: fc.constant('article' as const), id: fc.stringMatching(/^[a-z0-9]{1,80}$/) }),
      fc.record({ kind: fc.constant('county' as const), name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }) }),
      fc.record({ kind: fc.constant('search' as const), query: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((q) => q.trim() !== '') }),
    );
    fc.assert(
      fc.property(action, (a) => {
        const data = encodeCallback(a);
        if (data === null) return;
        expect(byteLength(data)).toBeLessThanOrEqual(64);
        expect(decodeCallback(data)).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });

  it('counts bytes, not characters: 21 Chinese characters fit, 22 do not', () => {
    expect(encodeCallback({ kind: 'county', name: '县'.repeat(20) })).toBe(`c:${'县'.repeat(20)}`);
    expect(encodeCallback({ kind: 'county', name: '县'.repeat(21) })).toBeNull(); // 2 + 63 bytes
  });

  it('refuses data this bot did not make', () => {
    for (const data of ['', 'x', 'p:', 'p:K!:1', 'p:abc:', 'a:', 'a:<b>', 'c:', 'zzz:1']) expect(decodeCallback(data)).toBeNull();
  });
});
