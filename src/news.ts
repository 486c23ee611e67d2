/**
 * The news core put together: gazetteer → pages → summaries → archive and index → answers. Both
 * adapters (terminal, Telegram) and the script CLI start from `openNews`.
 *
 * How it starts fast (issue 6):
 * - every page is keyed by the hash of its name and bytes; an indexed page (parsed items, summaries,
 *   keywords, jieba words) is kept in DATA_DIR, so an unchanged page is never parsed or cut again;
 * - pages not in the cache are parsed and indexed on worker threads, one per core;
 * - the archive (/latest, /county, articles) answers as soon as every page is known; the search
 *   index is built after, in the background (`ready`), from a snapshot on disk when one matches, else
 *   from the pages' terms; until then a search answers 'not-ready';
 * - the main thread loads jieba's dictionaries (~1 s, blocking) only after the first answers.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createAnswers } from './answers/create-answers.js';
import type { Answers } from './answers/answers.js';
import { Archive } from './answers/archive.js';
import { assignItemIds } from './pages/item-id.js';
import type { IndexedItem, Item } from './pages/item.js';
import { comparePages, loadPageFile, type LoadPagesOptions, type SkippedPage } from './pages/load-pages.js';
import { countyNames, placeWords, resolveCounty } from './places/county-names.js';
import { createCountyTagger } from './places/county-tagger.js';
import { loadGazetteer, type Gazetteer } from './places/gazetteer.js';
import { indexPage, pageEntries, pageTerms, type IndexedPage } from './indexing/indexed-page.js';
import { indexingIdentity } from './indexing/indexing-identity.js';
import { indexSnapshotPath, readStoredIndex, writeStoredIndex } from './indexing/index-snapshot.js';
import { pageCacheDir, pageHash, pruneIndexedPages, readIndexedPage, writeIndexedPage } from './indexing/page-cache.js';
import { indexPagesInWorkers, workerCount, type PageJob, type PageJobResult } from './indexing/page-workers.js';
import type { DocumentTerms } from './search/document-terms.js';
import { parseQuery, type ParsedQuery } from './search/query.js';
import { createSearchIndex, type SearchIndex } from './search/search-index.js';
import { createLazySegmenter } from './text/lazy-segmenter.js';
import type { Segmenter } from './text/segmenter.js';

export interface NewsOptions {
  seedsDir: string;
  dataDir: string;
  region: string;
  summaryMaxChars: number;
  pageSize: number;
  /**
   * Resolve only once search works too (scripts that search at once: the CLI, tests). Default false:
   * resolve when the lists answer, and build the index in the background.
   */
  waitForSearch?: boolean;
}

export interface NewsStats {
  pages: number;
  items: number;
  skipped: SkippedPage[];
  /** Milliseconds from the start of `openNews` until the lists answer. */
  readyMs: number;
  /** Milliseconds from the start of `openNews` until searchable (null until then). */
  searchableMs: number | null;
  /** Pages taken from the cache, and pages parsed and cut at this start. */
  cachedPages: number;
  indexedPages: number;
}

export interface PageUpdate {
  file: string;
  /** Ids of items that were not on the page before (a new page: all of them). */
  added: string[];
  removed: string[];
  /** Why the page was not (re)loaded; the old items keep serving. */
  skipped: SkippedPage | null;
}

export interface News {
  answers: Answers;
  archive: Archive;
  /** The search index; throws before `ready` (use `isReady()`), as there is none yet. */
  readonly index: SearchIndex;
  gazetteer: Gazetteer;
  /** Loads jieba's dictionaries on first use. */
  segmenter: Segmenter;
  /** Parses a query with the region's county names. */
  parseQuery(raw: string): ParsedQuery;
  /** Which of these items a topic (in search syntax) matches, with the same semantics as /search (none before ready). */
  matchTopic(query: string, ids: string[]): string[];
  /** How many items a topic matches now (what /subscribe reports; 0 before ready). */
  countMatches(query: string): number;
  /** (Re)reads one page file and swaps its items in the archive and the index. Never throws. */
  updatePage(file: string): Promise<PageUpdate>;
  /** Resolves when search works; never rejects (a failed build is logged and retried from scratch). */
  ready: Promise<void>;
  /** Writes the index snapshot now if it changed (it is also written by itself, soon after changes). */
  persist(): Promise<void>;
  isReady(): boolean;
  stats: NewsStats;
}

const GRAMS = true;
/** Below this many pages to index, the main thread does it: starting workers would cost more. */
const MAIN_THREAD_PAGES = 2;
/** Files read and hashed at once. */
const READ_CONCURRENCY = 64;
/** Largest page file (as load-pages): bigger ones are left to loadPageFile to skip. */
const MAX_PAGE_BYTES = 5 * 1024 * 1024;
/** After page updates, the index snapshot is rewritten once things are quiet for this long. */
const SNAPSHOT_DELAY_MS = 5_000;

/**
 * Loads every page; the lists answer when it resolves, search once `ready` resolves.
 * @example const news = await openNews({ seedsDir: 'seeds', dataDir: 'data', region: '衢州市', summaryMaxChars: 120, pageSize: 5 }, log);
 *          await news.ready; news.answers.search('硅烷');
 */
export async function openNews(options: NewsOptions, log: Logger): Promise<News> {
  const started = performance.now();
  const gazetteer = loadGazetteer(options.region, { cacheDir: options.dataDir });
  const userWords = placeWords(gazetteer);
  const identity = indexingIdentity({
    userWords,
    region: gazetteer.region,
    gazetteerVersion: gazetteer.source.version,
    summaryMaxChars: options.summaryMaxChars,
    grams: GRAMS,
  });
  const cacheDir = pageCacheDir(options.dataDir, identity);
  const snapshotPath = indexSnapshotPath(options.dataDir, identity);
  const segmenter = createLazySegmenter(userWords);
  let tagger: ((item: Item) => { counties: string[]; county: string | null }) | null = null;
  const tag = (item: Item) => (tagger ??= createCountyTagger(gazetteer))(item);
  const loadOptions: LoadPagesOptions = { tag, onWarning: (message) => log.warn(message) };

  // 1. Every page file, read and hashed; the cached ones taken as they are.
  const files = await pageFiles(options.seedsDir);
  const hashes = new Map<string, string>();
  const pages = new Map<string, IndexedPage>();
  const freshTerms = new Map<string, DocumentTerms[]>();
  const skipped: SkippedPage[] = [];
  const jobs: PageJob[] = [];
  await forEachLimited(files, READ_CONCURRENCY, async (file) => {
    const hash = await hashPageFile(options.seedsDir, file);
    if (hash !== null) hashes.set(file, hash);
    const cached = hash === null ? null : await readIndexedPage(cacheDir, hash, file);
    if (cached) pages.set(file, cached);
    else jobs.push({ file, hash });
  });
  const cachedPages = pages.size;

  // 2. The others parsed and indexed: on workers, or here when there are only a few.
  const take = (result: PageJobResult): void => {
    if ('indexed' in result) {
      pages.set(result.file, result.indexed);
      freshTerms.set(result.file, result.terms);
    } else if ('skipped' in result) skipped.push(result.skipped);
    else skipped.push({ file: result.file, reason: 'parse-error', message: `解析失败：${result.error}` });
  };
  const indexHere = async (job: PageJob): Promise<void> => {
    const loaded = await loadPageFile(options.seedsDir, job.file, { tag });
    if (!loaded.ok) return take({ file: job.file, hash: job.hash, skipped: loaded.skipped });
    const indexed = indexPage(loaded.page, segmenter, options.summaryMaxChars);
    if (job.hash !== null) writeIndexedPage(cacheDir, job.hash, indexed);
    take({ file: job.file, hash: job.hash, indexed, terms: pageTerms(indexed, segmenter.normalize, GRAMS) });
  };
  jobs.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  let leftOver = jobs;
  if (jobs.length > MAIN_THREAD_PAGES) {
    const data = { seedsDir: options.seedsDir, dataDir: options.dataDir, region: options.region, summaryMaxChars: options.summaryMaxChars, grams: GRAMS, cacheDir };
    leftOver = await indexPagesInWorkers(jobs, data, workerCount(jobs.length), take).catch((error: unknown) => {
      log.warn({ err: error }, 'page workers failed; indexing on the main thread');
      return jobs.filter((j) => !pages.has(j.file) && !skipped.some((s) => s.file === j.file));
    });
  }
  if (leftOver.length > 0 && jobs.length > MAIN_THREAD_PAGES) log.warn({ pages: leftOver.length }, 'page workers did not finish; indexing those pages on the main thread');
  for (const job of leftOver) await indexHere(job);

  // 3. The archive, in reading order, as loadPages builds it (same warnings, same collision rule).
  const ordered = [...pages.values()].sort((a, b) => comparePages(a.page, b.page));
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const s of skipped) log.warn(`跳过 ${s.file}：${s.message}`);
  for (const { page } of ordered) for (const w of page.report.warnings) log.warn(`${page.file}：${w}`);
  const byFile = new Map<string, IndexedItem[]>();
  const seen = new Set<string>();
  for (const indexed of ordered) {
    const entries = pageEntries(indexed).map((entry) => renameOnCollision(entry, seen, (m) => log.warn(m)));
    byFile.set(indexed.page.file, entries);
  }
  const archive = new Archive();
  archive.setAll(ordered.flatMap((p) => byFile.get(p.page.file)!));

  let index: SearchIndex | null = null;
  const names = countyNames(gazetteer);
  const resolve = (name: string) => resolveCounty(gazetteer, name);
  const parse = (raw: string) => parseQuery(raw, resolve);
  const answers = createAnswers({
    archive,
    index: () => index,
    parseQuery: parse,
    resolveCounty: resolve,
    countyNames: names,
    pageSize: options.pageSize,
  });

  const stats: NewsStats = {
    pages: ordered.length,
    items: archive.snapshot.newest.length,
    skipped,
    readyMs: Math.round(performance.now() - started),
    searchableMs: null,
    cachedPages,
    indexedPages: pages.size - cachedPages,
  };
  log.info({ pages: stats.pages, items: stats.items, skipped: skipped.length, cached: cachedPages, ms: stats.readyMs }, 'pages loaded');

  // 4. The search index, after the first answers: from the snapshot for pages it holds unchanged.
  let snapshotDirty = false;
  const buildIndex = async (): Promise<SearchIndex> => {
    await pause();
    const stored = await readStoredIndex(snapshotPath);
    await pause();
    segmenter.load();
    await pause();
    const storedPages = new Map(stored?.pages ?? []);
    const unchanged = ordered.filter((p) => {
      const hash = hashes.get(p.page.file);
      return hash !== undefined && storedPages.get(p.page.file) === hash && !freshTerms.has(p.page.file);
    });
    const unchangedFiles = new Set(unchanged.map((p) => p.page.file));
    const built = stored
      ? createSearchIndex(segmenter, {}, { snapshot: stored.index, entries: unchanged.flatMap((p) => byFile.get(p.page.file)!) })
      : createSearchIndex(segmenter);
    const rest = ordered.filter((p) => !stored || !unchangedFiles.has(p.page.file));
    const restEntries = rest.flatMap((p) => byFile.get(p.page.file)!);
    const restTerms = rest.flatMap((p) => freshTerms.get(p.page.file) ?? pageTerms(p, segmenter.normalize, GRAMS));
    if (restEntries.length > 0) built.addWithTerms(restEntries, restTerms);
    freshTerms.clear();
    snapshotDirty = !stored || rest.length > 0 || storedPages.size !== unchanged.length;
    // Built mostly from scratch: saved before search opens, so even a process stopped right after
    // (a crash, a script) leaves a snapshot for the next start. Small changes are saved later.
    if (rest.length > Math.max(MAIN_THREAD_PAGES, ordered.length / 10)) {
      await writeSnapshot(built);
    }
    return built;
  };
  let saving: Promise<void> = Promise.resolve();
  const saveSnapshot = (): Promise<void> => (saving = saving.then(() => writeSnapshot()));
  const writeSnapshot = async (current: SearchIndex | null = index): Promise<void> => {
    if (!current || !snapshotDirty) return;
    snapshotDirty = false;
    const indexed = archive.pageFiles().flatMap((file) => {
      const hash = hashes.get(file);
      return hash === undefined ? [] : [[file, hash] as [string, string]];
    });
    if (!(await writeStoredIndex(snapshotPath, { pages: indexed, index: current.snapshot() }))) {
      log.warn({ path: snapshotPath }, 'search index snapshot not written');
    }
    await pruneIndexedPages(cacheDir, new Set(hashes.values()));
  };
  let snapshotTimer: NodeJS.Timeout | null = null;
  const scheduleSnapshot = (): void => {
    snapshotDirty = true;
    if (snapshotTimer) clearTimeout(snapshotTimer);
    snapshotTimer = setTimeout(() => void saveSnapshot(), SNAPSHOT_DELAY_MS);
    snapshotTimer.unref();
  };

  const ready: Promise<void> = buildIndex().then(
    (built) => {
      index = built;
      stats.searchableMs = Math.round(performance.now() - started);
      log.info({ items: built.size, ms: stats.searchableMs }, 'search index ready');
      // Written after the first searches can run: a restart then skips all of the above.
      setTimeout(() => void saveSnapshot(), 0).unref();
    },
    (error: unknown) => {
      log.error({ err: error }, 'search index build failed; rebuilding without the snapshot');
      const rebuilt = createSearchIndex(segmenter);
      rebuilt.add(archive.snapshot.newest as IndexedItem[]);
      index = rebuilt;
      stats.searchableMs = Math.round(performance.now() - started);
      snapshotDirty = true;
    },
  );

  async function updatePage(file: string): Promise<PageUpdate> {
    const result = await loadPageFile(options.seedsDir, file, loadOptions);
    if (!result.ok) {
      log.warn({ file, reason: result.skipped.reason }, `跳过 ${file}：${result.skipped.message}`);
      return { file, added: [], removed: [], skipped: result.skipped };
    }
    const indexed = indexPage(result.page, segmenter, options.summaryMaxChars);
    const hash = await hashPageFile(options.seedsDir, file);
    if (hash !== null) {
      hashes.set(file, hash);
      writeIndexedPage(cacheDir, hash, indexed);
    } else hashes.delete(file);
    const fresh = pageEntries(indexed);
    const { added, removed } = archive.setPage(file, fresh);
    await ready;
    index!.remove(removed);
    index!.addWithTerms(fresh, pageTerms(indexed, segmenter.normalize, GRAMS));
    scheduleSnapshot();
    return { file, added, removed, skipped: null };
  }

  const matchTopic = (query: string, ids: string[]) => {
    const parsed = parse(query);
    return !index || (parsed.problem && parsed.problem !== 'too-long') ? [] : index.matches(parsed, ids);
  };
  const countMatches = (query: string) => {
    const parsed = parse(query);
    return !index || (parsed.problem && parsed.problem !== 'too-long') ? 0 : index.search(parsed).filter((hit) => !hit.partial).length;
  };

  const news: News = {
    answers,
    archive,
    get index(): SearchIndex {
      if (!index) throw new Error('news: the search index is not ready yet (await news.ready)');
      return index;
    },
    gazetteer,
    segmenter,
    parseQuery: parse,
    matchTopic,
    countMatches,
    updatePage,
    ready,
    persist: async () => {
      await ready;
      await saveSnapshot();
    },
    isReady: () => index !== null,
    stats,
  };
  if (options.waitForSearch) await ready;
  return news;
}

/** Page files of the folder (as loadPages lists them). */
async function pageFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => !e.isDirectory() && /\.txt$/i.test(e.name)).map((e) => e.name);
}

/** The page's content hash, or null when it cannot be read or is too large to be a page. */
async function hashPageFile(dir: string, file: string): Promise<string | null> {
  try {
    const path = join(dir, file);
    if ((await stat(path)).size > MAX_PAGE_BYTES) return null;
    return pageHash(file, await readFile(path));
  } catch {
    return null;
  }
}

/**
 * Ids include the file name, so two pages colliding needs a 51-bit hash collision; should it ever
 * happen the later page's item is rehashed (in reading order), as loadPages does.
 */
function renameOnCollision(entry: IndexedItem, seen: Set<string>, warn: (message: string) => void): IndexedItem {
  const { item } = entry;
  if (!seen.has(item.id)) {
    seen.add(item.id);
    return entry;
  }
  const [id] = assignItemIds([{ file: item.source.file, kind: item.kind, title: item.title, text: item.paragraphs.join('') }], seen);
  warn(`${item.source.file}：条目编号 ${item.id} 与其他版面重复，改为 ${id}`);
  return { ...entry, item: { ...item, id: id! } };
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
