/**
 * A changed page file's bytes → the record the archive writes: parsed, tagged, and each item made
 * storable (its JSON and FTS columns). On the main thread for a page or a few; for a cold start, on a
 * worker thread (`parse-worker.ts`), so that the main thread only writes while pages are parsed
 * beside it (parsing is about a third of a cold start's work on the main thread).
 */
import { Worker } from 'node:worker_threads';
import { loadPageBytes, type LoadPagesOptions, type SkippedPage } from '../pages/load-pages.js';
import { storableItem, type StorableItem } from './storable-item.js';
import { workerBoot } from './worker-boot.js';

export type ParsedPage = { ok: true; date: string | null; items: StorableItem[]; warnings: string[] } | { ok: false; skipped: SkippedPage };

/** Parses pages, in any order of completion; each result answers its own call. */
export interface PageParser {
  parse(file: string, bytes: Buffer): Promise<ParsedPage>;
  /** Ends the worker; pages still being parsed come back skipped (whoever closes waits for none). */
  close(): Promise<void>;
}

/** @example parsePageBytes('2023-10-31.txt', bytes, { tag }, createNormalizer()) */
export function parsePageBytes(file: string, bytes: Buffer, load: Pick<LoadPagesOptions, 'tag'>, normalize: (text: string) => string): ParsedPage {
  const result = loadPageBytes(file, bytes, load);
  if (!result.ok) return result;
  const { page } = result;
  return { ok: true, date: page.date, items: page.items.map((item) => storableItem(item, normalize)), warnings: page.report.warnings };
}

export interface ParseWorkerData {
  /** The gazetteer the county tagger is made from (read from its cached extract in `cacheDir`). */
  region: string;
  cacheDir: string;
}

export interface ParseWorkerOptions extends ParseWorkerData {
  /** The same parse on this thread: for the pages in hand when the worker fails, and after. */
  inline: (file: string, bytes: Buffer) => ParsedPage;
  onError?: (message: string) => void;
}

/** Messages to the worker and back. */
export interface ParseRequest {
  id: number;
  file: string;
  bytes: Uint8Array;
}
export interface ParseReply {
  id: number;
  parsed: ParsedPage;
}

/** @example const parser = startParseWorker({ region: '衢州市', cacheDir: dataDir, inline }); await parser.parse(file, bytes); */
export function startParseWorker(options: ParseWorkerOptions): PageParser {
  const data: ParseWorkerData = { region: options.region, cacheDir: options.cacheDir };
  const worker = new Worker(workerBoot('parse-worker', 'runParseWorker'), { eval: true, workerData: data });
  const waiting = new Map<number, { file: string; bytes: Buffer; resolve: (parsed: ParsedPage) => void }>();
  let next = 0;
  let failed = false;
  /** From now on pages are parsed here; those in hand too, unless the worker was closed (nobody waits for them then). */
  const fail = (message: string | null) => {
    if (failed) return;
    failed = true;
    if (message !== null) options.onError?.(message);
    for (const { file, bytes, resolve } of waiting.values()) {
      resolve(message !== null ? options.inline(file, bytes) : { ok: false, skipped: { file, reason: 'parse-error', message: '解析中止' } });
    }
    waiting.clear();
  };
  worker.on('message', ({ id, parsed }: ParseReply) => {
    const entry = waiting.get(id);
    waiting.delete(id);
    entry?.resolve(parsed);
  });
  worker.on('error', (error) => fail(`page parsing worker failed: ${error.message}`));
  worker.on('exit', (code) => fail(`page parsing worker exited (${code})`));
  return {
    parse(file, bytes) {
      if (failed) return Promise.resolve(options.inline(file, bytes));
      const id = next++;
      return new Promise<ParsedPage>((resolve) => {
        waiting.set(id, { file, bytes, resolve });
        worker.postMessage({ id, file, bytes } satisfies ParseRequest);
      });
    },
    async close() {
      fail(null);
      await worker.terminate();
    },
  };
}
