/**
 * Result lists kept server-side so a button can carry a short key instead of the query
 * (callback data is limited to 64 bytes). Bounded (least recently used goes first) and expiring
 * (a key unused for `ttlMs` is forgotten), with time from an injected clock.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from './clock.js';

export interface QueryStoreOptions {
  /** Most entries kept; the least recently used is dropped beyond it. */
  capacity: number;
  /** An entry not used for this long is expired. */
  ttlMs: number;
  clock: Clock;
  /** Start of every key; random by default so keys from before a restart do not match new lists. */
  keyPrefix?: string;
}

export interface QueryStore<T> {
  /** Keep `value`, return its key (`[a-z0-9]`, a few characters). */
  put(value: T): string;
  /** The value for `key` (and its expiry renewed), or undefined when unknown or expired. */
  get(key: string): T | undefined;
  readonly size: number;
}

/**
 * @example
 * const store = createQueryStore<{ query: string }>({ capacity: 10_000, ttlMs: 86_400_000, clock: Date.now });
 * const key = store.put({ query: '医保' }); // e.g. 'x7k1'
 */
export function createQueryStore<T>(options: QueryStoreOptions): QueryStore<T> {
  if (options.capacity < 1) throw new Error('query-store: capacity must be at least 1');
  const prefix = options.keyPrefix ?? randomBytes(2).readUInt16BE(0).toString(36);
  if (!/^[a-z0-9]*$/.test(prefix)) throw new Error('query-store: keyPrefix must be [a-z0-9]');
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, { value: T; touched: number }>();
  let counter = 0;

  function evictExpired(now: number): void {
    for (const [key, entry] of entries) {
      if (now - entry.touched < options.ttlMs) break; // the rest were used more recently
      entries.delete(key);
    }
  }

  return {
    put(value) {
      const now = options.clock();
      evictExpired(now);
      counter += 1;
      const key = `${prefix}${counter.toString(36)}`;
      entries.set(key, { value, touched: now });
      while (entries.size > options.capacity) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
      return key;
    },
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      const now = options.clock();
      entries.delete(key);
      if (now - entry.touched >= options.ttlMs) return undefined;
      entries.set(key, { value: entry.value, touched: now });
      return entry.value;
    },
    get size() {
      return entries.size;
    },
  };
}

/**
 * Result lists bound to the chat they were shown in: a key pressed in another chat finds nothing.
 * The bot takes its lists through this; `run-bot.ts` passes the subscriptions database's (SQLite or
 * PostgreSQL), so "next page" works after a restart and on any replica. Keys are `[a-z0-9]+`.
 */
export interface ChatLists<T> {
  put(chatId: number, value: T): Promise<string>;
  get(chatId: number, key: string): Promise<T | undefined>;
}

/**
 * In memory (tests, and a bot started without a database): forgotten on restart.
 * @example const lists = createMemoryChatLists<StoredList>({ capacity: 10_000, ttlMs: 86_400_000, clock: Date.now });
 */
export function createMemoryChatLists<T>(options: QueryStoreOptions): ChatLists<T> {
  const store = createQueryStore<{ chatId: number; value: T }>(options);
  return {
    async put(chatId, value) {
      return store.put({ chatId, value });
    },
    async get(chatId, key) {
      const entry = store.get(key);
      return entry && entry.chatId === chatId ? entry.value : undefined;
    },
  };
}
