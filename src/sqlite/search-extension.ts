/**
 * The SQLite functions archive search needs beyond SQLite's own (see search-extension.c): `qrank()`,
 * FTS5's bm25 with each phrase's IDF given by the caller, and `phrase_rowids()`, every rowid a
 * phrase matches (and their ranks, for a phrase alone). A SQLite extension compiled from
 * search-extension.c beside this file on first use. The C compiler is the one better-sqlite3 was
 * built with from source; the headers are better-sqlite3's own SQLite's, so the extension always
 * matches the library that loads it. Where it cannot be built or loaded the caller keeps bm25() and
 * COUNT(*), which give the same answers, only slower.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type BetterSqlite3 from 'better-sqlite3';

const SOURCE = 'src/sqlite/search-extension.c';
const ENTRY_POINT = 'sqlite3_searchext_init';
/** Libraries of this source (and of fts5-rank.c, its name before phrase_rowids) in the output folder. */
const LIBRARY = /^(?:search-extension|fts5-rank)-[0-9a-f]{16}\.(?:so|dylib|dll)$/u;
/** Where fts5.h sits inside SQLite's amalgamation (it ships no separate copy). */
const FTS5_HEADER = /\/\*{8} Begin file fts5\.h \*{9}\/\n([^]*?)\/\*{8} End of fts5\.h \*{9}\//u;

export interface SearchExtensionOptions {
  /** Folder for the compiled library (default dist/native in the project). */
  outDir?: string;
  /** The C compiler (default `cc`). */
  compiler?: string;
}

/**
 * Loads `qrank()` and `phrase_rowids()` into the connection, compiling them first when this source has
 * not been compiled yet. Returns why it could not, or null when both are there.
 * @example if (loadSearchExtension(db) === null) db.prepare('SELECT qrank(items_fts, ?) …')
 */
export function loadSearchExtension(db: BetterSqlite3.Database, options: SearchExtensionOptions = {}): string | null {
  try {
    const sqliteVersion = db.prepare('SELECT sqlite_version()').pluck().get() as string;
    // better-sqlite3 takes the entry point too; its type declarations omit it.
    (db as unknown as { loadExtension(path: string, entryPoint: string): void }).loadExtension(builtExtension(sqliteVersion, options), ENTRY_POINT);
    return null;
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
  }
}

/** The compiled library's path, compiling it when no file of this source and SQLite exists yet. */
function builtExtension(sqliteVersion: string, options: SearchExtensionOptions): string {
  const root = projectRoot();
  const source = readFileSync(join(root, SOURCE));
  const key = createHash('sha256').update(source).update(sqliteVersion).update(process.platform).update(process.arch).digest('hex').slice(0, 16);
  const outDir = options.outDir ?? join(root, 'dist', 'native');
  const name = `search-extension-${key}${process.platform === 'darwin' ? '.dylib' : process.platform === 'win32' ? '.dll' : '.so'}`;
  const library = join(outDir, name);
  if (existsSync(library)) return library;

  const sqliteDir = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'deps', 'sqlite3');
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(outDir, 'build-'));
  try {
    const header = FTS5_HEADER.exec(readFileSync(join(sqliteDir, 'sqlite3.c'), 'utf8'))?.[1];
    if (!header) throw new Error(`no fts5.h in ${sqliteDir}/sqlite3.c`);
    writeFileSync(join(work, 'fts5.h'), header);
    const temporary = join(work, `out-${process.pid}`);
    const args = ['-O2', '-fPIC', '-shared', '-I', sqliteDir, '-I', work, join(root, SOURCE), '-o', temporary, '-lm'];
    if (process.platform === 'darwin') args.push('-undefined', 'dynamic_lookup');
    execFileSync(options.compiler ?? 'cc', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
    // Renamed into place whole: another process compiling at the same time gets the same file.
    renameSync(temporary, library);
    // Older versions' libraries go (a process that loaded one keeps it: the file stays open).
    for (const old of readdirSync(outDir)) if (old !== name && LIBRARY.test(old)) rmSync(join(outDir, old), { force: true });
    return library;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The folder holding the C source: above this module, whether it runs from src/ or from a build in dist/. */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, SOURCE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${SOURCE} not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
