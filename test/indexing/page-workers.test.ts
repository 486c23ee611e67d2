import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageCacheDir, pageHash, readIndexedPage } from '../../src/indexing/page-cache.js';
import { indexPagesInWorkers, startPageWorkers, type PageJob, type PageJobResult } from '../../src/indexing/page-workers.js';
import { loadGazetteer } from '../../src/places/gazetteer.js';
import { generatePage } from '../fixtures/page-generator.js';

function folders(): { seeds: string; data: string; cacheDir: string } {
  const seeds = mkdtempSync(join(tmpdir(), 'workers-seeds-'));
  const data = mkdtempSync(join(tmpdir(), 'workers-data-'));
  loadGazetteer('衢州市', { cacheDir: data }); // the workers read its cache, as openNews arranges
  return { seeds, data, cacheDir: pageCacheDir(data, 'test') };
}

const hashOf = (dir: string, file: string) => pageHash(file, readFileSync(join(dir, file)));

describe('page workers', () => {
  it('parse, index and cache pages on worker threads; a bad file comes back skipped', async () => {
    const { seeds, data, cacheDir } = folders();
    writeFileSync(join(seeds, 'a.txt'), generatePage(7).text);
    writeFileSync(join(seeds, 'b.txt'), generatePage(8).text);
    writeFileSync(join(seeds, 'c.txt'), '');
    const results: PageJobResult[] = [];
    const left = await indexPagesInWorkers(
      [{ file: 'a.txt', hash: hashOf(seeds, 'a.txt') }, { file: 'b.txt', hash: hashOf(seeds, 'b.txt') }, { file: 'c.txt', hash: null }],
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
      expect(a.prepared.headings).toHaveLength(a.indexed.page.items.length);
      expect(a.prepared.segment.fields).toHaveLength(5);
      // The words stay in the cache record; the prepared segment carries them to the index.
      expect('words' in a.indexed).toBe(false);
    }
    expect(byFile.get('c.txt')).toMatchObject({ skipped: { reason: 'empty' } });
    const cached = await readIndexedPage(cacheDir, hashOf(seeds, 'b.txt'), 'b.txt');
    expect(cached?.page.file).toBe('b.txt');
    expect(cached?.words).toHaveLength(cached!.page.items.length);
  }, 60_000);

  it('take jobs from a queue that grows while they run, and never cache a page under a hash its file no longer has', async () => {
    const { seeds, data, cacheDir } = folders();
    for (let i = 0; i < 4; i++) writeFileSync(join(seeds, `p${i}.txt`), generatePage(20 + i).text);
    const results: PageJobResult[] = [];
    const queue: PageJob[] = [];
    const pool = startPageWorkers({ seedsDir: seeds, dataDir: data, region: '衢州市', summaryMaxChars: 120, grams: true, cacheDir }, 2, { take: () => queue.shift() }, (r) => results.push(r));
    const add = (job: PageJob) => {
      queue.push(job);
      pool.wake();
    };
    add({ file: 'p0.txt', hash: hashOf(seeds, 'p0.txt') });
    // Hashed, then changed before a worker reads it: indexed as it is now, not cached under the old hash.
    const stale = hashOf(seeds, 'p1.txt');
    writeFileSync(join(seeds, 'p1.txt'), generatePage(99).text);
    add({ file: 'p1.txt', hash: stale });
    await new Promise((resolve) => setTimeout(resolve, 50));
    add({ file: 'p2.txt', hash: hashOf(seeds, 'p2.txt') });
    add({ file: 'p3.txt', hash: hashOf(seeds, 'p3.txt') });
    expect(await pool.close()).toEqual([]);
    expect(queue).toEqual([]);
    expect(results.map((r) => r.file).sort()).toEqual(['p0.txt', 'p1.txt', 'p2.txt', 'p3.txt']);
    const p1 = results.find((r) => r.file === 'p1.txt')!;
    expect(p1).toMatchObject({ hash: null });
    expect(await readIndexedPage(cacheDir, stale, 'p1.txt')).toBeNull();
    expect(await readIndexedPage(cacheDir, hashOf(seeds, 'p3.txt'), 'p3.txt')).not.toBeNull();
  }, 60_000);
});
