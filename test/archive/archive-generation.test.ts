/**
 * The archive's generation: what was worked out from the items (totals, rankings, county counts) is
 * kept until pages change, whichever connection changes them, and kept across the summary worker's
 * writes, which change no total or ranking.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Archive, type PageRecord } from '../../src/archive/archive.js';
import { storableItem } from '../../src/archive/storable-item.js';
import { openArchiveDb, type ArchiveDb } from '../../src/archive/archive-db.js';
import { parsePage } from '../../src/pages/parse-page.js';
import { createNormalizer } from '../../src/text/normalize.js';

const dirs: string[] = [];
const dbs: ArchiveDb[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function connect(path: string): { db: ArchiveDb; archive: Archive } {
  const db = openArchiveDb(path, { itemsIdentity: 'test-items', analysisIdentity: 'test-analysis' });
  dbs.push(db);
  return { db, archive: new Archive(db, { summaryMaxChars: 60, normalize: createNormalizer() }) };
}

function page(file: string, headline: string): PageRecord {
  const parsed = parsePage(`# ${headline}\n\n记者 张三\n\n${headline}今天举行。`, file);
  return { file, hash: headline, size: 1, mtimeMs: 1, date: parsed.date, items: parsed.items.map((item) => storableItem(item, createNormalizer())), warnings: [] };
}

describe('Archive.generation', () => {
  it('changes when any connection writes pages, and not when another stores summaries', () => {
    const dir = mkdtempSync(join(tmpdir(), 'archive-generation-'));
    dirs.push(dir);
    const path = join(dir, 'archive.db');
    const reader = connect(path);
    const writer = connect(path);

    writer.archive.applyPages([page('2023-11-01.txt', '茶叶节开幕')]);
    const first = reader.archive.generation;
    expect(reader.archive.count()).toBe(1);

    // The summary worker's commit: another connection, summaries only.
    writer.db.prepare("UPDATE items SET summary = '茶叶节今天开幕。', keywords = '[]'").run();
    expect(reader.archive.generation).toBe(first);

    // Pages written by another connection (another process on the same DATA_DIR).
    writer.archive.applyPages([page('2023-11-02.txt', '橘子节开幕')]);
    const second = reader.archive.generation;
    expect(second).not.toBe(first);
    expect(reader.archive.count()).toBe(2);

    // Its own writes too.
    reader.archive.applyPages([], ['2023-11-01.txt']);
    expect(reader.archive.generation).not.toBe(second);
    expect(reader.archive.count()).toBe(1);
  });
});
