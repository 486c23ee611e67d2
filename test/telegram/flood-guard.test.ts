import { describe, expect, it } from 'vitest';
import { createFloodGuard } from '../../src/telegram/flood-guard.js';

describe('flood control', () => {
  it('lets a burst through, then one notice, then silence, then service again once calm', () => {
    let now = 0;
    const guard = createFloodGuard({ burst: 3, perSecond: 1, clock: () => now });
    const verdicts = Array.from({ length: 8 }, () => guard.check(7));
    expect(verdicts).toEqual(['allow', 'allow', 'allow', 'notify', 'drop', 'drop', 'drop', 'drop']);
    now += 1000; // one token back: served, but no second notice while still hammering
    expect([guard.check(7), guard.check(7)]).toEqual(['allow', 'drop']);
    now += 10_000; // calm again: a new burst may be told once more
    expect(Array.from({ length: 4 }, () => guard.check(7))).toEqual(['allow', 'allow', 'allow', 'notify']);
  });

  it('keeps users apart', () => {
    const guard = createFloodGuard({ burst: 1, perSecond: 1, clock: () => 0 });
    expect([guard.check(1), guard.check(1), guard.check(2)]).toEqual(['allow', 'notify', 'allow']);
  });

  it('remembers a bounded number of users', () => {
    const guard = createFloodGuard({ burst: 1, perSecond: 0.001, clock: () => 0, maxUsers: 2 });
    guard.check(1);
    guard.check(2);
    guard.check(3); // user 1 forgotten
    expect(guard.check(1)).toBe('allow');
  });
});
