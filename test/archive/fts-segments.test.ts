/**
 * How the archive writes its FTS5 table: FTS5 starts a new segment (to be merged later) whenever a
 * row number is not above the last one written, and a sync writes the newest pages first, whose
 * rows go down from page to page. A transaction of many pages must still make one segment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Archive, type PageRecord } from '../../src/archive/archive.js';
import { openArchiveDb, type ArchiveDb } from '../../src/archive/archive-db.js';
import { storableItem } from '../../src/archive/storable-item.js';
import { parsePage } from '../../src/pages/parse-page.js';
import { createNormalizer } from '../../src/text/normalize.js';

let dir: string;
let db: ArchiveDb;
afterEach(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const normalize = createNormalizer();
function page(day: number): PageRecord {
  const file = `2023-11-${String(day).padStart(2, '0')}.txt`;
  const parsed = parsePage(`# 第${day}届茶叶节开幕\n\n记者 张三\n\n茶叶节今天在开化举行，游客${day}万人次。\n\n# 橘子丰收\n\n记者 李四\n\n常山胡柚迎来丰收。`, file);
  return { file, hash: file, size: 1, mtimeMs: 1, date: parsed.date, items: parsed.items.map((item) => storableItem(item, normalize)), warnings: [] };
}

/** Segments in the FTS index: each has at least one row in its %_idx table. */
const segments = () => db.prepare('SELECT COUNT(DISTINCT segid) FROM items_fts_idx').pluck().get() as number;

it('writes the FTS rows of a transaction of pages, newest first, as one segment', () => {
  dir = mkdtempSync(join(tmpdir(), 'fts-segments-'));
  db = openArchiveDb(join(dir, 'archive.db'), { itemsIdentity: 'test', analysisIdentity: 'test' });
  const archive = new Archive(db, { summaryMaxChars: 60, normalize });
  const newestFirst = Array.from({ length: 12 }, (_, k) => page(28 - k));
  archive.applyPages(newestFirst);
  expect(segments()).toBe(1);
  // Every item is in it.
  expect(db.prepare(`SELECT COUNT(*) FROM items_fts WHERE items_fts MATCH '"茶叶 叶节"'`).pluck().get()).toBe(12);
  expect(db.prepare(`SELECT COUNT(*) FROM items_fts WHERE items_fts MATCH '"胡柚"'`).pluck().get()).toBe(12);
  // The next transaction, older pages again: one more.
  archive.applyPages([page(3), page(2)]);
  expect(segments()).toBe(2);
});
