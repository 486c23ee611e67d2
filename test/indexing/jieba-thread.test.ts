/**
 * The jieba thread cuts for the threads that moved their jieba to it: the same words as jieba in
 * the thread itself, user words included, and page workers linked to it index pages exactly as
 * workers that load jieba themselves.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moveJiebaToThread } from '../../src/indexing/jieba-thread.js';
import { pageCacheDir, pageHash, readIndexedPage } from '../../src/indexing/page-cache.js';
import { bootCode, indexPagesInWorkers, startPageWorkers, type PageJob, type PageJobResult } from '../../src/indexing/page-workers.js';
import { loadPageBytes } from '../../src/pages/load-pages.js';
import { createCountyTagger } from '../../src/places/county-tagger.js';
import { loadGazetteer } from '../../src/places/gazetteer.js';
import { createSegmenter, cutNormalized, jiebaLoadedHere } from '../../src/text/segmenter.js';
import { generatePage } from '../fixtures/page-generator.js';

// This file's thread moves its jieba to a jieba thread before any segmenter is made here.
describe('jieba thread', () => {
  it('cuts for this thread, with the words inserted through it, and jieba is never loaded here', () => {
    const thread = moveJiebaToThread(bootCode());
    expect(thread).not.toBeNull();
    expect(moveJiebaToThread(bootCode())).toBe(thread); // one per thread
    const plain = createSegmenter();
    expect(plain.cut('位于开化县池淮镇星新社区的共富工坊里')).toContain('镇星');
    const seg = createSegmenter({ words: ['池淮镇', '星新社区'] });
    expect(seg.cut('池淮镇星新社区')).toEqual(['池淮镇', '星新社区']);
    expect(seg.cutForSearch('开化县池淮镇星新社区')).toEqual(expect.arrayContaining(['开化', '开化县', '池淮镇', '社区', '星新社区']));
    expect(seg.cut('  汪水玉　立刻想到\n共享菜园  ')).toContain('汪水玉');
    expect(cutNormalized('池淮镇 星新社区')).toEqual(['池淮镇', ' ', '星新社区']);
    expect(jiebaLoadedHere()).toBe(false);
  }, 60_000);

  it('page workers cutting through it index pages exactly as workers with their own jieba', async () => {
    const seeds = mkdtempSync(join(tmpdir(), 'jieba-thread-seeds-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'jieba-thread-data-'));
    loadGazetteer('衢州市', { cacheDir: dataDir });
    const files = ['a.txt', 'b.txt', 'c.txt'];
    files.forEach((file, i) => writeFileSync(join(seeds, file), generatePage(40 + i).text));
    const jobs: PageJob[] = files.map((file) => ({ file, hash: pageHash(file, readFileSync(join(seeds, file))) }));
    const data = (cache: string) => ({ seedsDir: seeds, dataDir, region: '衢州市', summaryMaxChars: 120, grams: true, cacheDir: pageCacheDir(dataDir, cache) });
    const byFile = (results: PageJobResult[]) => new Map(results.map((r) => [r.file, r]));

    const own: PageJobResult[] = [];
    expect(await indexPagesInWorkers(jobs, data('own'), 1, (r) => own.push(r))).toEqual([]);

    const linked: PageJobResult[] = [];
    const queue = [...jobs];
    const pool = startPageWorkers(data('linked'), 2, { take: () => queue.shift() }, (r) => linked.push(r), moveJiebaToThread(bootCode())!);
    expect(await pool.close()).toEqual([]);

    const expected = byFile(own);
    expect(linked).toHaveLength(files.length);
    for (const [file, result] of byFile(linked)) {
      const want = expected.get(file)!;
      expect('indexed' in result && 'indexed' in want).toBe(true);
      if (!('indexed' in result) || !('indexed' in want)) continue;
      expect(result.indexed).toEqual(want.indexed);
      expect(result.prepared).toEqual(want.prepared);
    }

    // A page update indexed there (indexPage) is what a worker with its own jieba cached for that page.
    const tag = createCountyTagger(loadGazetteer('衢州市', { cacheDir: dataDir }));
    for (const job of jobs) {
      const loaded = loadPageBytes(job.file, readFileSync(join(seeds, job.file)), { tag });
      if (!loaded.ok) throw new Error(loaded.skipped.message);
      const indexed = await moveJiebaToThread(bootCode())!.indexPage(loaded.page, 120);
      expect(indexed).toEqual(await readIndexedPage(pageCacheDir(dataDir, 'own'), job.hash!, job.file));
    }
  }, 120_000);
});
