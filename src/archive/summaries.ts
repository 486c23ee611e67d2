/**
 * Summaries and keywords off the critical path: an item is searchable as soon as its page is in
 * the archive; one worker thread (`analysis-worker.ts`, the only code that loads jieba) fills in
 * the summaries meanwhile, and answers show the lead sentences until it has.
 */
import { Worker } from 'node:worker_threads';
import type { AnalysisMessage, AnalysisWorkerData } from './analysis-worker.js';
import { workerBoot } from './worker-boot.js';

export interface SummaryWorker {
  /** New items are pending: the worker looks again. */
  wake(): void;
  /** Resolves when no item is pending (at once when none is). */
  idle(): Promise<void>;
  /** Ends the worker (what it stored is kept; the rest is done at the next start). */
  close(): Promise<void>;
}

export interface SummaryWorkerOptions extends Omit<AnalysisWorkerData, 'batch'> {
  batch?: number;
  /** Rows whose summary, keywords and headline words were just stored. */
  onStored?: (seqs: number[]) => void;
  onError?: (message: string) => void;
}

/**
 * A worker's old-generation heap cap: its live heap is the analyser's tables and word cache and one
 * batch (~100-150 MB); uncapped, V8 lets garbage grow far beyond that before collecting.
 */
const WORKER_OLD_SPACE_MB = 256;

/** @example const summaries = startSummaryWorker({ dbPath, userWords, summaryMaxChars: 120 }); summaries.wake(); */
export function startSummaryWorker(options: SummaryWorkerOptions): SummaryWorker {
  const data: AnalysisWorkerData = { dbPath: options.dbPath, userWords: options.userWords, summaryMaxChars: options.summaryMaxChars, batch: options.batch ?? 32 };
  const worker = new Worker(workerBoot('analysis-worker', 'runAnalysisWorker'), { eval: true, workerData: data, resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_SPACE_MB } });
  let idle = false;
  let wakes = 0;
  let waiters: Array<() => void> = [];
  let ended = false;
  const settle = () => {
    const list = waiters;
    waiters = [];
    for (const resolve of list) resolve();
  };
  worker.on('message', (message: AnalysisMessage) => {
    if (message.type === 'done') options.onStored?.(message.seqs);
    else if (message.type === 'idle') {
      // An idle answer to an older wake-up says nothing of the rows that came since.
      if (message.wake < wakes) return;
      idle = true;
      settle();
    } else options.onError?.(message.message);
  });
  worker.on('error', (error) => options.onError?.(error.message));
  worker.on('exit', () => {
    ended = true;
    settle();
  });
  // The bot exits when its work is done (piped input, tests) whether or not summaries are. After the
  // listeners: attaching a 'message' listener refs the worker again.
  worker.unref();
  return {
    wake() {
      if (ended) return;
      idle = false;
      worker.postMessage({ type: 'wake', n: ++wakes });
    },
    idle: () => {
      if (idle || ended) return Promise.resolve();
      // Someone waits for the worker: it keeps the process alive until then.
      worker.ref();
      return new Promise<void>((resolve) =>
        waiters.push(() => {
          if (waiters.length === 0) worker.unref();
          resolve();
        }),
      );
    },
    async close() {
      if (ended) return;
      await worker.terminate();
    },
  };
}
