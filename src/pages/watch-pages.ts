/**
 * Watching the seeds folder for new and changed page files (`*.txt`) while the bot runs.
 *
 * `fs.watch` is fast but unreliable (missed events on network and container file systems, renames
 * reported under the old name, several events per write), so it only hints: every hint and a
 * periodic rescan compare each file's size and mtime with what was last handled, and a file is
 * handed on once it has been quiet for `debounceMs` (a page still being written is not read half).
 * Pages are handled one at a time, in the order they settled. A page file that was handled and is
 * gone is handed on too (the archive then drops its items). Errors of the handler are logged, never
 * thrown, and the page is tried again at the next rescan.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';

/** Size and mtime of each page file, by file name. */
export type PageSnapshot = Map<string, string>;

export interface WatchPagesOptions {
  dir: string;
  /** Handles one new or changed page file (its name relative to `dir`). */
  onPage: (file: string) => Promise<void>;
  log: Logger;
  /** Files as they were when the pages were loaded; a file that differs from this counts as changed. */
  initial?: PageSnapshot;
  /** Quiet time before a changed file is read. Default 300 ms. */
  debounceMs?: number;
  /** Full rescan interval, the fallback for missed events. Default 10 s. */
  rescanMs?: number;
}

export interface PageWatcher {
  /** Rescan now (tests, or a signal from an operator); resolves once found pages are handled. */
  rescan(): Promise<void>;
  /** Resolves when no page is waiting or being handled. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const PAGE_FILE = /\.txt$/i;

function fingerprint(size: number, mtimeMs: number): string {
  return `${size}:${Math.round(mtimeMs)}`;
}

/**
 * The page files of a folder with their fingerprints (a missing folder is empty).
 * @example const before = await snapshotPages(config.seedsDir); const news = await openNews(...);
 */
export async function snapshotPages(dir: string): Promise<PageSnapshot> {
  const snapshot: PageSnapshot = new Map();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return snapshot;
  }
  for (const name of names.filter((n) => PAGE_FILE.test(n))) {
    try {
      const s = await stat(join(dir, name));
      if (s.isFile()) snapshot.set(name, fingerprint(s.size, s.mtimeMs));
    } catch {
      // gone between readdir and stat
    }
  }
  return snapshot;
}

/**
 * @example
 * const watcher = watchPages({ dir: config.seedsDir, initial, log, onPage: (file) => deliverPage(file) });
 * // on shutdown: await watcher.close();
 */
export function watchPages(options: WatchPagesOptions): PageWatcher {
  const { dir, log } = options;
  const debounceMs = options.debounceMs ?? 300;
  const rescanMs = options.rescanMs ?? 10_000;
  const handled: PageSnapshot = new Map(options.initial ?? []);
  const timers = new Map<string, NodeJS.Timeout>();
  const queue: string[] = [];
  let running: Promise<void> | null = null;
  let closed = false;
  const idleWaiters: Array<() => void> = [];

  function settleIdle(): void {
    if (running || queue.length > 0 || timers.size > 0) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  async function drainQueue(): Promise<void> {
    while (queue.length > 0 && !closed) {
      const file = queue.shift()!;
      // Read the fingerprint before the page, so a write during the ingest is seen again later.
      let current: string | null = null;
      try {
        const s = await stat(join(dir, file));
        current = s.isFile() ? fingerprint(s.size, s.mtimeMs) : null;
      } catch {
        current = null;
      }
      if (current === null && !handled.has(file)) continue;
      if (current !== null && handled.get(file) === current) continue;
      if (current === null) handled.delete(file);
      else handled.set(file, current);
      try {
        await options.onPage(file);
      } catch (error) {
        // Forget it, so the next rescan tries this page again (a removal: remember it, to try again).
        if (current === null) handled.set(file, 'gone');
        else handled.delete(file);
        log.error({ err: error, file }, 'watch: handling a page failed; the old items keep serving, retried at the next rescan');
      }
    }
  }

  function runQueue(): void {
    if (running || closed) return;
    running = drainQueue().finally(() => {
      running = null;
      if (queue.length > 0 && !closed) runQueue();
      else settleIdle();
    });
  }

  /** Hand `file` on once it has been quiet for `debounceMs`. */
  function touch(file: string): void {
    if (closed || !PAGE_FILE.test(file)) return;
    clearTimeout(timers.get(file));
    timers.set(
      file,
      setTimeout(() => {
        timers.delete(file);
        if (!queue.includes(file)) queue.push(file);
        runQueue();
      }, debounceMs),
    );
  }

  async function rescan(): Promise<void> {
    const now = await snapshotPages(dir);
    for (const [file, print] of now) if (handled.get(file) !== print) touch(file);
    for (const file of handled.keys()) if (!now.has(file)) touch(file);
  }

  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dir, { persistent: false }, (_event, name) => {
      if (name) touch(String(name));
      else void rescan(); // some platforms give no name: look at everything
    });
    watcher.on('error', (error) => {
      log.warn({ err: error, dir }, 'watch: fs.watch failed; relying on the periodic rescan');
      watcher?.close();
      watcher = null;
    });
  } catch (error) {
    log.warn({ err: error, dir }, 'watch: fs.watch unavailable; relying on the periodic rescan');
  }
  const interval = setInterval(() => {
    rescan().catch((error: unknown) => log.warn({ err: error, dir }, 'watch: rescan failed'));
  }, rescanMs);
  interval.unref();
  log.info({ dir, rescanMs }, 'watch: watching the seeds folder for new pages');

  return {
    async rescan() {
      await rescan();
      await this.idle();
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      });
    },
    async close() {
      closed = true;
      watcher?.close();
      clearInterval(interval);
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await running;
      for (const resolve of idleWaiters.splice(0)) resolve();
    },
  };
}
