/**
 * The news core put together: gazetteer → segmenter → pages → summaries → archive and index →
 * answers. Both adapters (terminal, Telegram) and the script CLI start from `openNews`.
 */
import type { Logger } from 'pino';
import { createAnswers } from './answers/create-answers.js';
import type { Answers } from './answers/answers.js';
import { Archive } from './answers/archive.js';
import { enrichItem } from './answers/enrich-items.js';
import type { IndexedItem } from './pages/item.js';
import { loadPageFile, loadPages, type LoadPagesOptions, type SkippedPage } from './pages/load-pages.js';
import { countyNames, placeWords, resolveCounty } from './places/county-names.js';
import { createCountyTagger } from './places/county-tagger.js';
import { loadGazetteer, type Gazetteer } from './places/gazetteer.js';
import { parseQuery, type ParsedQuery } from './search/query.js';
import { createSearchIndex, type SearchIndex } from './search/search-index.js';
import { createSegmenter, type Segmenter } from './text/segmenter.js';

export interface NewsOptions {
  seedsDir: string;
  dataDir: string;
  region: string;
  summaryMaxChars: number;
  pageSize: number;
}

export interface NewsStats {
  pages: number;
  items: number;
  skipped: SkippedPage[];
  /** Milliseconds from the start of `openNews` until searchable. */
  readyMs: number;
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
  index: SearchIndex;
  gazetteer: Gazetteer;
  segmenter: Segmenter;
  /** Parses a query with the region's county names. */
  parseQuery(raw: string): ParsedQuery;
  /** Which of these items a topic (in search syntax) matches, with the same semantics as /search. */
  matchTopic(query: string, ids: string[]): string[];
  /** How many items a topic matches now (what /subscribe reports). */
  countMatches(query: string): number;
  /** (Re)reads one page file and swaps its items in the archive and the index. Never throws. */
  updatePage(file: string): Promise<PageUpdate>;
  stats: NewsStats;
}

/**
 * Loads every page and builds the index.
 * @example const news = await openNews({ seedsDir: 'seeds', dataDir: 'data', region: '衢州市', summaryMaxChars: 120, pageSize: 5 }, log);
 *          news.answers.search('硅烷');
 */
export async function openNews(options: NewsOptions, log: Logger): Promise<News> {
  const started = performance.now();
  const gazetteer = loadGazetteer(options.region, { cacheDir: options.dataDir });
  const tag = createCountyTagger(gazetteer);
  const segmenter = createSegmenter({ words: placeWords(gazetteer) });
  const loadOptions: LoadPagesOptions = { tag, onWarning: (message) => log.warn(message) };
  const loaded = await loadPages(options.seedsDir, loadOptions);
  const enrich = (entries: IndexedItem[], item: IndexedItem['item']) => {
    entries.push(enrichItem(item, segmenter, { summaryMaxChars: options.summaryMaxChars }));
    return entries;
  };
  const entries = loaded.items.reduce(enrich, []);

  const archive = new Archive();
  archive.setAll(entries);
  const index = createSearchIndex(segmenter);
  index.add(entries);

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
    pages: loaded.pages.length,
    items: entries.length,
    skipped: loaded.skipped,
    readyMs: Math.round(performance.now() - started),
  };
  log.info({ pages: stats.pages, items: stats.items, skipped: stats.skipped.length, ms: stats.readyMs }, 'pages indexed');

  async function updatePage(file: string): Promise<PageUpdate> {
    const result = await loadPageFile(options.seedsDir, file, loadOptions);
    if (!result.ok) {
      log.warn({ file, reason: result.skipped.reason }, `跳过 ${file}：${result.skipped.message}`);
      return { file, added: [], removed: [], skipped: result.skipped };
    }
    const fresh = result.page.items.reduce(enrich, []);
    const { added, removed } = archive.setPage(file, fresh);
    index.remove(removed);
    index.add(fresh.filter((e) => added.includes(e.item.id)));
    return { file, added, removed, skipped: null };
  }

  const matchTopic = (query: string, ids: string[]) => {
    const parsed = parse(query);
    return parsed.problem && parsed.problem !== 'too-long' ? [] : index.matches(parsed, ids);
  };
  const countMatches = (query: string) => {
    const parsed = parse(query);
    return parsed.problem && parsed.problem !== 'too-long' ? 0 : index.search(parsed).filter((hit) => !hit.partial).length;
  };

  return { answers, archive, index, gazetteer, segmenter, parseQuery: parse, matchTopic, countMatches, updatePage, stats };
}
