/**
 * The subscriptions database: opening it safely and bringing its schema up to date.
 *
 * Readers' subscriptions are precious, so nothing here ever deletes or recreates a file it cannot
 * read: a damaged or foreign file stops the bot with an error naming it.
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { storageProblem } from '../operator/storage-errors.js';
import { useWal } from '../sqlite/wal-mode.js';

export type Database = BetterSqlite3.Database;

export class DatabaseOpenError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`数据库文件无法使用: ${path}: ${reason}。文件没有被重置或修改；${adviceFor(options?.cause)}`, options);
    this.name = 'DatabaseOpenError';
  }
}

/** What the operator should do: a read-only or full disk is fixed on the machine, a damaged file from a backup. */
function adviceFor(cause: unknown): string {
  switch (storageProblem(cause)) {
    case 'read-only':
      return '文件或其所在文件夹是只读的（read-only）：请让运行机器人的用户可以写入后重启。';
    case 'disk-full':
      return '磁盘已满：请腾出空间后重启。';
    case 'locked':
      return '另一个进程占用着数据库：请先停止另一个机器人进程或打开它的工具。';
    default:
      return '请从备份恢复或移走该文件后重启。';
  }
}

export interface OpenDatabaseOptions {
  /**
   * `NORMAL` (default): in WAL mode every commit is in the operating system's hands when it returns,
   * so a killed process (kill -9, OOM, crash) loses nothing; an OS crash or power cut may roll back
   * the last commits since a checkpoint (the database stays consistent). `FULL` also survives that,
   * at one fsync per commit (measured ~7 ms here: it would cap delivery near 70 messages/s and
   * widen the send crash window from microseconds to the fsync time).
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** How long a writer waits for another connection's lock, in ms. */
  busyTimeoutMs?: number;
}

interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * Versioned schema steps. Append only: a released step is never edited, a new one is added.
 * Times are Unix epoch milliseconds.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'chats, topics, settings, pending digest items, outbox, deliveries',
    sql: `
      CREATE TABLE chats (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL CHECK (type IN ('private', 'group', 'supergroup', 'channel')),
        language TEXT NOT NULL DEFAULT 'zh',
        active INTEGER NOT NULL DEFAULT 1,
        deactivated_reason TEXT,
        deactivated_at INTEGER,
        migrated_to INTEGER,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE settings (
        chat_id INTEGER PRIMARY KEY REFERENCES chats(id) ON DELETE CASCADE,
        mode TEXT NOT NULL DEFAULT 'instant' CHECK (mode IN ('instant', 'daily')),
        digest_time TEXT NOT NULL,
        time_zone TEXT NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,
        last_digest_at INTEGER,
        -- when the current schedule started: the first daily digest is the first run after it
        schedule_since INTEGER NOT NULL
      );
      CREATE TABLE topics (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        query TEXT NOT NULL,
        key TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_digest_at INTEGER,
        UNIQUE (chat_id, key)
      );
      -- items every fan-out has already looked at: a page read again does not match them again
      CREATE TABLE seen_items (
        item_id TEXT PRIMARY KEY,
        seen_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      -- matches waiting for a daily (or on-demand) digest
      CREATE TABLE pending_items (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        story_key TEXT NOT NULL,
        topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
        page TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (chat_id, item_id)
      );
      CREATE INDEX pending_items_story ON pending_items (chat_id, story_key);
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('instant', 'digest')),
        content TEXT NOT NULL,
        -- the messages as rendered at the first attempt, so a resumed send continues the same parts
        rendered TEXT,
        parts_sent INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL DEFAULT 'pending'
          CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
        -- 1 when the process died while a part of this row was with Telegram (see delivery.ts)
        uncertain INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        not_before INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        sent_at INTEGER
      );
      CREATE INDEX outbox_ready ON outbox (state, id);
      CREATE INDEX outbox_due ON outbox (state, not_before);
      CREATE INDEX outbox_chat ON outbox (chat_id, state, id);
      -- which items each outbox row carries; one row per (chat, item) ever, so nothing is queued twice
      CREATE TABLE outbox_items (
        chat_id INTEGER NOT NULL,
        item_id TEXT NOT NULL,
        story_key TEXT NOT NULL,
        outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
        PRIMARY KEY (chat_id, item_id)
      ) WITHOUT ROWID;
      CREATE INDEX outbox_items_story ON outbox_items (chat_id, story_key);
      CREATE INDEX outbox_items_outbox ON outbox_items (outbox_id);
      -- the permanent record of what reached a chat; certain = 0 when the process died mid-send
      CREATE TABLE deliveries (
        chat_id INTEGER NOT NULL,
        item_id TEXT NOT NULL,
        story_key TEXT NOT NULL,
        outbox_id INTEGER,
        delivered_at INTEGER NOT NULL,
        certain INTEGER NOT NULL DEFAULT 1,
        UNIQUE (chat_id, item_id)
      );
      CREATE INDEX deliveries_story ON deliveries (chat_id, story_key);
    `,
  },
  {
    version: 2,
    description: 'result lists behind page buttons, kept across restarts',
    sql: `
      CREATE TABLE result_lists (
        key TEXT PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        value TEXT NOT NULL,
        touched_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX result_lists_touched ON result_lists (touched_at);
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Refuse, before SQLite touches it, a non-empty file that is not an SQLite database. */
function checkHeader(path: string): void {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  if (!stat.isFile()) throw new DatabaseOpenError(path, '不是普通文件');
  if (stat.size === 0) return; // SQLite treats an empty file as a new database; nothing to lose
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.equals(SQLITE_HEADER)) throw new DatabaseOpenError(path, '不是 SQLite 数据库（文件头不符）');
}

function migrate(db: Database, path: string): void {
  // One transaction for all steps: a crash mid-migration leaves the previous version intact. The
  // version is read inside it (IMMEDIATE: under the write lock), so two processes starting on one new
  // file at once migrate it once: the second finds it done.
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw new DatabaseOpenError(path, `数据库版本 ${current} 比本程序支持的 ${SCHEMA_VERSION} 新，请升级程序`);
    }
    const steps = MIGRATIONS.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
    for (const step of steps) {
      db.exec(step.sql);
      db.pragma(`user_version = ${step.version}`);
    }
  }).immediate();
}

/**
 * Open (or create) the subscriptions database at `path` and migrate it to the current schema.
 * @example const db = openDatabase(config.dbPath);
 * @throws DatabaseOpenError naming the file when it is damaged, foreign or too new; the file is left as it was.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database {
  const fullPath = resolve(path);
  checkHeader(fullPath);
  mkdirSync(dirname(fullPath), { recursive: true });
  let db: Database;
  try {
    db = new BetterSqlite3(fullPath);
  } catch (error) {
    throw new DatabaseOpenError(fullPath, (error as Error).message, { cause: error });
  }
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    // Read before any write: a damaged file fails here, before WAL mode or a migration touches it.
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`完整性检查失败: ${String(check)}`);
    useWal(db, options.busyTimeoutMs ?? 5000);
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    migrate(db, fullPath);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof DatabaseOpenError) throw error;
    throw new DatabaseOpenError(fullPath, (error as Error).message, { cause: error });
  }
}
