/** A clock the test moves, and a sleep that moves it instead of waiting. */
import type { Clock, Sleep } from '../../src/subscriptions/clock.js';

export class FakeClock implements Clock {
  constructor(public time: number) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/**
 * Resolves on the next macrotask, after anything already settling (a send) has run; moves the clock
 * only if nothing cancelled the wait meanwhile, so fake time passes only while the worker idles.
 */
export function fakeSleep(clock: FakeClock): Sleep {
  return (ms, signal) =>
    new Promise((resolve) => {
      setImmediate(() => {
        if (!signal?.aborted) clock.advance(Math.max(0, ms));
        resolve();
      });
    });
}
