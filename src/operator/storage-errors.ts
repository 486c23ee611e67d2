/**
 * What a failed write means for the person who runs the bot: the disk is full, the folder is
 * read-only, another process holds the database. Turns SQLite's and the file system's error codes
 * into one line naming the file and what to do, for the log and for /stats.
 */

export type StorageProblem = 'disk-full' | 'read-only' | 'locked' | 'missing';

const PROBLEMS: Record<string, StorageProblem> = {
  SQLITE_FULL: 'disk-full',
  ENOSPC: 'disk-full',
  EDQUOT: 'disk-full',
  SQLITE_READONLY: 'read-only',
  SQLITE_READONLY_DIRECTORY: 'read-only',
  SQLITE_READONLY_DBMOVED: 'read-only',
  SQLITE_CANTOPEN: 'read-only',
  EROFS: 'read-only',
  EACCES: 'read-only',
  EPERM: 'read-only',
  SQLITE_BUSY: 'locked',
  SQLITE_BUSY_SNAPSHOT: 'locked',
  SQLITE_LOCKED: 'locked',
  ENOENT: 'missing',
};

const ADVICE: Record<StorageProblem, string> = {
  'disk-full': 'the disk is full: free space on it (nothing was half-written; the bot goes on where it can)',
  'read-only': 'the file or its folder is read-only: make it writable for the bot’s user',
  locked: 'another process holds the database: stop the other copy of the bot (or the tool that has it open)',
  missing: 'the file disappeared while in use: restore it or restart the bot',
};

/** The kind of storage problem behind `error`, or null when it is not one. */
export function storageProblem(error: unknown): StorageProblem | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  return PROBLEMS[code] ?? (code.startsWith('SQLITE_IOERR') ? 'disk-full' : null);
}

/**
 * One line for the operator, or null when `error` is not a storage problem.
 * @example describeStorageError(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }), 'data/bot.db')
 * // 'data/bot.db: database or disk is full — the disk is full: free space on it (…)'
 */
export function describeStorageError(error: unknown, file: string): string | null {
  const problem = storageProblem(error);
  if (!problem) return null;
  const reason = error instanceof Error ? error.message : String(error);
  return `${file}: ${reason} — ${ADVICE[problem]}`;
}
