/**
 * A cold start parses its pages on a worker thread (`startParseWorker`) while the main thread writes:
 * what it stores must be what parsing on the main thread stores, index included, and a worker that
 * fails must leave the parsing to the main thread rather than lose pages.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';
import { openArchiveDb, type ArchiveDb } from '../../src/archive/archive-db.js';
import { parsePageBytes, startParseWorker } from '../../src/archive/page-parser.js';
import { syncPages } from '../../src/archive/page-sync.js';
import { createCountyTagger } from '../../src/places/county-tagger.js';
import { loadGazetteer } from '../../src/places/gazetteer.js';
import { createNormalizer } from '../../src/text/normalize.js';
import { generatePage } from '../fixtures/page-generator.js';

const dirs: string[] = [];
const dbs: ArchiveDb[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const cacheDir = tempDir('parser-gazetteer-');
const load = { tag: createCountyTagger(loadGazetteer('衢州市', { cacheDir })) };
const normalize = createNormalizer();

/** Everything the archive stores of its pages: rows, and every token of the FTS index where it is. */
function stored(db: ArchiveDb) {
  db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, 'items_fts', 'instance')");
  return {
    pages: db.prepare('SELECT file, hash, page_key, items, warnings FROM pages ORDER BY file').all(),
    items: db.prepare('SELECT seq, id, file, position, page_key, county, item FROM items ORDER BY seq').all(),
    tokens: db.prepare('SELECT term, doc, col, offset FROM temp.vocab ORDER BY doc, col, offset').raw().all(),
  };
}

describe('page parsing on a worker', () => {
  it('stores, for a cold start of many pages, exactly what parsing them on this thread stores', async () => {
    const seeds = tempDir('parser-seeds-');
    // Enough pages for the bulk parser (a sync starts it from 32 new files), one of them empty.
    for (let day = 1; day <= 40; day++) writeFileSync(join(seeds, `2024-01-${String(day % 31 || 31).padStart(2, '0')}${day > 31 ? 'b' : ''}.txt`), generatePage(500 + day).text);
    writeFileSync(join(seeds, 'blank.txt'), '');
    const sync = async (bulk: boolean) => {
      const db = openArchiveDb(join(tempDir('parser-data-'), 'archive.db'), { itemsIdentity: 'test', analysisIdentity: 'test' });
      dbs.push(db);
      const archive = new Archive(db, { summaryMaxChars: 120, normalize });
      let workers = 0;
      const report = await syncPages(archive, {
        seedsDir: seeds,
        load,
        normalize,
        batchItems: 100,
        bulkParser: bulk
          ? () => {
              workers++;
              return startParseWorker({ region: '衢州市', cacheDir, inline: (file, bytes) => parsePageBytes(file, bytes, load, normalize) });
            }
          : undefined,
      });
      return { report, workers, stored: stored(db) };
    };
    const onWorker = await sync(true);
    const here = await sync(false);
    expect(onWorker.workers).toBe(1);
    expect(onWorker.report.written).toBe(40);
    expect(onWorker.report.skipped.map((s) => s.file)).toEqual(['blank.txt']);
    expect(here.report).toEqual(onWorker.report);
    expect(onWorker.stored.items.length).toBeGreaterThan(200);
    expect(onWorker.stored.tokens.length).toBeGreaterThan(20_000);
    expect(onWorker.stored).toEqual(here.stored);
  });

  it('parses on this thread when the worker fails, losing no page', async () => {
    const page = Buffer.from(generatePage(77).text);
    const errors: string[] = [];
    // A region the worker cannot find: it fails while starting.
    const parser = startParseWorker({ region: '不存在市', cacheDir, inline: (file, bytes) => parsePageBytes(file, bytes, load, normalize), onError: (m) => errors.push(m) });
    try {
      const parsed = await Promise.all([parser.parse('2024-02-01.txt', page), parser.parse('2024-02-02.txt', page)]);
      expect(parsed).toEqual([parsePageBytes('2024-02-01.txt', page, load, normalize), parsePageBytes('2024-02-02.txt', page, load, normalize)]);
      expect(parsed[0]!.ok && parsed[0]!.items.length).toBeGreaterThan(5);
      expect(await parser.parse('2024-02-03.txt', page)).toEqual(parsePageBytes('2024-02-03.txt', page, load, normalize));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/page parsing worker/);
    } finally {
      await parser.close();
    }
  });
});
