import { describe, expect, it } from 'vitest';
import { createQueryStore } from '../../src/telegram/query-store.js';

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('the list store behind page buttons', () => {
  it('returns what was put under a short [a-z0-9] key', () => {
    const store = createQueryStore<string>({ capacity: 10, ttlMs: 1000, clock: clock().now });
    const key = store.put('医保');
    expect(key).toMatch(/^[a-z0-9]{1,12}$/);
    expect(store.get(key)).toBe('医保');
    expect(store.get('nope')).toBeUndefined();
  });

  it('forgets a key unused for the TTL, and renews it on use', () => {
    const time = clock();
    const store = createQueryStore<string>({ capacity: 10, ttlMs: 1000, clock: time.now });
    const kept = store.put('kept');
    const dropped = store.put('dropped');
    time.advance(900);
    expect(store.get(kept)).toBe('kept');
    time.advance(200);
    expect(store.get(dropped)).toBeUndefined();
    expect(store.get(kept)).toBe('kept');
    time.advance(1000);
    expect(store.get(kept)).toBeUndefined();
  });

  it('is bounded: beyond capacity the least recently used goes first', () => {
    const store = createQueryStore<number>({ capacity: 3, ttlMs: 60_000, clock: clock().now });
    const keys = [1, 2, 3].map((n) => store.put(n));
    store.get(keys[0]!); // 1 is now the most recent
    store.put(4);
    expect(store.size).toBe(3);
    expect(store.get(keys[1]!)).toBeUndefined();
    expect(store.get(keys[0]!)).toBe(1);
  });

  it('makes keys that do not collide with another run (random prefix)', () => {
    const a = createQueryStore<number>({ capacity: 3, ttlMs: 1, clock: () => 0 });
    const b = createQueryStore<number>({ capacity: 3, ttlMs: 1, clock: () => 0, keyPrefix: 'zz' });
    expect(b.put(1)).toBe('zz1');
    expect(a.put(1)).not.toBe('zz1');
  });
});
