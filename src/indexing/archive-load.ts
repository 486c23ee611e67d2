/**
 * A starting bot's pages, loaded newest first so the bot answers at once at any archive size:
 * 1. the page files are listed and ordered newest first (by the date in their names);
 * 2. the newest few are read at once, from the page cache or parsed here (no jieba: their summaries
 *    are the lead sentences until a worker's arrive) → the lists answer (`firstAnswers`);
 * 3. every other page is read and hashed: a cached one is taken as it is, the others are queued, in
 *    the same order, for the main thread and one worker thread per other core to index; what arrives
 *    goes into the archive in batches a few times a second, never one archive rebuild per page;
 * 4. the search index is fed batch by batch with the terms that came with the pages (pages the
 *    snapshot on disk holds unchanged come from it) and each batch's terms are dropped once added.
 *    It is handed over (`complete`) only when every page is in, so a search never silently misses
 *    older items.
 * The main thread indexes too (one lane), with one worker per other core. With a jieba thread
 * (`jieba`, see jieba-thread.ts) every lane cuts through it: nodejieba never frees a thread's
 * dictionaries (~240 MB each), so the process then holds one copy, not one per lane.
 */
import type { Logger } from 'pino';
import type { LoadingNote } from '../answers/answer.js';
import type { Archive } from '../answers/archive.js';
import type { IndexedItem } from '../pages/item.js';
import { listPageFiles, loadPageBytes, newestFirst, readPageFile, type CountyTagger, type SkippedPage } from '../pages/load-pages.js';
import type { DocumentTerms } from '../search/document-terms.js';
import type { PreparedTerms } from '../search/prepared-terms.js';
import { createSearchIndex, type SearchIndex } from '../search/search-index.js';
import type { LazySegmenter } from '../text/lazy-segmenter.js';
import { readStoredIndex, type StoredIndex } from './index-snapshot.js';
import { indexPageOnce, pageEntries, pageTerms, type IndexedPage } from './indexed-page.js';
import type { JiebaThread } from './jieba-thread.js';
import { createItemAnalyzer, type ItemAnalyzer } from './item-analysis.js';
import { pageHash, readIndexedPage, writeIndexedPage } from './page-cache.js';
import { startPageWorkers, workerCount, type PageJob, type PageJobResult, type PageWorkerPool } from './page-workers.js';
import { standInEntries } from './stand-in-summary.js';

export interface ArchiveLoadOptions {
  seedsDir: string;
  dataDir: string;
  region: string;
  summaryMaxChars: number;
  grams: boolean;
  /** The page cache and index snapshot of this indexing identity. */
  cacheDir: string;
  snapshotPath: string;
  /** Filled page by page. */
  archive: Archive;
  segmenter: LazySegmenter;
  /** The segmenter's user words (the gazetteer's place words), for the main thread's analyser. */
  words: readonly string[];
  tag: CountyTagger;
  /** Filled with file → content hash of each page put in the archive (the snapshot records them). */
  hashes: Map<string, string>;
  /** The thread that cuts for this one, for the workers to cut through too (null: each loads jieba). */
  jieba: JiebaThread | null;
  log: Logger;
}

export interface LoadedIndex {
  /** Every page's items. */
  index: SearchIndex;
  /** Pages added from their terms (not restored from the snapshot). */
  addedPages: number;
  /** Whether the index differs from the snapshot on disk. */
  changed: boolean;
}

export interface LoadCounts {
  /** Pages taken from the cache, and pages parsed and cut at this start. */
  cachedPages: number;
  indexedPages: number;
  skipped: SkippedPage[];
  /** Milliseconds from the start until every page was in the archive (null until then). */
  loadedMs: number | null;
}

export interface ArchiveLoad {
  /** Resolves once the newest pages are in the archive (the lists answer); rejects if the folder cannot be listed. */
  firstAnswers: Promise<void>;
  /** Resolves once every page is in the archive and in the index, with the index. */
  complete: Promise<LoadedIndex>;
  /** How many page files are in, while some are still loading; null once all are. */
  progress(): LoadingNote | null;
  /** A page update took this file over: whatever the loader still has for it is dropped. */
  release(file: string): void;
  readonly counts: LoadCounts;
}

/** The first answers wait for this many items (a few pages of /latest)… */
const FIRST_ITEMS = 20;
/** …or this many page files read, whichever comes first. */
const FIRST_PAGES = 4;
/** Files read and hashed at once. */
const READ_CONCURRENCY = 32;
/** Up to this many pages to index, the main thread does it alone: starting a worker would cost more. */
const MAIN_THREAD_PAGES = 2;
/** Arrived pages go into the archive and the index at most this often… */
const BATCH_MS = 200;
/** …and never more often than leaves the main thread this many times a batch's cost free. */
const BATCH_COST_FACTOR = 10;

/** A page's terms: cut here (per item), or made into a postings segment by the worker that cut them. */
type PageTerms = { items: DocumentTerms[] } | { prepared: PreparedTerms };

/** One page's newest state, waiting for the next batch. */
interface Arrival {
  entries: IndexedItem[];
  hash: string | null;
  /** Its terms for the index; null when they come later (a stand-in) or from the snapshot. */
  terms: PageTerms | null;
  /** False for a stand-in (parsed here, summaries not final yet). */
  final: boolean;
  warnings: readonly string[];
}

/**
 * Starts loading; the archive fills as pages arrive.
 * @example const load = startArchiveLoad({ ... }); await load.firstAnswers; answers.latest(); const { index } = await load.complete;
 */
export function startArchiveLoad(o: ArchiveLoadOptions): ArchiveLoad {
  const started = performance.now();
  const counts: LoadCounts = { cachedPages: 0, indexedPages: 0, skipped: [], loadedMs: null };
  let totalPages = 0;
  let listed = new Set<string>();
  let finished = false;
  /** Files whose final state is in the archive (indexed, cached, skipped, or taken over by an update). */
  const settled = new Set<string>();
  const released = new Set<string>();

  // -- batches: the archive and the index change together, a few times a second.
  const pending = new Map<string, Arrival>();
  let toIndex: Array<{ file: string; entries: IndexedItem[]; terms: PageTerms }> = [];
  let index: SearchIndex | null = null;
  let addedPages = 0;
  let timer: NodeJS.Timeout | null = null;
  let lastBatch = 0;
  let batchCost = 0;

  const arrive = (file: string, arrival: Arrival): void => {
    if (released.has(file)) return;
    if (pending.get(file)?.final && !arrival.final) return;
    pending.set(file, arrival);
    if (timer) return;
    const interval = Math.max(BATCH_MS, BATCH_COST_FACTOR * batchCost);
    timer = setTimeout(flush, Math.max(0, lastBatch + interval - performance.now()));
  };

  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.size === 0) return;
    const t = performance.now();
    const batch = [...pending];
    pending.clear();
    const changes = o.archive.setPages(new Map(batch.map(([file, a]) => [file, a.entries])));
    for (const [file, a] of batch) {
      if (a.final) {
        settled.add(file);
        if (a.hash !== null) o.hashes.set(file, a.hash);
        else o.hashes.delete(file);
      }
      for (const warning of a.warnings) o.log.warn(`${file}：${warning}`);
      if (a.terms) toIndex.push({ file, entries: changes.get(file)!.entries, terms: a.terms });
    }
    feedIndex();
    lastBatch = performance.now();
    batchCost = lastBatch - t;
  };

  const feedIndex = (): void => {
    if (!index || toIndex.length === 0) return;
    const batch = toIndex.filter((t) => !released.has(t.file));
    toIndex = [];
    const cutHere: Array<{ entries: IndexedItem[]; items: DocumentTerms[] }> = [];
    for (const { entries, terms } of batch) {
      if ('prepared' in terms) index.addPrepared(entries, terms.prepared);
      else cutHere.push({ entries, items: terms.items });
    }
    if (cutHere.length > 0) index.addWithTerms(cutHere.flatMap((t) => t.entries), cutHere.flatMap((t) => t.items));
    addedPages += batch.length;
  };

  const skip = (skipped: SkippedPage): void => {
    if (released.has(skipped.file)) return;
    counts.skipped.push(skipped);
    o.log.warn(`跳过 ${skipped.file}：${skipped.message}`);
    // A page shown from a quick parse that a worker then could not read leaves again.
    arrive(skipped.file, { entries: [], hash: null, terms: null, final: true, warnings: [] });
  };

  // -- the snapshot on disk: which cached pages need no terms (read after the first answers).
  let storedPages: Map<string, string> | null = null;
  const fromSnapshot = new Set<string>();
  /** Cached pages put in the archive before the snapshot was read: decided once it is. */
  const undecided: Array<{ file: string; hash: string }> = [];
  const takeCached = (file: string, hash: string, cached: IndexedPage): void => {
    const inSnapshot = storedPages === null ? null : storedPages.get(file) === hash;
    if (inSnapshot === null) undecided.push({ file, hash });
    if (inSnapshot) fromSnapshot.add(file);
    const terms = inSnapshot === false ? { items: pageTerms(cached, o.segmenter.normalize, o.grams) } : null;
    arrive(file, { entries: pageEntries(cached), hash, terms, final: true, warnings: cached.page.report.warnings });
  };
  const decideUndecided = async (): Promise<void> => {
    for (const { file, hash } of undecided.splice(0)) {
      if (storedPages!.get(file) === hash) {
        fromSnapshot.add(file);
        continue;
      }
      // Not in the snapshot: the record is read again for its words (rare: a snapshot not written).
      const cached = await readIndexedPage(o.cacheDir, hash, file);
      if (cached) arrive(file, { entries: pageEntries(cached), hash, terms: { items: pageTerms(cached, o.segmenter.normalize, o.grams) }, final: true, warnings: [] });
      else queueJob({ file, hash });
    }
  };

  // -- pages not in the cache: one queue, newest first, for this thread and the workers.
  const data = { seedsDir: o.seedsDir, dataDir: o.dataDir, region: o.region, summaryMaxChars: o.summaryMaxChars, grams: o.grams, cacheDir: o.cacheDir };
  const jobs: PageJob[] = [];
  const take = (): PageJob | undefined => {
    for (let job = jobs.shift(); job; job = jobs.shift()) if (!released.has(job.file)) return job;
    return undefined;
  };
  const onResult = (r: PageJobResult): void => {
    if ('indexed' in r) {
      counts.indexedPages++;
      arrive(r.file, { entries: pageEntries(r.indexed), hash: r.hash, terms: { prepared: r.prepared }, final: true, warnings: r.indexed.page.report.warnings });
    } else if ('skipped' in r) skip(r.skipped);
    else skip({ file: r.file, reason: 'parse-error', message: `解析失败：${r.error}` });
  };
  let pool: PageWorkerPool | null = null;
  let queued = 0;
  let wakeHere: (() => void) | null = null;
  const queueJob = (job: PageJob): void => {
    jobs.push(job);
    queued++;
    wakeHere?.();
    if (pool) return pool.wake();
    // Workers only for more than a couple of pages: each costs a second to start (and 240 MB for good without a jieba thread).
    const threads = workerCount(Number.MAX_SAFE_INTEGER) - 1;
    if (queued <= MAIN_THREAD_PAGES || threads < 1 || noWorkers) return;
    try {
      pool = startPageWorkers(data, threads, { take }, onResult, o.jieba ?? undefined);
    } catch (error) {
      noWorkers = true;
      o.log.warn({ err: error }, 'page workers failed to start; indexing on the main thread');
    }
  };
  let noWorkers = false;
  /** The main thread's share: the same one-cut analysis as the workers (jieba loaded on the first page). */
  let analyzer: ItemAnalyzer | null = null;
  const indexHere = async (job: PageJob): Promise<void> => {
    const read = await readPageFile(o.seedsDir, job.file);
    const loaded = read.ok ? loadPageBytes(job.file, read.bytes, { tag: o.tag }) : read;
    if (released.has(job.file)) return;
    if (!loaded.ok) return skip(loaded.skipped);
    analyzer ??= createItemAnalyzer(o.words);
    const { indexed, terms } = indexPageOnce(loaded.page, analyzer, o.summaryMaxChars, o.grams);
    const same = read.ok && job.hash !== null && pageHash(job.file, read.bytes) === job.hash;
    if (same) writeIndexedPage(o.cacheDir, job.hash!, indexed);
    counts.indexedPages++;
    arrive(job.file, { entries: pageEntries(indexed), hash: same ? job.hash : null, terms: { items: terms }, final: true, warnings: indexed.page.report.warnings });
  };
  let scanned = false;
  /** Takes queued pages until the scan is over and the queue empty, yielding between pages. */
  const indexingHere = async (): Promise<void> => {
    for (;;) {
      const job = take();
      if (job) {
        await indexHere(job);
        await pause();
      } else if (scanned) return;
      else await new Promise<void>((resolve) => (wakeHere = resolve));
      wakeHere = null;
    }
  };

  /** One page file: cached, or parsed here for a quick look (`first`), and queued for indexing. Returns items shown. */
  const intake = async (file: string, first: boolean): Promise<number> => {
    const read = await readPageFile(o.seedsDir, file);
    if (released.has(file)) return 0;
    if (!read.ok) {
      skip(read.skipped);
      return 0;
    }
    const hash = pageHash(file, read.bytes);
    const cached = await readIndexedPage(o.cacheDir, hash, file);
    if (released.has(file)) return 0;
    if (cached) {
      counts.cachedPages++;
      takeCached(file, hash, cached);
      return cached.page.items.length;
    }
    if (!first) {
      queueJob({ file, hash });
      return 0;
    }
    const loaded = loadPageBytes(file, read.bytes, { tag: o.tag });
    if (!loaded.ok) {
      skip(loaded.skipped);
      return 0;
    }
    arrive(file, { entries: standInEntries(loaded.page, o.summaryMaxChars), hash, terms: null, final: false, warnings: [] });
    queueJob({ file, hash });
    return loaded.page.items.length;
  };

  let firstDone!: () => void;
  let firstFailed!: (error: unknown) => void;
  const firstAnswers = new Promise<void>((resolve, reject) => {
    firstDone = resolve;
    firstFailed = reject;
  });

  const run = async (): Promise<LoadedIndex> => {
    const files = newestFirst(await listPageFiles(o.seedsDir));
    totalPages = files.length;
    listed = new Set(files);
    let next = 0;
    let items = 0;
    while (next < files.length && next < FIRST_PAGES && items < FIRST_ITEMS) items += await intake(files[next++]!, true);
    flush();
    firstDone();
    o.log.info({ pages: settled.size, items: o.archive.snapshot.newest.length, of: totalPages, ms: Math.round(performance.now() - started) }, 'first answers ready; older pages loading');
    await pause();

    let stored: StoredIndex | null = null;
    const snapshotRead = readStoredIndex(o.snapshotPath).then(async (s) => {
      stored = s !== null && s.index.grams === o.grams ? s : null;
      storedPages = new Map(stored?.pages ?? []);
      await decideUndecided();
    });
    const here = indexingHere();
    here.catch(() => undefined); // awaited below; a failure meanwhile must not be an unhandled rejection
    await forEachLimited(files.slice(next), READ_CONCURRENCY, async (file) => void (await intake(file, false)));
    await snapshotRead;
    scanned = true;
    wakeHere?.();
    flush();

    // The index: from the snapshot for the pages it holds unchanged, then fed what arrives.
    const restored = [...fromSnapshot].filter((file) => !released.has(file));
    const storedIndex = stored as StoredIndex | null;
    index = storedIndex
      ? createSearchIndex(o.segmenter, { grams: o.grams }, { snapshot: storedIndex.index, entries: restored.flatMap((file) => o.archive.page(file) ?? []) })
      : createSearchIndex(o.segmenter, { grams: o.grams });
    const storedCount = storedIndex?.pages.length ?? 0;
    stored = null; // the snapshot's arrays are the index's now, or garbage
    feedIndex();
    await pause();

    const leftOver = pool ? await (pool as PageWorkerPool).close() : [];
    await here;
    if (leftOver.length > 0) o.log.warn({ pages: leftOver.length }, 'page workers did not finish; indexing those pages on the main thread');
    for (const job of leftOver) {
      if (released.has(job.file)) continue;
      await indexHere(job);
      await pause();
    }
    analyzer = null; // its tables (~75 MB of heap) are not needed for queries
    flush();
    finished = true;
    counts.loadedMs = Math.round(performance.now() - started);
    counts.skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    o.log.info({ pages: o.archive.pageFiles().length, items: o.archive.snapshot.newest.length, cached: counts.cachedPages, indexed: counts.indexedPages, skipped: counts.skipped.length, ms: counts.loadedMs }, 'pages loaded');
    // Queries need jieba here (already loaded if this thread indexed pages).
    await pause();
    o.segmenter.load();
    return { index, addedPages, changed: storedIndex === null || addedPages > 0 || storedCount !== restored.length };
  };

  const complete = run();
  complete.catch((error: unknown) => firstFailed(error));

  return {
    firstAnswers,
    complete,
    progress: () => (finished ? null : { pages: settled.size, totalPages }),
    release(file) {
      released.add(file);
      pending.delete(file);
      if (listed.has(file)) settled.add(file);
    },
    counts,
  };
}

async function forEachLimited<T>(values: readonly T[], limit: number, run: (value: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < values.length) await run(values[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, values.length) }, lane));
}

/** Lets pending I/O (a reader's /latest) run between long synchronous steps. */
function pause(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
