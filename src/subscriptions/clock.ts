/** Time as a dependency: the subscriptions core reads the time and waits only through these. */

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** Wait `ms`; resolves early (without error) when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The real clock, for `main.ts`. */
export const systemClock: Clock = { now: () => Date.now() };

/** The real wait, for `main.ts`. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
