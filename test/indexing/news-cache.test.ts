/**
 * The on-disk cache of indexed pages and the index snapshot, through the real `openNews`: a warm
 * start parses and cuts nothing, a damaged cache file is rebuilt and never trusted, a changed page
 * costs only itself, and search answers the same whichever way the index was built.
 */
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { openNews, type News } from '../../src/news.js';
import { generatePage } from '../fixtures/page-generator.js';
import { SEEDS_DIR } from '../news-fixture.js';

const QUERIES = ['硅烷', '星新社区', '医保', '停车场 江山', '开放大学', '"共同富裕"', '衢州 -医保', '池淮'];

function open(seedsDir: string, dataDir: string): Promise<News> {
  return openNews({ seedsDir, dataDir, region: '衢州市', summaryMaxChars: 120, pageSize: 5, waitForSearch: true }, pino({ level: 'silent' }));
}

/** Every query's ranked ids and the first item's summary: what a reader would see. */
function answersOf(news: News): unknown[] {
  return QUERIES.map((q) => {
    const a = news.answers.search(q, { pageSize: 100 });
    return a.kind === 'results' ? a.results.map((r) => [r.item.id, r.summary, r.keywords]) : a.kind;
  });
}

function archiveWithPages(): string {
  const dir = mkdtempSync(join(tmpdir(), 'news-cache-seeds-'));
  for (const f of readdirSync(SEEDS_DIR)) copyFileSync(join(SEEDS_DIR, f), join(dir, f));
  for (let i = 1; i <= 3; i++) writeFileSync(join(dir, `2023-11-0${i}.txt`), generatePage(100 + i).text);
  return dir;
}

describe('news cache', () => {
  it('warm start takes every page from the cache and answers exactly as the cold start', async () => {
    const seeds = archiveWithPages();
    const data = mkdtempSync(join(tmpdir(), 'news-cache-data-'));
    const cold = await open(seeds, data);
    expect(cold.stats.cachedPages).toBe(0);
    expect(cold.stats.indexedPages).toBe(4);
    const expected = answersOf(cold);
    expect(expected.filter((a) => Array.isArray(a) && a.length > 0).length).toBeGreaterThan(5);
    await cold.persist();

    const warm = await open(seeds, data);
    expect(warm.stats.cachedPages).toBe(4);
    expect(warm.stats.indexedPages).toBe(0);
    expect(answersOf(warm)).toEqual(expected);
    expect(warm.answers.latest()).toEqual(cold.answers.latest());
  }, 60_000);

  it('rebuilds a damaged page record or index snapshot instead of trusting it', async () => {
    const seeds = archiveWithPages();
    const data = mkdtempSync(join(tmpdir(), 'news-cache-data-'));
    const cold = await open(seeds, data);
    const expected = answersOf(cold);
    await cold.persist();
    const [identity] = readdirSync(join(data, 'index-cache'));
    const pagesDir = join(data, 'index-cache', identity!, 'pages');
    const [record] = readdirSync(pagesDir);
    const recordPath = join(pagesDir, record!);
    writeFileSync(recordPath, readFileSync(recordPath).subarray(0, 200)); // truncated
    const snapshotPath = join(data, 'index-cache', identity!, 'index.bin');
    const bytes = readFileSync(snapshotPath);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff; // one flipped byte
    writeFileSync(snapshotPath, bytes);

    const again = await open(seeds, data);
    expect(again.stats.indexedPages).toBe(1);
    expect(again.stats.cachedPages).toBe(3);
    expect(answersOf(again)).toEqual(expected);
  }, 60_000);

  it('a changed page is the only one indexed again, and its new text is found', async () => {
    const seeds = archiveWithPages();
    const data = mkdtempSync(join(tmpdir(), 'news-cache-data-'));
    await (await open(seeds, data)).persist();
    appendFileSync(join(seeds, '2023-11-02.txt'), '\n# 钱江源头新添观鸟驿站\n\n开化县齐溪镇新建的观鸟驿站昨日开放，游客可以在这里观察黑麂。\n');
    const changed = await open(seeds, data);
    expect(changed.stats.indexedPages).toBe(1);
    expect(changed.stats.cachedPages).toBe(3);
    const found = changed.answers.search('观鸟驿站');
    expect(found.kind).toBe('results');
    if (found.kind === 'results') expect(found.results[0]!.item.title).toBe('钱江源头新添观鸟驿站');
  }, 60_000);

  it('answers the lists before search is ready, and says search is not ready yet', async () => {
    const seeds = archiveWithPages();
    const data = mkdtempSync(join(tmpdir(), 'news-cache-data-'));
    const news = await openNews({ seedsDir: seeds, dataDir: data, region: '衢州市', summaryMaxChars: 120, pageSize: 5 }, pino({ level: 'silent' }));
    expect(news.answers.latest().kind).toBe('results');
    if (!news.isReady()) expect(news.answers.search('医保')).toMatchObject({ kind: 'problem', problem: 'not-ready' });
    await news.ready;
    expect(news.answers.search('医保').kind).toBe('results');
  }, 60_000);
});
