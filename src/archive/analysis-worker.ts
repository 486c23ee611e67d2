/**
 * The worker side of `summaries.ts`: jieba lives here, and only here. It takes the items whose
 * summary is not stored yet (newest first), analyses them (summary, keywords, headline words) and
 * stores the results in batches, each batch one transaction of its own connection, then tells the
 * main thread which rows are done. Started by `startSummaries`, never at import.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Item } from '../pages/item.js';
import { analyzeItem, createItemAnalyzer } from '../text/item-analysis.js';
import { connectArchiveDb } from './archive-db.js';

export interface AnalysisWorkerData {
  dbPath: string;
  /** Words jieba must know (the gazetteer's place names). */
  userWords: string[];
  summaryMaxChars: number;
  /** Items per transaction. */
  batch: number;
}

/** From the worker: rows analysed (`done`), or nothing left to do (`idle`). */
export type AnalysisMessage = { type: 'done'; seqs: number[] } | { type: 'idle'; wake: number } | { type: 'error'; message: string };

export function runAnalysisWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('analysis-worker: not in a worker thread');
  const data = workerData as AnalysisWorkerData;
  const db = connectArchiveDb(data.dbPath);
  // Newest first: the items readers see first get their summaries first.
  const pending = db.prepare('SELECT seq, item FROM items WHERE summary IS NULL ORDER BY seq DESC LIMIT ?');
  // Item numbers are reused within a day when a page is replaced: the row must still hold the item read.
  const store = db.prepare('UPDATE items SET summary = ?, keywords = ?, title_words = ? WHERE seq = ? AND item = ?');
  let analyzer: ReturnType<typeof createItemAnalyzer> | null = null;

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
        const rows = pending.all(data.batch) as Array<{ seq: number; item: string }>;
        if (rows.length === 0) break;
        // Loaded on the first item: a warm start with every summary stored never loads jieba.
        analyzer ??= createItemAnalyzer(data.userWords);
        const results = rows.map((row) => ({ row, analysis: analyzeItem(JSON.parse(row.item) as Item, analyzer!, data.summaryMaxChars) }));
        // IMMEDIATE, as the main thread's page writes: neither may hold a read snapshot it cannot upgrade.
        db.transaction(() => {
          for (const { row, analysis } of results) {
            store.run(analysis.summary, JSON.stringify(analysis.keywords), JSON.stringify(analysis.titleWords), row.seq, row.item);
          }
        }).immediate();
        port.postMessage({ type: 'done', seqs: results.map((r) => r.row.seq) } satisfies AnalysisMessage);
      }
      port.postMessage({ type: 'idle', wake: seen } satisfies AnalysisMessage);
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
