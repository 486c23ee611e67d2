import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotPages, watchPages, type PageWatcher } from '../../src/pages/watch-pages.js';

const log = pino({ level: 'silent' });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
let dir: string;
let watcher: PageWatcher | null = null;

afterEach(async () => {
  await watcher?.close();
  watcher = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('watchPages', () => {
  it('hands on a new page once, after it has been quiet, and ignores files that are not pages', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watch-'));
    writeFileSync(join(dir, 'old.txt'), 'old');
    const seen: string[] = [];
    watcher = watchPages({ dir, log, initial: await snapshotPages(dir), debounceMs: 80, rescanMs: 60_000, onPage: async (f) => void seen.push(f) });
    writeFileSync(join(dir, 'new.txt'), 'part one');
    await pause(20);
    appendFileSync(join(dir, 'new.txt'), ' and two'); // still being written: one ingest, not two
    writeFileSync(join(dir, 'notes.md'), 'x');
    await pause(400);
    await watcher.idle();
    expect(seen).toEqual(['new.txt']);
  });

  it('hands on a page file that was removed, once, so its items can go', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watch-'));
    writeFileSync(join(dir, 'a.txt'), 'page a');
    writeFileSync(join(dir, 'b.txt'), 'page b');
    const seen: string[] = [];
    watcher = watchPages({ dir, log, initial: await snapshotPages(dir), debounceMs: 20, rescanMs: 100, onPage: async (f) => void seen.push(f) });
    rmSync(join(dir, 'a.txt'));
    await pause(400);
    await watcher.idle();
    expect(seen).toEqual(['a.txt']);
  });

  it('the periodic rescan finds a change fs.watch did not report (a file changed before the watch began)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watch-'));
    writeFileSync(join(dir, 'a.txt'), 'v1');
    const initial = await snapshotPages(dir);
    writeFileSync(join(dir, 'a.txt'), 'version two'); // between loading and watching: no event will come
    const seen: string[] = [];
    watcher = watchPages({ dir, log, initial, debounceMs: 10, rescanMs: 100, onPage: async (f) => void seen.push(f) });
    await pause(400);
    await watcher.idle();
    expect(seen).toEqual(['a.txt']);
  });

  it('a handler that fails is logged, not thrown, and the page is tried again at the next rescan', async () => {
    dir = mkdtempSync(join(tmpdir(), 'watch-'));
    let calls = 0;
    watcher = watchPages({
      dir,
      log,
      initial: new Map(),
      debounceMs: 10,
      rescanMs: 100,
      onPage: async () => {
        calls += 1;
        if (calls === 1) throw new Error('database busy');
      },
    });
    writeFileSync(join(dir, 'p.txt'), 'page');
    await pause(500);
    await watcher.idle();
    expect(calls).toBe(2);
  });
});
