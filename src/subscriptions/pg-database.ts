/**
 * The subscriptions database on PostgreSQL (`DATABASE_URL`), shared by every replica: a pool whose
 * BIGINTs come back as numbers (chat ids and epoch milliseconds fit in a double), and the schema as
 * numbered migrations applied at start in one transaction under an advisory lock, so replicas
 * starting together migrate once.
 */
import pg from 'pg';

export type Pool = pg.Pool;
export type Queryable = Pick<pg.PoolClient, 'query'>;

/** The same steps as the SQLite schema (`database.ts`), in PostgreSQL's types. Append only. */
export const PG_MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE chats (
        id BIGINT PRIMARY KEY,
        type TEXT NOT NULL CHECK (type IN ('private', 'group', 'supergroup', 'channel')),
        language TEXT NOT NULL DEFAULT 'zh',
        active BOOLEAN NOT NULL DEFAULT TRUE,
        deactivated_reason TEXT,
        deactivated_at BIGINT,
        migrated_to BIGINT,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE settings (
        chat_id BIGINT PRIMARY KEY REFERENCES chats(id) ON DELETE CASCADE,
        mode TEXT NOT NULL DEFAULT 'instant' CHECK (mode IN ('instant', 'daily')),
        digest_time TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        paused BOOLEAN NOT NULL DEFAULT FALSE,
        last_digest_at BIGINT,
        schedule_since BIGINT NOT NULL
      );
      CREATE TABLE topics (
        id BIGSERIAL PRIMARY KEY,
        chat_id BIGINT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        query TEXT NOT NULL,
        key TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_digest_at BIGINT,
        UNIQUE (chat_id, key)
      );
      -- the fan-out's claim: whichever replica inserts an item first fans it out, once
      -- (the *_item and *_story_only indexes serve the fan-out's look-up of who has an item or story)
      CREATE TABLE seen_items (
        item_id TEXT PRIMARY KEY,
        seen_at BIGINT NOT NULL
      );
      CREATE TABLE pending_items (
        id BIGSERIAL PRIMARY KEY,
        chat_id BIGINT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        story_key TEXT NOT NULL,
        topic_id BIGINT NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
        page TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        UNIQUE (chat_id, item_id)
      );
      CREATE INDEX pending_items_story ON pending_items (chat_id, story_key);
      CREATE INDEX pending_items_item ON pending_items (item_id);
      CREATE INDEX pending_items_story_only ON pending_items (story_key);
      CREATE TABLE outbox (
        id BIGSERIAL PRIMARY KEY,
        chat_id BIGINT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('instant', 'digest')),
        content TEXT NOT NULL,
        rendered TEXT,
        parts_sent INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL DEFAULT 'pending'
          CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
        uncertain BOOLEAN NOT NULL DEFAULT FALSE,
        attempts INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        not_before BIGINT NOT NULL DEFAULT 0,
        -- which delivery job may act on the row: a retry bumps it and queues a job of its own
        generation INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        sent_at BIGINT
      );
      CREATE INDEX outbox_state ON outbox (state, updated_at);
      CREATE INDEX outbox_chat ON outbox (chat_id, state, id);
      -- one row per (chat, item) ever: nothing is queued twice for a chat, whichever replica queues it
      CREATE TABLE outbox_items (
        chat_id BIGINT NOT NULL,
        item_id TEXT NOT NULL,
        story_key TEXT NOT NULL,
        outbox_id BIGINT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
        PRIMARY KEY (chat_id, item_id)
      );
      CREATE INDEX outbox_items_story ON outbox_items (chat_id, story_key);
      CREATE INDEX outbox_items_outbox ON outbox_items (outbox_id);
      CREATE INDEX outbox_items_item ON outbox_items (item_id);
      CREATE INDEX outbox_items_story_only ON outbox_items (story_key);
      CREATE TABLE deliveries (
        chat_id BIGINT NOT NULL,
        item_id TEXT NOT NULL,
        story_key TEXT NOT NULL,
        outbox_id BIGINT,
        delivered_at BIGINT NOT NULL,
        certain BOOLEAN NOT NULL DEFAULT TRUE,
        UNIQUE (chat_id, item_id)
      );
      CREATE INDEX deliveries_story ON deliveries (chat_id, story_key);
      CREATE INDEX deliveries_item ON deliveries (item_id);
      CREATE INDEX deliveries_story_only ON deliveries (story_key);
      CREATE TABLE result_lists (
        key TEXT PRIMARY KEY,
        chat_id BIGINT NOT NULL,
        value TEXT NOT NULL,
        touched_at BIGINT NOT NULL
      );
      CREATE INDEX result_lists_touched ON result_lists (touched_at);
      -- the send limits every replica shares: when the next message may start, bot-wide and per chat
      CREATE TABLE send_slots (
        scope TEXT PRIMARY KEY,
        next_at DOUBLE PRECISION NOT NULL,
        paused_until DOUBLE PRECISION NOT NULL DEFAULT 0
      );
    `,
  },
];

const MIGRATION_LOCK = 727_413_001;

/** BIGINT (oid 20) as a JavaScript number. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export class PgOpenError extends Error {
  constructor(readonly url: string, reason: string, options?: { cause?: unknown }) {
    super(`无法使用 PostgreSQL 数据库 ${url}: ${reason}`, options);
    this.name = 'PgOpenError';
  }
}

/** The URL without its password, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

/**
 * Connect, migrate, and return the pool.
 * @example const pool = await openPgDatabase(config.databaseUrl);
 * @throws PgOpenError naming the server (without password) when it cannot be reached or migrated.
 */
export async function openPgDatabase(url: string, options: { max?: number } = {}): Promise<Pool> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types, connectionTimeoutMillis: 10_000 });
  // An idle client's error (the server restarted) must not end the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    await transaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
      const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
      const current = rows[0]?.v ?? 0;
      const latest = Math.max(...PG_MIGRATIONS.map((m) => m.version));
      if (current > latest) throw new Error(`schema version ${current} is newer than this program's ${latest}: upgrade the program`);
      for (const step of PG_MIGRATIONS.filter((m) => m.version > current)) {
        await client.query(step.sql);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [step.version]);
      }
    });
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new PgOpenError(redactUrl(url), (error as Error).message, { cause: error });
  }
  return pool;
}

/**
 * Run `work` in one transaction on one connection; rolled back if it throws.
 * @example await transaction(pool, async (client) => { await client.query(...); });
 */
export async function transaction<T>(pool: Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
