/**
 * Per-user flood control: a token bucket per user. A user who sends faster than the bucket refills
 * gets one polite notice, then silence until they calm down (bucket full again), never a flood of
 * replies. Time from an injected clock; the table of users is bounded.
 */
import type { Clock } from './clock.js';

/** allow: handle it; notify: drop it and send the notice once; drop: drop it silently. */
export type FloodVerdict = 'allow' | 'notify' | 'drop';

export interface FloodGuardOptions {
  /** Updates a user may send in a burst. */
  burst: number;
  /** Updates per second the bucket refills. */
  perSecond: number;
  clock: Clock;
  /** Users remembered at most (least recently seen forgotten first). */
  maxUsers?: number;
}

export interface FloodGuard {
  check(userId: number): FloodVerdict;
}

/** @example createFloodGuard({ burst: 5, perSecond: 1, clock: Date.now }).check(42) // 'allow' */
export function createFloodGuard(options: FloodGuardOptions): FloodGuard {
  const maxUsers = options.maxUsers ?? 10_000;
  const buckets = new Map<number, { tokens: number; at: number; notified: boolean }>();

  return {
    check(userId) {
      const now = options.clock();
      const previous = buckets.get(userId);
      buckets.delete(userId);
      const bucket = previous ?? { tokens: options.burst, at: now, notified: false };
      const elapsed = Math.max(0, now - bucket.at) / 1000;
      bucket.tokens = Math.min(options.burst, bucket.tokens + elapsed * options.perSecond);
      bucket.at = now;
      if (bucket.tokens >= options.burst) bucket.notified = false; // calmed down: a later burst may be told again
      let verdict: FloodVerdict;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        verdict = 'allow';
      } else if (!bucket.notified) {
        bucket.notified = true;
        verdict = 'notify';
      } else {
        verdict = 'drop';
      }
      buckets.set(userId, bucket);
      if (buckets.size > maxUsers) buckets.delete(buckets.keys().next().value as number);
      return verdict;
    },
  };
}
