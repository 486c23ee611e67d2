/**
 * A starting bot answers before every page is in: `openNews` resolves with the newest pages, the
 * lists say older pages are still loading, search says 'not-ready' until every page is in the
 * index, and at the end the archive holds every page (nothing lost, real summaries, no stand-ins).
 * Real pages, real parser, real workers, real index.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Answer, ResultsAnswer } from '../src/answers/answer.js';
import { indexPageOnce } from '../src/indexing/indexed-page.js';
import { createItemAnalyzer } from '../src/indexing/item-analysis.js';
import { openNews, type News } from '../src/news.js';
import { loadPages } from '../src/pages/load-pages.js';
import { placeWords } from '../src/places/county-names.js';
import { createCountyTagger } from '../src/places/county-tagger.js';
import { generatePage } from './fixtures/page-generator.js';

const DATED = 12;
const NEWEST = '2023-11-12.txt';
const OLDEST = '2023-11-01.txt';

/** Twelve dated pages, one undated page and one empty file (skipped). */
function archiveFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'progressive-seeds-'));
  for (let day = 1; day <= DATED; day++) writeFileSync(join(dir, `2023-11-${String(day).padStart(2, '0')}.txt`), generatePage(300 + day).text);
  writeFileSync(join(dir, 'notes.txt'), generatePage(299).text);
  writeFileSync(join(dir, 'blank.txt'), '');
  return dir;
}

function open(seedsDir: string, dataDir: string, waitForSearch = false): Promise<News> {
  return openNews({ seedsDir, dataDir, region: '衢州市', summaryMaxChars: 120, pageSize: 5, waitForSearch }, pino({ level: 'silent' }));
}

function results(answer: Answer): ResultsAnswer {
  if (answer.kind !== 'results') throw new Error(`expected results, got ${JSON.stringify(answer).slice(0, 200)}`);
  return answer;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until search opens; every search before must say 'not-ready', never answer from part of the archive. */
async function searchOnlyWhenComplete(news: News, pages: number): Promise<number> {
  let notReady = 0;
  for (;;) {
    const answer = news.answers.search('衢州');
    if (answer.kind === 'problem' && answer.problem === 'not-ready') notReady++;
    else {
      expect(answer.kind).toBe('results');
      expect(news.stats.pages).toBe(pages);
      expect(news.answers.latest().kind === 'results' && results(news.answers.latest()).loading).toBeUndefined();
      return notReady;
    }
    await sleep(10);
  }
}

describe('progressive start', () => {
  it('answers /latest from the newest page at once, says older pages are loading, and ends with every page', async () => {
    const seeds = archiveFolder();
    const data = mkdtempSync(join(tmpdir(), 'progressive-data-'));
    const news = await open(seeds, data);

    // The first answer: the newest page first, with the note, before the workers have delivered.
    const first = results(news.answers.latest({ pageSize: 100 }));
    expect(first.results[0]!.item.source.file).toBe(NEWEST);
    expect(first.loading).toBeDefined();
    expect(first.loading!.totalPages).toBe(DATED + 2);
    expect(first.loading!.pages).toBeLessThan(DATED + 2);
    expect(news.stats.pages).toBeLessThan(DATED);
    expect(first.results.every((r) => r.summary.length > 0 && r.summary.length <= 120)).toBe(true);
    const counties = news.answers.county('');
    expect(counties.kind === 'county-list' && counties.loading).toBeTruthy();
    expect(news.answers.county('开化').kind).toMatch(/results|problem/);
    expect(news.isReady()).toBe(false);

    const notReady = await searchOnlyWhenComplete(news, DATED + 1);
    expect(notReady).toBeGreaterThan(0);
    await news.ready;

    // Nothing lost: the archive is what loading every page at once gives, newest page first.
    const tag = createCountyTagger(news.gazetteer);
    const reference = await loadPages(seeds, { tag });
    const expected = [...reference.pages].reverse().flatMap((p) => p.items.map((item) => item.id));
    expect(news.archive.snapshot.newest.map((e) => e.item.id)).toEqual(expected);
    expect(news.stats.items).toBe(expected.length);
    expect(news.stats.skipped.map((s) => s.file)).toEqual(['blank.txt']);
    expect(news.stats.indexedPages).toBe(DATED + 1);
    expect(news.stats.loadedMs).toBeGreaterThanOrEqual(news.stats.readyMs);
    expect(results(news.answers.latest()).loading).toBeUndefined();
    expect(news.answers.counties().loading).toBeUndefined();

    // The newest pages were shown with stand-in summaries: they now have the real ones, the workers'
    // analysis (test/indexing/item-analysis.test.ts holds it to indexPage's plain one).
    const analyzer = createItemAnalyzer(placeWords(news.gazetteer));
    for (const page of reference.pages.slice(-2)) {
      const { summaries, keywords } = indexPageOnce(page, analyzer, 120, true).indexed;
      const shown = page.items.map((item) => news.archive.snapshot.byId.get(item.id)!);
      expect(shown.map((e) => e.summary)).toEqual(summaries);
      expect(shown.map((e) => e.keywords)).toEqual(keywords);
    }
    // (The stand-ins were lead sentences: some differ from the ranked summaries that replaced them.)
    expect(first.results.some((r) => r.summary !== news.archive.snapshot.byId.get(r.item.id)!.summary)).toBe(true);
    expect(first.results.every((r) => r.keywords.length === 0)).toBe(true);
    // Search covers the oldest page too.
    const oldest = reference.pages.find((p) => p.file === OLDEST)!.items[0]!;
    expect(results(news.answers.search(oldest.title, { pageSize: 100 })).results.some((r) => r.item.id === oldest.id)).toBe(true);
    await news.persist();

    // Warm: every page from the cache; the first answer already has the real summaries.
    const warm = await open(seeds, data);
    const warmFirst = results(warm.answers.latest({ pageSize: 5 }));
    expect(warmFirst.results.map((r) => r.summary)).toEqual(results(news.answers.latest({ pageSize: 5 })).results.map((r) => r.summary));
    await warm.ready;
    expect(warm.stats.cachedPages).toBe(DATED + 1);
    expect(warm.stats.indexedPages).toBe(0);
    expect(warm.archive.snapshot.newest.map((e) => e.item.id)).toEqual(expected);
    expect(warm.answers.search('衢州', { pageSize: 100 })).toEqual(news.answers.search('衢州', { pageSize: 100 }));
  }, 120_000);

  it('a page updated while older pages are loading ends as updated, whatever the loader had', async () => {
    const seeds = archiveFolder();
    writeFileSync(join(seeds, OLDEST), `${generatePage(301).text}\n\n# 旧版独有的标题\n\n这一篇只在旧版里有，讲的是旧版独有的观鸟驿站。\n`);
    const data = mkdtempSync(join(tmpdir(), 'progressive-data-'));
    const news = await open(seeds, data);
    expect(news.isReady()).toBe(false);
    writeFileSync(join(seeds, OLDEST), `${generatePage(301).text}\n\n# 新版独有的标题\n\n这一篇只在新版里有，讲的是新版独有的候鸟湿地。\n`);
    const update = await news.updatePage(OLDEST);
    expect(update.skipped).toBeNull();
    await news.ready;

    const titles = (news.archive.page(OLDEST) ?? []).map((e) => e.item.title);
    expect(titles).toContain('新版独有的标题');
    expect(titles).not.toContain('旧版独有的标题');
    const found = results(news.answers.search('候鸟湿地'));
    expect(found.results[0]!.item.title).toBe('新版独有的标题');
    expect(news.answers.search('观鸟驿站').kind).toBe('no-results');
    // Every id in the archive is searchable, and no search hit points outside the archive.
    const all = results(news.answers.search('衢州', { pageSize: 100 }));
    expect(all.results.every((r) => news.archive.snapshot.byId.has(r.item.id))).toBe(true);
  }, 120_000);
});
