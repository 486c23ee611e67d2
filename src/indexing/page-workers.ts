/**
 * Indexes page files on worker threads (jieba is native and synchronous: threads are the way to use
 * both cores). Each worker loads the dictionaries once, then takes the next file whenever it
 * finishes one; results come back as they are ready. Workers take jobs from a queue that can grow
 * while they run (a starting bot finds pages newest first) and that the main thread may share.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SkippedPage } from '../pages/load-pages.js';
import type { PreparedTerms } from '../search/prepared-terms.js';
import type { SummarizedPage } from './indexed-page.js';
import type { JiebaLink, JiebaThread } from './jieba-thread.js';

export interface PageWorkerData {
  seedsDir: string;
  dataDir: string;
  region: string;
  summaryMaxChars: number;
  grams: boolean;
  cacheDir: string;
  /** Where the worker's cuts are made (see jieba-thread.ts); without it, the worker loads jieba itself. */
  jieba?: JiebaLink;
}

export interface PageJob {
  file: string;
  /** Content hash to cache the result under, or null (not cached). */
  hash: string | null;
}

/**
 * A worker's answer for one page. The page comes back without its words (the cache record the
 * worker wrote keeps them) and with its terms as a prepared postings segment for the index.
 */
export type PageJobResult =
  | { file: string; hash: string | null; indexed: SummarizedPage; prepared: PreparedTerms }
  | { file: string; hash: string | null; skipped: SkippedPage }
  | { file: string; hash: string | null; error: string };

/** Where workers take their next job: a queue the caller may share with other consumers. */
export interface PageJobSource {
  /** The next job, or undefined when there is none right now. */
  take(): PageJob | undefined;
}

export interface PageWorkerPool {
  /** The source has new jobs: idle workers take them. */
  wake(): void;
  /**
   * No more jobs will come: resolves once the source is empty, every job taken is answered and the
   * workers have ended, with the jobs a worker took but could not finish (it crashed) for the caller
   * to do another way. Jobs no worker took stay in the source.
   */
  close(): Promise<PageJob[]>;
}

/**
 * A worker's old-generation heap cap. Its live heap is bounded at any archive size (the analyser's
 * tables and word cache and one page: ~100-150 MB), but uncapped, V8 let garbage grow it to
 * ~420 MB before collecting; near a cap it collects sooner. Running out would end the worker (its
 * jobs go back to the main thread), never the process.
 */
const WORKER_OLD_SPACE_MB = 256;

/** Jobs sent to a worker before it answers the first of them. */
const IN_FLIGHT = 2;

/** As many workers as cores (at most four), never more than jobs. */
export function workerCount(jobs: number): number {
  return Math.max(1, Math.min(jobs, availableParallelism(), 4));
}

/**
 * Starts `threads` workers that take jobs from `source`; `onResult` sees each result as it arrives.
 * With `jieba`, the workers cut through that thread instead of each loading jieba.
 * @example const pool = startPageWorkers(data, 2, { take: () => queue.shift() }, take); queue.push(job); pool.wake(); await pool.close();
 */
export function startPageWorkers(
  data: PageWorkerData,
  threads: number,
  source: PageJobSource,
  onResult: (result: PageJobResult) => void,
  jieba?: JiebaThread,
): PageWorkerPool {
  const failed: PageJob[] = [];
  let closing = false;
  const boot = bootCode();
  const lanes = Array.from({ length: threads }, () => {
    const link = jieba?.link();
    const worker = new Worker(boot, {
      eval: true,
      workerData: link ? { ...data, jieba: link } : data,
      transferList: link ? [link.port] : [],
      resourceLimits: { maxOldGenerationSizeMb: WORKER_OLD_SPACE_MB },
    });
    // Two jobs in flight per worker, so a worker never waits for the main thread to send the next.
    const inFlight: PageJob[] = [];
    let ready = false;
    let ended = false;
    let end!: () => void;
    const done = new Promise<void>((resolve) => (end = resolve));
    const stop = (): void => {
      if (ended) return;
      ended = true;
      failed.push(...inFlight.splice(0));
      end();
    };
    const pump = (): void => {
      if (!ready || ended) return;
      while (inFlight.length < IN_FLIGHT) {
        const job = source.take();
        if (!job) break;
        inFlight.push(job);
        worker.postMessage(job);
      }
      if (closing && inFlight.length === 0) {
        ended = true;
        void worker.terminate().then(end, end);
      }
    };
    worker.on('message', (message: PageJobResult | { ready: true }) => {
      if ('ready' in message) ready = true;
      else {
        const at = inFlight.findIndex((job) => job.file === message.file);
        if (at >= 0) inFlight.splice(at, 1);
        onResult(message);
      }
      pump();
    });
    // A worker that dies leaves the source to the others; its jobs in flight go back to the caller.
    worker.on('error', stop);
    worker.on('exit', stop);
    return { pump, done };
  });
  const pumpAll = (): void => lanes.forEach((lane) => lane.pump());
  return {
    wake: pumpAll,
    async close() {
      closing = true;
      pumpAll();
      await Promise.all(lanes.map((lane) => lane.done));
      return failed.splice(0);
    },
  };
}

/**
 * Runs every job on `threads` workers; `onResult` sees each as it arrives. Jobs the workers could not
 * finish (they crashed) are returned for the caller to do another way.
 */
export async function indexPagesInWorkers(
  jobs: readonly PageJob[],
  data: PageWorkerData,
  threads: number,
  onResult: (result: PageJobResult) => void,
): Promise<PageJob[]> {
  const queue = [...jobs];
  const failed = await startPageWorkers(data, threads, { take: () => queue.shift() }, onResult).close();
  return [...failed, ...queue];
}

/**
 * The worker's entry (page workers and the jieba thread). Built (scripts/build.mjs), the worker
 * entry sits beside whichever file holds this code and is imported as it is. From the TypeScript
 * sources (tests, tsx), tsx must be registered in the worker thread before importing them.
 */
export function bootCode(): string {
  const run = '.then((m) => m.runPageWorker());';
  if (!import.meta.url.endsWith('.ts')) return `import(${JSON.stringify(new URL('./page-worker.js', import.meta.url).href)})${run}`;
  // The ESM build of tsx's API (require.resolve would give the CommonJS one, whose register() fails in a worker).
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./page-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })${run}`;
}
