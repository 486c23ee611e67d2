/**
 * The archive database (`DATA_DIR/archive.db`): pages, their items, and the FTS5 table over the
 * items' normalised text. It is derived data: every row comes from the page files, so a file that
 * cannot be opened, or was made by other code, is deleted and built again from the pages (readers'
 * data lives in the other database, `DB_PATH`, which is never reset).
 *
 * Crash safety is SQLite's: WAL mode, and every change a transaction holding whole pages, so a
 * SIGKILL at any moment leaves the last committed pages and nothing half-written.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { storageProblem } from '../operator/storage-errors.js';
import { useWal } from '../sqlite/wal-mode.js';

export type ArchiveDb = BetterSqlite3.Database;

/** Bump when the tables change: a file of another schema is rebuilt from the pages. */
const SCHEMA_VERSION = 5;

const SCHEMA = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE pages (
    file TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    -- Reading order: the date (empty when undated, so undated pages are the oldest), then the file.
    page_key TEXT NOT NULL,
    items INTEGER NOT NULL,
    warnings TEXT NOT NULL
  );
  CREATE TABLE items (
    -- Also the FTS rowid, and ordered by recency: the page's day × 2^20 plus a count within the day
    -- (see Archive), so the newest matches of a common word are the first rowids from the end.
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    file TEXT NOT NULL REFERENCES pages(file) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    page_key TEXT NOT NULL,
    county TEXT,
    item TEXT NOT NULL,
    -- Filled by the analysis worker; until then answers show the lead sentences.
    summary TEXT,
    keywords TEXT,
    title_words TEXT
  );
  CREATE INDEX items_newest ON items (page_key DESC, position);
  CREATE INDEX items_county ON items (county, page_key DESC, position);
  CREATE INDEX items_file ON items (file, position);
  CREATE INDEX items_pending ON items (seq) WHERE summary IS NULL;
  -- Contentless: answers read the items table; the FTS table holds only the token index. The
  -- primary county is a column of its own (the name as one token), so the county filter is one more
  -- term of the match rather than a look-up per matching row. No prefix index: a one-character
  -- query (a prefix of bigrams) reads the bigrams that start with it, a few milliseconds, while
  -- the index would double the cost of writing (50,000 items: 42 s of CPU instead of 24).
  -- The text arrives tokenised (see fts-text.ts): FTS5's 'ascii' tokenizer only splits it on the
  -- spaces. It writes 17% faster than 'unicode61', with the same terms (compared at 50,000 items).
  CREATE VIRTUAL TABLE items_fts USING fts5 (
    title, subtitle, body, county,
    content = '', contentless_delete = 1,
    tokenize = 'ascii'
  );
  CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
    DELETE FROM items_fts WHERE rowid = old.seq;
  END;
`;

export interface OpenArchiveOptions {
  /** What the items were made with (parser, tagger, tokens): another value empties the archive. */
  itemsIdentity: string;
  /** What the summaries and keywords were made with: another value clears them for the worker. */
  analysisIdentity: string;
  /** Told why a file was rebuilt or cleared. */
  onNotice?: (message: string) => void;
}

/**
 * Opens (creating or rebuilding as needed) the archive database.
 * @example const db = openArchiveDb('data/archive.db', { itemsIdentity, analysisIdentity });
 */
export function openArchiveDb(path: string, options: OpenArchiveOptions): ArchiveDb {
  mkdirSync(dirname(path), { recursive: true });
  try {
    return openChecked(path, options);
  } catch (error) {
    // A folder that is read-only, full or locked is the machine's problem, not the file's: never delete it then.
    if (storageProblem(error) !== null) throw error;
    options.onNotice?.(`archive ${path} unusable (${(error as Error).message}): rebuilt from the pages`);
    removeDatabase(path);
    return openChecked(path, options);
  }
}

function openChecked(path: string, options: OpenArchiveOptions): ArchiveDb {
  const db = new BetterSqlite3(path, { timeout: 10_000 });
  try {
    configure(db);
    // Created under the write lock, the version read inside: two processes starting on one new file
    // at once create it once.
    let version = 0;
    db.transaction(() => {
      version = db.pragma('user_version', { simple: true }) as number;
      if (version !== 0) return;
      db.exec(SCHEMA);
      setMeta(db, 'items', options.itemsIdentity);
      setMeta(db, 'analysis', options.analysisIdentity);
      // Merge index segments 16 at a time rather than 4: a cold start writes ~20% less (measured at
      // 10,000 items: 5.8 s of CPU instead of 7.2), and a sync that wrote pages ends with 'optimize'.
      db.prepare("INSERT INTO items_fts (items_fts, rank) VALUES ('automerge', 16)").run();
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
    if (version === 0) return db;
    if (version !== SCHEMA_VERSION) throw new Error(`schema ${version}, this code writes ${SCHEMA_VERSION}`);
    if (getMeta(db, 'items') !== options.itemsIdentity) {
      options.onNotice?.('archive made by other parsing code: every page is read again');
      db.transaction(() => {
        // Through the trigger this empties the FTS table too.
        db.exec('DELETE FROM items; DELETE FROM pages;');
        db.prepare(BUMP_PAGES_VERSION).run();
        setMeta(db, 'items', options.itemsIdentity);
      })();
    }
    if (getMeta(db, 'analysis') !== options.analysisIdentity) {
      options.onNotice?.('summaries made by other code: computed again');
      db.transaction(() => {
        db.exec('UPDATE items SET summary = NULL, keywords = NULL, title_words = NULL');
        setMeta(db, 'analysis', options.analysisIdentity);
      })();
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Settings every connection (the main thread's and the analysis worker's) needs. */
export function configure(db: ArchiveDb): void {
  useWal(db);
  // Derived data: a power cut may lose the last commits (they are rebuilt from the pages), never consistency.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  // FTS5 writes its index in segments and merges them: a larger page cache keeps them in memory.
  db.pragma('cache_size = -32000');
}

/**
 * Opens an existing archive for a second connection (the analysis worker), whose writes are row
 * updates, not index merges: it keeps SQLite's default page cache (2 MB) rather than 32 MB.
 */
export function connectArchiveDb(path: string): ArchiveDb {
  const db = new BetterSqlite3(path, { fileMustExist: true, timeout: 10_000 });
  configure(db);
  db.pragma('cache_size = -2000');
  return db;
}

/** SQL that bumps the pages' version: run in every transaction that writes or removes pages. */
export const BUMP_PAGES_VERSION =
  "INSERT INTO meta (key, value) VALUES ('pages_version', '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1";

/** SQL that reads the pages' version (no row: never written). */
export const PAGES_VERSION = "SELECT value FROM meta WHERE key = 'pages_version'";

function getMeta(db: ArchiveDb, key: string): string | undefined {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

function setMeta(db: ArchiveDb, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

function removeDatabase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) rmSync(path + suffix, { force: true });
}
