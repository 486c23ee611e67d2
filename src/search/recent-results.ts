/**
 * The last few answers of a computation by key, most recently used kept: a reader paging through
 * results, or many readers asking the same thing, costs one search. The owner clears it whenever
 * what the answers depend on changes.
 */
export interface RecentResults<T> {
  /** The cached value, or the computed one (then kept). */
  get(key: string, compute: () => T): T;
  clear(): void;
}

/** @example const recent = createRecentResults<number[]>(32); recent.get('发展', () => search('发展')); */
export function createRecentResults<T>(capacity: number): RecentResults<T> {
  const kept = new Map<string, T>();
  return {
    get(key, compute) {
      const hit = kept.get(key);
      if (hit !== undefined) {
        // Map keeps insertion order: re-inserting marks it most recent.
        kept.delete(key);
        kept.set(key, hit);
        return hit;
      }
      const value = compute();
      kept.set(key, value);
      if (kept.size > capacity) kept.delete(kept.keys().next().value as string);
      return value;
    },
    clear: () => kept.clear(),
  };
}
