/**
 * The summary worker on a real archive: it stores what is pending, ends once idle, and a wake-up
 * after that starts a new one that stores what came since; a helper shares a backlog.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSummaryWorker } from '../../src/archive/summaries.js';
import { archivePath, openNews } from '../../src/news.js';
import { generatePage } from '../fixtures/page-generator.js';

let dir: string;
let dbPath: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'summaries-'));
  const seeds = join(dir, 'pages');
  const data = join(dir, 'data');
  mkdirSync(seeds);
  writeFileSync(join(seeds, '2024-03-01.txt'), generatePage(71).text);
  writeFileSync(join(seeds, '2024-03-02.txt'), generatePage(72).text);
  const news = await openNews({ seedsDir: seeds, dataDir: data, region: '衢州市', summaryMaxChars: 120, pageSize: 5, waitForSummaries: true }, pino({ level: 'silent' }));
  await news.close();
  dbPath = archivePath(data);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('ends when idle, and a wake-up after that starts a worker that stores what came since', async () => {
  const db = new BetterSqlite3(dbPath);
  const seqs = db.prepare('SELECT seq FROM items ORDER BY seq').pluck().all() as number[];
  expect(seqs.length).toBeGreaterThan(6);
  const forget = (some: number[]) => db.prepare(`UPDATE items SET summary = NULL, keywords = NULL, title_words = NULL WHERE seq IN (${some.join(',')})`).run();
  const stored: number[] = [];
  let retirements = 0;
  let retired: () => void = () => {};
  const worker = startSummaryWorker({
    dbPath,
    userWords: [],
    summaryMaxChars: 120,
    retireAfterMs: 50,
    onStored: (rows) => stored.push(...rows),
    onRetired: () => {
      retirements++;
      retired();
    },
  });
  try {
    for (const round of [seqs.slice(0, 3), seqs.slice(3, 6)]) {
      const ended = new Promise<void>((resolve) => (retired = resolve));
      forget(round);
      stored.length = 0;
      worker.wake();
      await worker.idle();
      expect(stored.sort()).toEqual([...round].sort());
      expect(db.prepare('SELECT COUNT(*) FROM items WHERE summary IS NULL').pluck().get()).toBe(0);
      await ended;
    }
    // One worker ended per round: the second round's was started by its wake-up.
    expect(retirements).toBeGreaterThanOrEqual(2);
  } finally {
    await worker.close();
    db.close();
  }
});

it('takes a helper on a backlog that analyses the oldest items first, ends by itself, and is waited for', async () => {
  const db = new BetterSqlite3(dbPath);
  const seqs = db.prepare('SELECT seq FROM items ORDER BY seq').pluck().all() as number[];
  const stored: number[] = [];
  const worker = startSummaryWorker({ dbPath, userWords: [], summaryMaxChars: 120, batch: 2, onStored: (rows) => stored.push(...rows) });
  try {
    // Everything is stored: the worker idles, and only the helper sees the backlog made next.
    await worker.idle();
    db.prepare('UPDATE items SET summary = NULL, keywords = NULL, title_words = NULL').run();
    worker.help();
    expect(worker.running).toBe(true);
    await worker.idle();
    expect(stored).toEqual(seqs);
    expect(db.prepare('SELECT COUNT(*) FROM items WHERE summary IS NULL').pluck().get()).toBe(0);
    // Once it has met the worker it is gone: a second call starts another on what is left (nothing).
    worker.help();
    await worker.idle();
    expect(stored).toEqual(seqs);
  } finally {
    await worker.close();
    db.close();
  }
});

it('ends within about a second when it found nothing to analyse (a warm start), so the query splitter loads then', async () => {
  const started = performance.now();
  let retiredAt = 0;
  const retired = new Promise<void>((resolve) => {
    const worker = startSummaryWorker({
      dbPath,
      userWords: [],
      summaryMaxChars: 120,
      onRetired: () => {
        retiredAt = performance.now() - started;
        expect(worker.running).toBe(false);
        resolve();
        void worker.close();
      },
    });
    expect(worker.running).toBe(true);
  });
  await retired;
  // The default wait is ten seconds; an unused worker's is one.
  expect(retiredAt).toBeGreaterThanOrEqual(900);
  expect(retiredAt).toBeLessThan(5_000);
});

it.runIf(process.platform === 'linux')('runs its thread at a lower priority than the bot (Linux: nice 10)', async () => {
  const nices = () =>
    readdirSync('/proc/self/task').map((tid) => {
      // Field 19 of stat is the nice value; the name (field 2) may hold spaces, so count after its ')'.
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    });
  expect(nices()).not.toContain(10);
  const worker = startSummaryWorker({ dbPath, userWords: [], summaryMaxChars: 120 });
  try {
    await worker.idle();
    expect(nices()).toContain(10);
  } finally {
    await worker.close();
  }
});
