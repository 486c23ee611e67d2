/**
 * The last few things that went wrong, kept in memory for `/stats`: a handler that failed, a page
 * that could not be read. Bounded, newest first; texts are cut short and never hold the token
 * (the caller passes them through `redactToken` where a token could appear).
 */

export interface RecentError {
  /** Milliseconds since the epoch. */
  at: number;
  /** Where it happened: `bot`, `delivery`, `page`, `webhook`. */
  source: string;
  message: string;
}

export interface RecentErrors {
  record(source: string, message: string, at: number): void;
  /** Newest first. */
  list(): RecentError[];
}

const MAX_MESSAGE_CHARS = 200;

/** @example const errors = createRecentErrors(10); errors.record('bot', 'timeout', Date.now()); */
export function createRecentErrors(capacity = 10): RecentErrors {
  const entries: RecentError[] = [];
  return {
    record(source, message, at) {
      const short = message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : message;
      entries.unshift({ at, source, message: short });
      if (entries.length > capacity) entries.length = capacity;
    },
    list: () => [...entries],
  };
}
