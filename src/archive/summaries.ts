/**
 * Summaries and keywords off the critical path: an item is searchable as soon as its page is in
 * the archive; one worker thread (`analysis-worker.ts`) fills in the summaries meanwhile, and
 * answers show the lead sentences until it has. The worker ends when it has been idle a while,
 * and a new one starts when pages change. A helper thread can join it on a backlog (`help`).
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
  /**
   * A second thread on the backlog, for when a core is free (a cold start's sync is done): it
   * analyses the oldest pending items while the worker takes the newest, and ends where they meet.
   * Nothing when one is running already.
   */
  help(): void;
  /** Whether a worker thread is there (from its start until it has ended, idle or closed), helper included. */
  readonly running: boolean;
}

export interface SummaryWorkerOptions extends Omit<AnalysisWorkerData, 'batch' | 'order'> {
  batch?: number;
  /** Rows whose summary, keywords and headline words were just stored. */
  onStored?: (seqs: number[]) => void;
  onError?: (message: string) => void;
  /** The helper failed: the worker goes on alone. */
  onHelperError?: (message: string) => void;
  /** The idle worker has ended (its memory is free). */
  onRetired?: () => void;
  /** How long the worker may be idle before it ends (default RETIRE_AFTER_MS). */
  retireAfterMs?: number;
}

/**
 * A worker's old-generation heap cap: its live heap is the analyser's tables and word cache and one
 * batch (~100-150 MB); uncapped, V8 lets garbage grow far beyond that before collecting.
 */
const WORKER_OLD_SPACE_MB = 256;
/**
 * Its young generation's cap. V8's default lets each thread keep ~50 MB of short-lived garbage; with
 * the worker and its helper that set the peak after a cold start (50,000 items: 580 MB of RSS,
 * 522 MB with this cap, no slower).
 */
const WORKER_YOUNG_SPACE_MB = 8;

/**
 * An idle worker ends after this long without a wake-up: not between the batches of a cold start
 * or a burst of page updates, where a new worker would load jieba again each time.
 */
const RETIRE_AFTER_MS = 10_000;
/**
 * A worker that found nothing to analyse (a warm start) never loaded jieba: it ends after a second,
 * and the bot's query splitter loads then (see onRetired) rather than ten seconds into serving, where
 * a query that needs it would load it itself (150-340 ms).
 */
const RETIRE_UNUSED_AFTER_MS = 1_000;

/** @example const summaries = startSummaryWorker({ dbPath, userWords, summaryMaxChars: 120 }); summaries.wake(); */
export function startSummaryWorker(options: SummaryWorkerOptions): SummaryWorker {
  const data: Omit<AnalysisWorkerData, 'order'> = { dbPath: options.dbPath, userWords: options.userWords, summaryMaxChars: options.summaryMaxChars, batch: options.batch ?? 32 };
  let idle = false;
  let wakes = 0;
  let waiters: Array<() => void> = [];
  /** Closed, or the worker failed: summaries stay the lead sentences until the next start. */
  let ended = false;
  /**
   * The running worker, or null once it was idle for RETIRE_AFTER_MS: it is ended then, and a new
   * one started by the next wake-up. Idle, it held jieba and its word cache for nothing, and a
   * running bot wakes it only when pages change.
   */
  let worker: Worker | null = null;
  /** The helper while it runs (see help()). */
  let helper: Worker | null = null;
  let retiring: Promise<unknown> = Promise.resolve();
  let retireTimer: NodeJS.Timeout | undefined;
  // Called only by the timer an idle message sets; a wake-up or close() clears it first.
  const retire = () => {
    const idleWorker = worker;
    if (idleWorker === null) return;
    worker = null;
    retiring = idleWorker.terminate().then(() => options.onRetired?.());
  };
  const settle = () => {
    const list = waiters;
    waiters = [];
    for (const resolve of list) resolve();
  };
  const thread = (order: AnalysisWorkerData['order']) =>
    new Worker(workerBoot('analysis-worker', 'runAnalysisWorker'), { eval: true, workerData: { ...data, order } satisfies AnalysisWorkerData, resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_SPACE_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_SPACE_MB } });
  const spawn = (): Worker => {
    const started = thread('newest');
    started.on('message', (message: AnalysisMessage) => {
      if (message.type === 'done') options.onStored?.(message.seqs);
      else if (message.type === 'idle') {
        // An idle answer to an older wake-up says nothing of the rows that came since.
        if (message.wake < wakes || started !== worker) return;
        idle = true;
        clearTimeout(retireTimer);
        const after = options.retireAfterMs ?? RETIRE_AFTER_MS;
        retireTimer = setTimeout(retire, message.analysed ? after : Math.min(after, RETIRE_UNUSED_AFTER_MS)).unref();
        // Nothing is pending now; a helper may still be storing the last rows it analysed twice.
        if (helper === null) settle();
      } else options.onError?.(message.message);
    });
    started.on('error', (error) => options.onError?.(error.message));
    started.on('exit', () => {
      // Ended here when idle; any other end is a failure.
      if (started !== worker) return;
      worker = null;
      ended = true;
      settle();
    });
    // The bot exits when its work is done (piped input, tests) whether or not summaries are. After the
    // listeners: attaching a 'message' listener refs the worker again. Referenced while someone waits.
    if (waiters.length === 0) started.unref();
    return started;
  };
  worker = spawn();
  return {
    wake() {
      if (ended) return;
      idle = false;
      clearTimeout(retireTimer);
      worker ??= spawn();
      worker.postMessage({ type: 'wake', n: ++wakes });
    },
    help() {
      if (ended || helper !== null) return;
      const started = (helper = thread('oldest'));
      started.on('message', (message: AnalysisMessage) => {
        if (message.type === 'done') options.onStored?.(message.seqs);
        // It met the worker: its part is done, and it is not kept for later pages.
        else if (message.type === 'idle') void started.terminate();
        else options.onHelperError?.(message.message);
      });
      started.on('error', (error) => options.onHelperError?.(error.message));
      started.on('exit', () => {
        if (helper !== started) return;
        helper = null;
        if (idle || ended) settle();
        // The worker retired first: the memory both held is free now.
        if (worker === null && !ended) options.onRetired?.();
      });
      if (waiters.length === 0) started.unref();
    },
    idle: () => {
      if (ended || ((idle || worker === null) && helper === null)) return Promise.resolve();
      // Someone waits for the threads: they keep the process alive until then.
      worker?.ref();
      helper?.ref();
      return new Promise<void>((resolve) =>
        waiters.push(() => {
          if (waiters.length === 0) {
            worker?.unref();
            helper?.unref();
          }
          resolve();
        }),
      );
    },
    get running() {
      return worker !== null || helper !== null;
    },
    async close() {
      ended = true;
      clearTimeout(retireTimer);
      const running = [worker, helper];
      worker = null;
      helper = null;
      settle();
      await Promise.all([retiring, ...running.map((w) => w?.terminate())]);
    },
  };
}
