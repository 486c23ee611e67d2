/**
 * What the operator's view needs from the subscriptions database, as plain numbers: readers,
 * topics, pushes, the queue and whether the database takes writes. A small async interface, so a
 * PostgreSQL store can answer it too; this file has the one over today's SQLite database.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Pool } from 'pg';
import type { RecentError } from './recent-errors.js';

export interface Audience {
  /** Private chats the bot knows (every chat that used a subscription command), not deactivated. */
  readers: number;
  /** Chats (private or group) with at least one topic, not deactivated. */
  chatsWithTopics: number;
  /** Topics over all active chats. */
  topics: number;
}

export interface PushCounts {
  /** Messages put in the outbox in the window. */
  queued: number;
  /** Messages delivered in the window. */
  sent: number;
  /** Messages given up on in the window. */
  failed: number;
}

export interface SubscriptionFigures {
  audience(): Promise<Audience>;
  /** Pushes (instant and digests) since `since` (ms since the epoch). */
  pushes(since: number): Promise<PushCounts>;
  /** Messages waiting to be sent or being sent now. */
  queueDepth(): Promise<number>;
  /** The newest delivery errors (the last error text of failed or retried messages). */
  deliveryErrors(limit: number): Promise<RecentError[]>;
  /** Resolves when a write would succeed now; rejects with the database's reason otherwise. */
  checkWritable(): Promise<void>;
}

/** @example const figures = sqliteSubscriptionFigures(db); await figures.audience() */
export function sqliteSubscriptionFigures(db: BetterSqlite3.Database): SubscriptionFigures {
  const audience = db.prepare(`
    SELECT
      (SELECT COUNT(*) FROM chats WHERE type = 'private' AND active = 1) AS readers,
      (SELECT COUNT(DISTINCT t.chat_id) FROM topics t JOIN chats c ON c.id = t.chat_id WHERE c.active = 1) AS chatsWithTopics,
      (SELECT COUNT(*) FROM topics t JOIN chats c ON c.id = t.chat_id WHERE c.active = 1) AS topics`);
  const pushes = db.prepare(`
    SELECT
      (SELECT COUNT(*) FROM outbox WHERE created_at >= @since) AS queued,
      (SELECT COUNT(*) FROM outbox WHERE state = 'sent' AND sent_at >= @since) AS sent,
      (SELECT COUNT(*) FROM outbox WHERE state = 'failed' AND updated_at >= @since) AS failed`);
  const depth = db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE state IN ('pending', 'sending')`);
  const errors = db.prepare(`SELECT updated_at AS at, last_error AS message FROM outbox WHERE last_error IS NOT NULL ORDER BY updated_at DESC LIMIT ?`);
  const version = db.prepare('PRAGMA user_version').pluck();
  return {
    audience: async () => audience.get() as Audience,
    pushes: async (since) => pushes.get({ since }) as PushCounts,
    queueDepth: async () => (depth.get() as { n: number }).n,
    deliveryErrors: async (limit) =>
      (errors.all(limit) as Array<{ at: number; message: string }>).map((r) => ({ at: r.at, source: 'delivery', message: r.message })),
    async checkWritable() {
      // Takes the write lock and writes the header's own value back: fails on a read-only file,
      // a read-only or full disk, or a lock held elsewhere (after the busy timeout); changes nothing.
      // No busy wait: better-sqlite3 blocks the thread, and a probe must not stall the bot.
      const current = version.get() as number;
      const busy = db.pragma('busy_timeout', { simple: true }) as number;
      db.pragma('busy_timeout = 0');
      try {
        db.exec('BEGIN IMMEDIATE');
        try {
          db.pragma(`user_version = ${current}`);
        } finally {
          db.exec('ROLLBACK');
        }
      } finally {
        db.pragma(`busy_timeout = ${busy}`);
      }
    },
  };
}

/** The same figures from the PostgreSQL store (`DATABASE_URL`): the tables have the same columns. */
export function pgSubscriptionFigures(pool: Pool): SubscriptionFigures {
  const one = async <T>(sql: string, values: unknown[] = []): Promise<T> => (await pool.query(sql, values)).rows[0] as T;
  return {
    audience: () =>
      one<Audience>(`
        SELECT
          (SELECT COUNT(*)::int FROM chats WHERE type = 'private' AND active) AS readers,
          (SELECT COUNT(DISTINCT t.chat_id)::int FROM topics t JOIN chats c ON c.id = t.chat_id WHERE c.active) AS "chatsWithTopics",
          (SELECT COUNT(*)::int FROM topics t JOIN chats c ON c.id = t.chat_id WHERE c.active) AS topics`),
    pushes: (since) =>
      one<PushCounts>(
        `SELECT
          (SELECT COUNT(*)::int FROM outbox WHERE created_at >= $1) AS queued,
          (SELECT COUNT(*)::int FROM outbox WHERE state = 'sent' AND sent_at >= $1) AS sent,
          (SELECT COUNT(*)::int FROM outbox WHERE state = 'failed' AND updated_at >= $1) AS failed`,
        [since],
      ),
    queueDepth: async () => (await one<{ n: number }>(`SELECT COUNT(*)::int AS n FROM outbox WHERE state IN ('pending', 'sending')`)).n,
    deliveryErrors: async (limit) =>
      (await pool.query('SELECT updated_at AS at, last_error AS message FROM outbox WHERE last_error IS NOT NULL ORDER BY updated_at DESC LIMIT $1', [limit])).rows.map(
        (r: { at: number; message: string }) => ({ at: Number(r.at), source: 'delivery' as const, message: r.message }),
      ),
    async checkWritable() {
      // A write transaction that changes nothing: fails on a read-only server or a full disk.
      const client = await pool.connect();
      try {
        await client.query('BEGIN READ WRITE');
        await client.query("SELECT set_config('application_name', current_setting('application_name'), true)");
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
    },
  };
}
