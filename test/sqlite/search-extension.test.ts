/**
 * The search extension, compiled from its C source and loaded into a real archive built by the real
 * core from generated pages. qrank() is compared with bm25() there: the same scores when it counts
 * as bm25 does, the same order when the caller gives the IDFs. phrase_rowids() lists exactly the rows
 * matched, and ranks them as qrank() does when asked. /search's answers are identical with the extension (qrank, totals from kept sets) and
 * without it (bm25, COUNT).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureArchive } from '../../bench/archive-generator.js';
import { buildQueryMix } from '../../bench/query-mix.js';
import { Archive } from '../../src/archive/archive.js';
import { openNews, archivePath, type News } from '../../src/news.js';
import { resolveCounty } from '../../src/places/county-names.js';
import { loadGazetteer } from '../../src/places/gazetteer.js';
import { createArchiveSearch } from '../../src/search/archive-search.js';
import { parseQuery } from '../../src/search/query.js';
import { setFromBlob } from '../../src/search/rowid-sets.js';
import { loadSearchExtension } from '../../src/sqlite/search-extension.js';
import { createSegmenter } from '../../src/text/segmenter.js';
import { createNormalizer } from '../../src/text/normalize.js';

const ITEMS = 700;

let dir: string;
let news: News;
let db: BetterSqlite3.Database;
let queries: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'search-extension-'));
  const generated = ensureArchive(ITEMS, { outDir: join(dir, 'pages'), text: 'templates' });
  queries = buildQueryMix(generated.meta.samples).map((c) => c.query);
  const dataDir = join(dir, 'data');
  news = await openNews({ seedsDir: generated.pagesDir, dataDir, region: '衢州市', summaryMaxChars: 120, pageSize: 5 }, pino({ level: 'silent' }));
  await news.ready;
  db = new BetterSqlite3(archivePath(dataDir));
  expect(loadSearchExtension(db)).toBeNull();
});

afterAll(async () => {
  db?.close();
  await news?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ranks = (sql: string, match: string, idfs: string | null = null): Array<{ seq: number; rank: number }> =>
  db.prepare(`SELECT rowid AS seq, ${sql} AS rank FROM items_fts WHERE items_fts MATCH @match ORDER BY rank, seq DESC`).all({ match, idfs }) as Array<{ seq: number; rank: number }>;
const BM25 = 'bm25(items_fts, 4, 2.5, 1, 0)';
const QRANK = 'qrank(items_fts, @idfs, 4, 2.5, 1, 0)';

describe('qrank()', () => {
  it("scores as bm25() does when it counts each phrase's matches itself", () => {
    for (const match of ['"发展"', '"乡村 村振 振兴" AND "企业"', '("群众" OR "村民") NOT "项目"', 'county : "江山市" AND "服务"']) {
      const expected = ranks(BM25, match);
      expect(expected.length).toBeGreaterThan(0);
      for (const idfs of [null, '', '-1 -1 -1 -1']) {
        const got = ranks(QRANK, match, idfs);
        expect(got.map((r) => r.seq)).toEqual(expected.map((r) => r.seq));
        got.forEach((r, i) => expect(r.rank).toBeCloseTo(expected[i]!.rank, 12));
      }
    }
  });

  it('orders the matches of one scoring word as bm25() does with any IDF given, excluded words and the county given 0', () => {
    for (const [match, idfs] of [
      ['"发展"', '1'],
      ['"乡村 村振 振兴"', '7.5'],
      ['"发展" NOT "企业"', '1 0'],
      ['county : "开化县" AND "服务" NOT "项目"', '0 1 0'],
    ] as const) {
      const expected = ranks(BM25, match).map((r) => r.seq);
      expect(expected.length).toBeGreaterThan(1);
      expect(ranks(QRANK, match, idfs).map((r) => r.seq)).toEqual(expected);
    }
  });

  it('weighs a phrase by the IDF given: 0 leaves it out of the score', () => {
    const both = ranks(QRANK, '"发展" OR "企业"', '1 1');
    const firstOnly = ranks(QRANK, '"发展" OR "企业"', '1 0');
    const alone = new Map(ranks(QRANK, '"发展"', '1').map((r) => [r.seq, r.rank]));
    for (const r of firstOnly) expect(r.rank).toBeCloseTo(alone.get(r.seq) ?? 0, 12);
    expect(both.some((r) => r.rank < (alone.get(r.seq) ?? 0) - 1e-9)).toBe(true);
  });

  it('is not loaded, and says why, when it cannot be compiled', () => {
    const outDir = mkdtempSync(join(dir, 'no-compiler-'));
    const other = new BetterSqlite3(':memory:');
    try {
      expect(loadSearchExtension(other, { outDir, compiler: join(dir, 'no-such-cc') })).toMatch(/ENOENT|no-such-cc/u);
      other.exec("CREATE VIRTUAL TABLE t USING fts5 (a); INSERT INTO t VALUES ('x');");
      expect(() => other.prepare("SELECT qrank(t, '1') FROM t WHERE t MATCH 'x'").all()).toThrow(/no such function/u);
      expect(readdirSync(outDir)).toEqual([]);
    } finally {
      other.close();
    }
  });
});

describe('phrase_rowids()', () => {
  it("lists every row an expression's alternatives match, in ascending order, column filters kept", () => {
    const listOf = (match: string) => db.prepare('SELECT phrase_rowids(items_fts) FROM items_fts WHERE items_fts MATCH ? LIMIT 1').pluck().get(match) as Buffer | undefined;
    for (const match of ['"发展"', '"乡村 村振 振兴"', 'county : "江山市"', '("硅烷" OR "群众")', '("乡村 村振 振兴" OR "企业" OR "发展")']) {
      const rows = db.prepare('SELECT rowid FROM items_fts WHERE items_fts MATCH ? ORDER BY rowid').pluck().all(match) as number[];
      expect(rows.length).toBeGreaterThan(1);
      expect([...setFromBlob(listOf(match) ?? null)]).toEqual(rows);
    }
    // Nothing matches: no first row to call it for.
    expect(listOf('"鳕鱼罐头"')).toBeUndefined();
  });

  it("with a limit and weights, also gives each row's rank as qrank() with IDF 1 gives it, up to the limit", () => {
    const rankedOf = (match: string, max: number) => {
      const blob = setFromBlob(db.prepare('SELECT phrase_rowids(items_fts, ?, 4, 2.5, 1, 0) FROM items_fts WHERE items_fts MATCH ? LIMIT 1').pluck().get(max, match) as Buffer);
      const ranks = blob[blob.length - 1]!;
      const rows = blob.length - 1 - ranks;
      return { rows: [...blob.subarray(0, rows)], ranks: [...blob.subarray(rows, rows + ranks)] };
    };
    for (const match of ['"发展"', '"乡村 村振 振兴"', 'county : "江山市"']) {
      const expected = ranks(QRANK, match, '1');
      expect(expected.length).toBeGreaterThan(1);
      const { rows, ranks: given } = rankedOf(match, expected.length);
      expect(rows).toEqual(expected.map((r) => r.seq).sort((a, b) => a - b));
      const bySeq = new Map(expected.map((r) => [r.seq, r.rank]));
      expect(given).toEqual(rows.map((seq) => bySeq.get(seq)));
      // One row more than the limit: the same rows, no ranks.
      expect(rankedOf(match, expected.length - 1)).toEqual({ rows, ranks: [] });
    }
    // Alternatives are not one phrase: rows only.
    const either = rankedOf('("硅烷" OR "群众")', 1_000_000);
    expect(either.ranks).toEqual([]);
    expect(either.rows.length).toBeGreaterThan(1);
  });
});

describe('/search with the extension and without it', () => {
  it('gives the same totals, steps and hits in the same order for every query of the benchmark mix', () => {
    const normalize = createNormalizer();
    const gazetteer = loadGazetteer('衢州市');
    const splitter = createSegmenter();
    const archive = new Archive(db, { summaryMaxChars: 120, normalize });
    const make = (extension: boolean) => createArchiveSearch({ db, archive, normalize, cut: (text) => splitter.cutWords(text), extension });
    const [fast, reference] = [make(true), make(false)];
    let found = 0;
    // Each query twice: the second from the sets the first kept (and those of the queries before).
    for (const raw of [...queries, ...queries]) {
      const query = parseQuery(raw, (word) => resolveCounty(gazetteer, word));
      const a = fast.search(query, 0, 40);
      const b = reference.search(query, 0, 40);
      expect({ raw, total: a.total, match: a.match, hits: a.hits.map((h) => h.entry.item.id) }).toEqual({ raw, total: b.total, match: b.match, hits: b.hits.map((h) => h.entry.item.id) });
      if (a.total > 1) found++;
    }
    // The mix must rank something: most of its queries find several items in this archive.
    expect(found).toBeGreaterThan(queries.length / 2);
  });
});
