/**
 * The worker side of `summaries.ts`: jieba lives here, and only here. It takes the items whose
 * summary is not stored yet (newest first), analyses them (summary, keywords, headline words) and
 * stores the results in transactions of its own connection, then tells the main thread which rows
 * are done. While the main thread holds the write lock (a cold start writes pages most of the time)
 * it keeps analysing and stores later. Started by `startSummaries`, never at import.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { Item } from '../pages/item.js';
import { analyzeItem, createItemAnalyzer, type ItemAnalysis } from '../text/item-analysis.js';
import { connectArchiveDb } from './archive-db.js';

export interface AnalysisWorkerData {
  dbPath: string;
  /** Words jieba must know (the gazetteer's place names). */
  userWords: string[];
  summaryMaxChars: number;
  /** Items per transaction. */
  batch: number;
  /**
   * Which pending items first: `newest` (the worker pages wake), or `oldest` (a helper on a backlog,
   * working towards the newest-first worker from the other end; both end where they meet).
   */
  order: 'newest' | 'oldest';
}

/** From the worker: rows analysed (`done`), or nothing left to do (`idle`). */
export type AnalysisMessage = { type: 'done'; seqs: number[] } | { type: 'idle'; wake: number; analysed: boolean } | { type: 'error'; message: string };

/**
 * Analysed rows kept while the write lock is taken (the main thread writing pages) before the
 * worker waits for it: it goes on analysing rather than sleeping in SQLite's busy handler.
 */
const MAX_HELD = 500;

/** The analysis thread's nice value (0 is the process's; 19 the lowest priority). */
const WORKER_NICE = 10;

export function runAnalysisWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('analysis-worker: not in a worker thread');
  const data = workerData as AnalysisWorkerData;
  // Summaries yield the cores to the threads readers wait for: a cold start's page parser and writer
  // (50,000 items on 2 cores: searchable in 14.2-15.1 s instead of 17.4-19.5, every summary 1 s
  // later), and the main thread's answers while new pages are analysed. Linux gives threads their
  // own nice value, by thread id; elsewhere the worker shares the cores evenly.
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), WORKER_NICE);
  } catch {
    // No /proc/thread-self (not Linux), or not allowed: nothing to do.
  }
  const db = connectArchiveDb(data.dbPath);
  // Newest first: the items readers see first get their summaries first (a helper takes the oldest,
  // see `order`; where the two meet, rows the other holds unstored may be analysed twice, to the
  // same result). Rows analysed but not stored yet are still pending in the table: the query reads
  // past them, and only their numbers (while a cold start holds the write lock, up to MAX_HELD of
  // them on every round; reading their text each time cost more than a tenth of the worker's time
  // at 50,000 items).
  const pending = db.prepare(`SELECT seq FROM items WHERE summary IS NULL ORDER BY seq ${data.order === 'oldest' ? 'ASC' : 'DESC'} LIMIT ?`).pluck();
  const itemText = db.prepare('SELECT item FROM items WHERE seq = ?').pluck();
  // Item numbers are reused within a day when a page is replaced: the row must still hold the item read.
  const store = db.prepare('UPDATE items SET summary = ?, keywords = ?, title_words = ? WHERE seq = ? AND item = ?');
  let analyzer: ReturnType<typeof createItemAnalyzer> | null = null;
  const held = new Map<number, { item: string; analysis: ItemAnalysis }>();

  /** Stores the held rows in one transaction; with `wait` false, only if the write lock is free now. */
  const flush = (wait: boolean): void => {
    if (held.size === 0) return;
    db.pragma(`busy_timeout = ${wait ? 10_000 : 0}`);
    for (;;) {
      try {
        // IMMEDIATE, as the main thread's page writes: neither may hold a read snapshot it cannot upgrade.
        db.transaction(() => {
          for (const [seq, { item, analysis }] of held) {
            store.run(analysis.summary, JSON.stringify(analysis.keywords), JSON.stringify(analysis.titleWords), seq, item);
          }
        }).immediate();
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
        // The lock is someone else's for now (an index merge, another process's sync): the rows
        // stay held, and a worker that must store them keeps asking rather than failing.
        if (!wait) return;
      }
    }
    const seqs = [...held.keys()];
    held.clear();
    port.postMessage({ type: 'done', seqs } satisfies AnalysisMessage);
  };

  let running = false;
  let again = false;
  /** The last wake-up seen before looking for pending rows: an idle message answers it. */
  let wakes = 0;
  let seen = 0;
  const work = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    seen = wakes;
    try {
      for (;;) {
        const seqs = (pending.all(data.batch + held.size) as number[]).filter((seq) => !held.has(seq));
        if (seqs.length === 0) break;
        // Loaded on the first item: a warm start with every summary stored never loads jieba.
        analyzer ??= createItemAnalyzer(data.userWords);
        for (const seq of seqs) {
          // Gone since its number was read (its page was replaced): the next round reads its successor.
          const item = itemText.get(seq) as string | undefined;
          if (item !== undefined) held.set(seq, { item, analysis: analyzeItem(JSON.parse(item) as Item, analyzer, data.summaryMaxChars) });
        }
        flush(held.size >= MAX_HELD);
      }
      flush(true);
      port.postMessage({ type: 'idle', wake: seen, analysed: analyzer !== null } satisfies AnalysisMessage);
    } catch (error) {
      port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies AnalysisMessage);
    } finally {
      running = false;
    }
    if (again) {
      again = false;
      setImmediate(work);
    }
  };
  port.on('message', (message: { type: 'wake'; n: number }) => {
    wakes = Math.max(wakes, message.n);
    setImmediate(work);
  });
  work();
}
