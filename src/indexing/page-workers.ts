/**
 * Indexes page files on worker threads (jieba is native and synchronous: threads are the way to use
 * both cores). Each worker loads the dictionaries once, then takes the next file whenever it
 * finishes one; results come back as they are ready.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SkippedPage } from '../pages/load-pages.js';
import type { DocumentTerms } from '../search/document-terms.js';
import type { IndexedPage } from './indexed-page.js';

export interface PageWorkerData {
  seedsDir: string;
  dataDir: string;
  region: string;
  summaryMaxChars: number;
  grams: boolean;
  cacheDir: string;
}

export interface PageJob {
  file: string;
  /** Content hash to cache the result under, or null (not cached). */
  hash: string | null;
}

export type PageJobResult =
  | { file: string; hash: string | null; indexed: IndexedPage; terms: DocumentTerms[] }
  | { file: string; hash: string | null; skipped: SkippedPage }
  | { file: string; hash: string | null; error: string };

/** Jobs sent to a worker before it answers the first of them. */
const IN_FLIGHT = 2;

/** As many workers as cores (at most four), never more than jobs. */
export function workerCount(jobs: number): number {
  return Math.max(1, Math.min(jobs, availableParallelism(), 4));
}

/**
 * Runs every job on `threads` workers; `onResult` sees each as it arrives. Jobs a worker could not
 * finish (it crashed) are returned for the caller to do another way.
 */
export async function indexPagesInWorkers(
  jobs: readonly PageJob[],
  data: PageWorkerData,
  threads: number,
  onResult: (result: PageJobResult) => void,
): Promise<PageJob[]> {
  const queue = [...jobs];
  const failed: PageJob[] = [];
  const boot = bootCode();
  const run = (): Promise<void> =>
    new Promise((resolve) => {
      const worker = new Worker(boot, { eval: true, workerData: data });
      // Two jobs in flight per worker, so a worker never waits for the main thread to send the next.
      const inFlight: PageJob[] = [];
      const send = (): void => {
        const job = queue.shift();
        if (job) {
          inFlight.push(job);
          worker.postMessage(job);
        }
      };
      const next = (): void => {
        while (inFlight.length < IN_FLIGHT && queue.length > 0) send();
        if (inFlight.length === 0) void worker.terminate().then(() => resolve());
      };
      worker.on('message', (message: PageJobResult | { ready: true }) => {
        if ('ready' in message) return next();
        const at = inFlight.findIndex((job) => job.file === message.file);
        if (at >= 0) inFlight.splice(at, 1);
        onResult(message);
        next();
      });
      worker.on('error', () => {
        failed.push(...inFlight.splice(0));
        resolve();
      });
      worker.on('exit', () => {
        failed.push(...inFlight.splice(0));
        resolve();
      });
    });
  await Promise.all(Array.from({ length: threads }, run));
  // A worker that died leaves its queue to the others; if all died, what is left is returned too.
  return [...failed, ...queue];
}

/**
 * The worker's entry: the TypeScript sources are run by tsx, which a worker thread must register
 * for itself before importing them.
 */
function bootCode(): string {
  // The ESM build of tsx's API (require.resolve would give the CommonJS one, whose register() fails in a worker).
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./page-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); }).then((m) => m.runPageWorker());`;
}
