import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageCacheDir, readIndexedPage } from '../../src/indexing/page-cache.js';
import { indexPagesInWorkers, type PageJobResult } from '../../src/indexing/page-workers.js';
import { loadGazetteer } from '../../src/places/gazetteer.js';
import { generatePage } from '../fixtures/page-generator.js';

describe('indexPagesInWorkers', () => {
  it('parses, indexes and caches pages on worker threads; a bad file comes back skipped', async () => {
    const seeds = mkdtempSync(join(tmpdir(), 'workers-seeds-'));
    const data = mkdtempSync(join(tmpdir(), 'workers-data-'));
    writeFileSync(join(seeds, 'a.txt'), generatePage(7).text);
    writeFileSync(join(seeds, 'b.txt'), generatePage(8).text);
    writeFileSync(join(seeds, 'c.txt'), '');
    loadGazetteer('衢州市', { cacheDir: data }); // the workers read its cache, as openNews arranges
    const cacheDir = pageCacheDir(data, 'test');
    const results: PageJobResult[] = [];
    const left = await indexPagesInWorkers(
      [{ file: 'a.txt', hash: 'h-a' }, { file: 'b.txt', hash: 'h-b' }, { file: 'c.txt', hash: null }],
      { seedsDir: seeds, dataDir: data, region: '衢州市', summaryMaxChars: 120, grams: true, cacheDir },
      2,
      (r) => results.push(r),
    );
    expect(left).toEqual([]);
    const byFile = new Map(results.map((r) => [r.file, r]));
    const a = byFile.get('a.txt');
    expect(a && 'indexed' in a && a.indexed.page.items.length).toBeGreaterThan(0);
    if (a && 'indexed' in a) {
      expect(a.indexed.summaries.every((s) => s.length > 0 && s.length <= 120)).toBe(true);
      expect(a.terms).toHaveLength(a.indexed.page.items.length);
      expect(a.terms[0]!.fields).toHaveLength(5);
    }
    expect(byFile.get('c.txt')).toMatchObject({ skipped: { reason: 'empty' } });
    expect((await readIndexedPage(cacheDir, 'h-b', 'b.txt'))?.page.file).toBe('b.txt');
  }, 60_000);
});
