/**
 * The archive database kept in line with the page files, for real: the real parser on generated
 * pages, the real archive.db, the real summary worker. A cold start answers lists while it syncs, a
 * warm start reads nothing it already has, and a changed, added or removed page costs only itself.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResultsAnswer } from '../../src/answers/answer.js';
import { archivePath, openNews, type News, type NewsOptions } from '../../src/news.js';
import { leadSummary } from '../../src/text/lead-summary.js';
import { results } from '../news-fixture.js';
import { generatePage } from '../fixtures/page-generator.js';

const DATED = 12;

/** Twelve dated pages, one undated page and one empty file (skipped). */
function archiveFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sync-seeds-'));
  for (let day = 1; day <= DATED; day++) writeFileSync(join(dir, `2023-11-${String(day).padStart(2, '0')}.txt`), generatePage(300 + day).text);
  writeFileSync(join(dir, 'notes.txt'), generatePage(299).text);
  writeFileSync(join(dir, 'blank.txt'), '');
  return dir;
}

const opened: News[] = [];
async function open(seedsDir: string, dataDir: string, extra: Partial<NewsOptions> = {}): Promise<News> {
  const news = await openNews({ seedsDir, dataDir, region: '衢州市', summaryMaxChars: 120, pageSize: 5, ...extra }, pino({ level: 'silent' }));
  opened.push(news);
  return news;
}
afterEach(async () => {
  for (const news of opened.splice(0)) await news.close();
});

/** Everything a reader could see of the archive: every item newest first, with its summary. */
function everything(news: News): Array<[string, string, string]> {
  return results(news.answers.latest({ pageSize: 100 })).results.map((r) => [r.item.id, r.item.title, r.summary]);
}

describe('archive sync', () => {
  it('answers at once while a cold start syncs, says older pages are loading, and ends with every page', async () => {
    const seeds = archiveFolder();
    const news = await open(seeds, mkdtempSync(join(tmpdir(), 'sync-data-')));
    // Right after opening: an answer, never an error (the loading note while pages are still coming).
    const early = news.answers.latest();
    expect(['results', 'problem']).toContain(early.kind);
    if (early.kind === 'problem') expect(early.problem).toBe('still-loading');
    else expect((early as ResultsAnswer).loading).toBeDefined();
    await news.ready;
    const all = results(news.answers.latest({ pageSize: 100 }));
    expect(all.loading).toBeUndefined();
    expect(news.stats.pages).toBe(DATED + 1);
    expect(news.stats.skipped.map((s) => s.file)).toEqual(['blank.txt']);
    // Newest first: the last day's page leads, the undated page comes last.
    expect(all.results[0]!.item.date).toBe('2023-11-12');
    expect(all.results.at(-1)!.item.date).toBeNull();
  });

  it('stores the worker summaries: stand-ins (the lead sentences) first, the ranked summary after', async () => {
    const seeds = archiveFolder();
    const news = await open(seeds, mkdtempSync(join(tmpdir(), 'sync-data-')), { waitForSearch: true });
    await news.summarized;
    const entries = results(news.answers.latest({ pageSize: 100 })).results;
    const leads = entries.map((r) => leadSummary(r.item.paragraphs, 120));
    // Some summaries differ from their lead (TextRank chose other sentences), and keywords are there.
    expect(entries.some((r, i) => r.summary !== leads[i])).toBe(true);
    expect(entries.every((r) => r.keywords.length > 0 || r.item.paragraphs.join('').length < 20)).toBe(true);
    expect(news.stats.summarizedMs).not.toBeNull();
  });

  it('summarises pages that come after every summary was stored', async () => {
    const seeds = archiveFolder();
    const news = await open(seeds, mkdtempSync(join(tmpdir(), 'sync-data-')), { waitForSummaries: true });
    for (const [n, day] of [
      [1001, '2023-11-20'],
      [1002, '2023-11-21'],
    ] as const) {
      writeFileSync(join(seeds, `${day}.txt`), generatePage(n).text);
      expect((await news.updatePage(`${day}.txt`)).skipped).toBeNull();
      // Keywords come only from the worker: the stand-in has none.
      const fresh = () => results(news.answers.latest({ pageSize: 100 })).results.filter((r) => r.item.date === day);
      expect(fresh().length).toBeGreaterThan(0);
      const until = Date.now() + 30_000;
      while (fresh().some((r) => r.keywords.length === 0) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(fresh().every((r) => r.keywords.length > 0)).toBe(true);
    }
  });

  it('reads nothing again on a warm start, and gives the same answers', async () => {
    const seeds = archiveFolder();
    const data = mkdtempSync(join(tmpdir(), 'sync-data-'));
    const cold = await open(seeds, data, { waitForSummaries: true });
    const before = everything(cold);
    const search = results(cold.answers.search('衢州')).results.map((r) => r.item.id);
    await cold.close();
    opened.splice(0);
    const warm = await open(seeds, data);
    // The archive is open and whole before any sync: the first answer has no loading gap, and
    // checking the unchanged pages is not "loading" (nothing found is nothing, not "not ready").
    const first = results(warm.answers.search('衢州'));
    expect(first.results.map((r) => r.item.id)).toEqual(search);
    expect(first.loading).toBeUndefined();
    expect(warm.answers.search('磐安冬笋节')).toMatchObject({ kind: 'no-results' });
    await warm.ready;
    expect(warm.stats.indexedPages).toBe(0);
    expect(everything(warm)).toEqual(before);
  });

  it('applies a changed, an added and a removed page, and only those', async () => {
    const seeds = archiveFolder();
    const data = mkdtempSync(join(tmpdir(), 'sync-data-'));
    const first = await open(seeds, data, { waitForSearch: true });
    const oldTitles = first.pageItems('2023-11-03.txt').map((i) => i.title);
    await first.close();
    opened.splice(0);
    writeFileSync(join(seeds, '2023-11-03.txt'), generatePage(999).text);
    writeFileSync(join(seeds, '2023-11-20.txt'), generatePage(1000).text);
    rmSync(join(seeds, '2023-11-05.txt'));
    const news = await open(seeds, data, { waitForSearch: true });
    expect(news.stats.indexedPages).toBe(2);
    expect(news.pageItems('2023-11-05.txt')).toEqual([]);
    expect(news.pageItems('2023-11-20.txt').length).toBeGreaterThan(0);
    const newTitles = news.pageItems('2023-11-03.txt').map((i) => i.title);
    expect(newTitles).toEqual(expect.arrayContaining(generatePageTitles(999)));
    expect(newTitles).not.toEqual(oldTitles);
  });

  it('updates one page while running: new text is searchable, removed text is not', async () => {
    const seeds = archiveFolder();
    const news = await open(seeds, mkdtempSync(join(tmpdir(), 'sync-data-')), { waitForSearch: true });
    const page = generatePage(4242).text.replace(/^# (.*)$/m, '# 磐安冬笋节开幕 $1');
    writeFileSync(join(seeds, '2023-11-21.txt'), page);
    const update = await news.updatePage('2023-11-21.txt');
    expect(update.skipped).toBeNull();
    expect(update.added.length).toBeGreaterThan(0);
    expect(results(news.answers.search('磐安冬笋节')).total).toBe(1);
    rmSync(join(seeds, '2023-11-21.txt'));
    const removal = await news.updatePage('2023-11-21.txt');
    expect(removal.removed.sort()).toEqual(update.added.sort());
    expect(news.answers.search('磐安冬笋节').kind).not.toBe('results');
  });

  it('answers a second process on the same DATA_DIR afresh after the first one adds a page (no stale totals or county counts)', async () => {
    const seeds = archiveFolder();
    const data = mkdtempSync(join(tmpdir(), 'sync-data-'));
    const first = await open(seeds, data, { waitForSearch: true });
    const second = await open(seeds, data, { waitForSearch: true });
    // The second one remembers these totals and counts…
    expect(second.answers.search('磐安冬笋节').kind).not.toBe('results');
    const before = results(second.answers.latest()).total;
    const countiesBefore = second.answers.counties();
    // …and the first one writes a page the second one never reads itself.
    writeFileSync(join(seeds, '2023-11-21.txt'), generatePage(4242).text.replace(/^# (.*)$/m, '# 磐安冬笋节开幕 $1'));
    const update = await first.updatePage('2023-11-21.txt');
    expect(results(second.answers.search('磐安冬笋节')).total).toBe(1);
    expect(results(second.answers.latest()).total).toBe(before + update.added.length);
    expect(second.answers.counties()).not.toEqual(countiesBefore);
  });

  it('rebuilds a damaged archive file from the pages instead of failing', async () => {
    const seeds = archiveFolder();
    const data = mkdtempSync(join(tmpdir(), 'sync-data-'));
    writeFileSync(archivePath(data), 'this is not a database, but a file someone broke'.repeat(200));
    const news = await open(seeds, data, { waitForSearch: true });
    expect(news.stats.pages).toBe(DATED + 1);
  });
});

function generatePageTitles(seed: number): string[] {
  return [...generatePage(seed).text.matchAll(/^# (.+)$/gm)].map((m) => m[1]!.trim());
}
