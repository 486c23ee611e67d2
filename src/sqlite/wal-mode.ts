/**
 * Switches a SQLite connection to write-ahead logging. Several processes opening one new file at
 * once can get SQLITE_BUSY from this switch without SQLite's busy handler ever waiting (it takes an
 * exclusive lock that SQLite will not wait for, to avoid deadlock), so it is retried here for a while.
 */
import type BetterSqlite3 from 'better-sqlite3';

const RETRY_MS = 25;

/** @example useWal(db); // throws the last SQLITE_BUSY after `waitMs` */
export function useWal(db: BetterSqlite3.Database, waitMs = 10_000): void {
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= until) throw error;
      // A synchronous pause: opening a database is synchronous, and this runs only while starting.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RETRY_MS);
    }
  }
}
