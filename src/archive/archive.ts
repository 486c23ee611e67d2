/**
 * The archive: what the bot knows, in `archive.db`. Whole pages are written in one transaction
 * (their items and their FTS rows together), so readers never see half a page; everything an
 * answer shows is read back from here, newest first, by county or by id.
 */
import { assignItemIds } from '../pages/item-id.js';
import type { IndexedItem, Item } from '../pages/item.js';
import { itemOrder } from '../answers/enrich-items.js';
import { leadSummary } from '../text/lead-summary.js';
import { BUMP_PAGES_VERSION, PAGES_VERSION, type ArchiveDb } from './archive-db.js';
import { storableItem, type StorableItem } from './storable-item.js';

/** A page file as read: its identity on disk and its parsed items, ready to be written. */
export interface PageRecord {
  file: string;
  hash: string;
  size: number;
  mtimeMs: number;
  date: string | null;
  items: StorableItem[];
  warnings: string[];
}

export interface PageState {
  hash: string;
  size: number;
  mtimeMs: number;
}

export interface PageChange {
  /** Ids that were not on the page before, and ids that left it. */
  added: string[];
  removed: string[];
}

/** An item's row of the FTS table, written after its page's rows (see applyPages). */
interface FtsRow {
  seq: number;
  fts: [string, string, string];
  county: string;
}

interface ItemRow {
  seq: number;
  item: string;
  summary: string | null;
  keywords: string | null;
}

/** A hit's item as the search reads it: its row number and its entry. */
export interface ArchiveEntry extends IndexedItem {
  seq: number;
}

export interface ArchiveOptions {
  /** Length of the stand-in summary shown until the worker has stored the real one. */
  summaryMaxChars: number;
  normalize: (text: string) => string;
  /** Told when an item's id is renamed because another page holds it (a 51-bit hash collision). */
  onWarning?: (message: string) => void;
}

/** Item numbers of one day: `day × DAY_SPAN + n`. */
const DAY_SPAN = 2 ** 20;

/** The first item number of a page's day (undated pages: day 0, the oldest). */
function dayBase(date: string | null): number {
  const day = date ? Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000) : 0;
  return (Number.isFinite(day) && day > 0 ? day : 0) * DAY_SPAN;
}

/** Reading order of pages: undated pages first, then by date, then by file name. */
export function pageKey(file: string, date: string | null): string {
  return `${date ?? ''}\u0001${file}`;
}

/**
 * @example const archive = new Archive(db, { summaryMaxChars: 120, normalize }); archive.latest(0, 5)
 */
export class Archive {
  private readonly statements;
  private writes = 0;
  private seenDataVersion = -1;
  private seenPagesVersion = '';
  /** Figures over every item or page, worked out once per generation. */
  private memo = { generation: -1, values: new Map<string, unknown>() };

  constructor(
    readonly db: ArchiveDb,
    private readonly options: ArchiveOptions,
  ) {
    const s = (sql: string) => db.prepare(sql);
    this.statements = {
      pageStates: s('SELECT file, hash, size, mtime_ms AS mtimeMs FROM pages'),
      pageIds: s('SELECT id FROM items WHERE file = ?').pluck(),
      deletePage: s('DELETE FROM pages WHERE file = ?'),
      insertPage: s('INSERT INTO pages (file, hash, size, mtime_ms, page_key, items, warnings) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      touchPage: s('UPDATE pages SET size = ?, mtime_ms = ? WHERE file = ?'),
      idOwner: s('SELECT file FROM items WHERE id = ?').pluck(),
      insertItem: s('INSERT INTO items (seq, id, file, position, page_key, county, item) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      lastOfDay: s('SELECT MAX(seq) FROM items WHERE seq >= ? AND seq < ?').pluck(),
      insertFts: s('INSERT INTO items_fts (rowid, title, subtitle, body, county) VALUES (?, ?, ?, ?, ?)'),
      newest: s('SELECT seq, item, summary, keywords FROM items ORDER BY page_key DESC, position LIMIT ? OFFSET ?'),
      count: s('SELECT COUNT(*) FROM items').pluck(),
      anyItem: s('SELECT 1 FROM items LIMIT 1').pluck(),
      pageCount: s('SELECT COUNT(*) FROM pages').pluck(),
      county: s('SELECT seq, item, summary, keywords FROM items WHERE county = ? ORDER BY page_key DESC, position LIMIT ? OFFSET ?'),
      countyCount: s('SELECT COUNT(*) FROM items WHERE county = ?').pluck(),
      countyCounts: s('SELECT county, COUNT(*) AS n FROM items GROUP BY county'),
      dataVersion: s('PRAGMA data_version').pluck(),
      pagesVersion: s(PAGES_VERSION).pluck(),
      bumpPagesVersion: s(BUMP_PAGES_VERSION),
      byId: s('SELECT seq, item, summary, keywords FROM items WHERE id = ?'),
      bySeq: s('SELECT seq, item, summary, keywords FROM items WHERE seq = ?'),
      ofPage: s('SELECT seq, item, summary, keywords FROM items WHERE file = ? ORDER BY position'),
      all: s('SELECT seq, item, summary, keywords FROM items ORDER BY page_key DESC, position'),
      newestDate: s("SELECT page_key FROM pages WHERE page_key NOT LIKE '\u0001%' ORDER BY page_key DESC LIMIT 1").pluck(),
      pendingCount: s('SELECT COUNT(*) FROM items WHERE summary IS NULL').pluck(),
    };
  }

  /** What is stored of every page file: to tell which files changed. */
  pageStates(): Map<string, PageState> {
    const rows = this.statements.pageStates.all() as Array<PageState & { file: string }>;
    return new Map(rows.map((r) => [r.file, { hash: r.hash, size: r.size, mtimeMs: r.mtimeMs }]));
  }

  /** A page whose bytes did not change was touched (copied, saved again): remember its new stat. */
  touchPage(file: string, size: number, mtimeMs: number): void {
    this.statements.touchPage.run(size, mtimeMs, file);
  }

  /**
   * Replaces these pages (new or changed) and removes those files, in one transaction.
   * @returns per file, the ids added and removed.
   */
  applyPages(pages: readonly PageRecord[], removedFiles: readonly string[] = []): Map<string, PageChange> {
    const changes = new Map<string, PageChange>();
    // IMMEDIATE: take the write lock before the first read. A deferred transaction that reads first
    // fails at once with SQLITE_BUSY when the summary worker commits in between (WAL cannot upgrade a
    // stale read snapshot, and the busy timeout does not apply to that).
    this.db
      .transaction(() => {
        for (const file of removedFiles) {
          const before = this.statements.pageIds.all(file) as string[];
          this.statements.deletePage.run(file);
          changes.set(file, { added: [], removed: before });
        }
        // FTS5 flushes its pending terms into a new segment whenever a rowid is not above the last
        // one written. Pages come newest first, so their rows go down from each day to the day
        // before: written as they came, every day's pages made a segment of their own to merge
        // later (real text, 55,188 items: 5,692). In ascending order, a transaction makes one.
        const fts: FtsRow[] = [];
        for (const page of pages) changes.set(page.file, this.writePage(page, fts));
        fts.sort((a, b) => a.seq - b.seq);
        for (const row of fts) this.statements.insertFts.run(row.seq, ...row.fts, row.county);
        this.statements.bumpPagesVersion.run();
      })
      .immediate();
    this.writes++;
    return changes;
  }

  /** Writes the page's rows, except its FTS rows: those are added to `fts`. */
  private writePage(page: PageRecord, fts: FtsRow[]): PageChange {
    const s = this.statements;
    const before = new Set(s.pageIds.all(page.file) as string[]);
    // Cascades to the items, and through the trigger to their FTS rows.
    s.deletePage.run(page.file);
    const key = pageKey(page.file, page.date);
    s.insertPage.run(page.file, page.hash, page.size, page.mtimeMs, key, page.items.length, JSON.stringify(page.warnings));
    const added: string[] = [];
    const after = new Set<string>();
    const base = dayBase(page.date);
    let seq = ((s.lastOfDay.get(base, base + DAY_SPAN) as number | null) ?? base - 1) + 1;
    page.items.forEach((original, position) => {
      const item = this.withFreeId(original);
      s.insertItem.run(seq, item.id, page.file, position, key, item.county, item.json);
      fts.push({ seq, fts: item.fts, county: item.county ?? '' });
      after.add(item.id);
      if (!before.has(item.id)) added.push(item.id);
      seq++;
    });
    return { added, removed: [...before].filter((id) => !after.has(id)) };
  }

  /** Ids include the file name, so only a hash collision makes another page hold one: rehash then. */
  private withFreeId(stored: StorableItem): StorableItem {
    const owner = this.statements.idOwner.get(stored.id) as string | undefined;
    if (owner === undefined) return stored;
    const item = JSON.parse(stored.json) as Item;
    const taken = new Set([item.id]);
    let id = item.id;
    while (this.statements.idOwner.get(id) !== undefined) {
      [id] = assignItemIds([{ file: item.source.file, kind: item.kind, title: item.title, text: item.paragraphs.join('') }], taken) as [string];
    }
    this.options.onWarning?.(`${item.source.file}：条目编号 ${item.id} 与 ${owner} 重复，改为 ${id}`);
    return storableItem({ ...item, id }, this.options.normalize);
  }

  /** Items, newest first (pages newest first, items in page order). */
  latest(offset: number, limit: number): ArchiveEntry[] {
    return this.entries(this.statements.newest.all(limit, offset) as ItemRow[]);
  }

  /** How many items are stored (counted once per generation). */
  count(): number {
    return this.remembered('count', () => this.statements.count.get() as number);
  }

  /** Whether no item is stored (a look at one row, where counting reads them all). */
  isEmpty(): boolean {
    return this.statements.anyItem.get() === undefined;
  }

  pageCount(): number {
    return this.statements.pageCount.get() as number;
  }

  /** Items whose primary county is `county`, newest first. */
  county(county: string, offset: number, limit: number): ArchiveEntry[] {
    return this.entries(this.statements.county.all(county, limit, offset) as ItemRow[]);
  }

  /** How many items a county has (counted once per generation: a reader turning /county pages asks again; 1 ms at 200,000 items). */
  countyCount(county: string): number {
    return this.remembered(`county\u0000${county}`, () => this.statements.countyCount.get(county) as number);
  }

  /**
   * Changes whenever pages may have been added, changed or removed, so that what was worked out from
   * the items (totals, rankings) can tell it is stale: a write through this archive, or pages written
   * by another process on the same DATA_DIR. SQLite's data_version tells that another connection
   * committed; the pages' version in `meta` tells whether it wrote pages, or only summaries (the
   * worker), which change no total or ranking.
   */
  get generation(): number {
    const version = this.statements.dataVersion.get() as number;
    if (version !== this.seenDataVersion) {
      this.seenDataVersion = version;
      const pages = (this.statements.pagesVersion.get() as string | undefined) ?? '0';
      if (pages !== this.seenPagesVersion) {
        this.seenPagesVersion = pages;
        this.writes++;
      }
    }
    return this.writes;
  }

  /** Items per county (null: the city as a whole). Counted once per change of the archive: a scan of every item. */
  countyCounts(): ReadonlyMap<string | null, number> {
    return this.remembered('counties', () => {
      const rows = this.statements.countyCounts.all() as Array<{ county: string | null; n: number }>;
      return new Map(rows.map((r) => [r.county, r.n]));
    });
  }

  private remembered<T>(key: string, work: () => T): T {
    const generation = this.generation;
    if (this.memo.generation !== generation) this.memo = { generation, values: new Map() };
    if (!this.memo.values.has(key)) this.memo.values.set(key, work());
    return this.memo.values.get(key) as T;
  }

  byId(id: string): ArchiveEntry | undefined {
    const row = this.statements.byId.get(id) as ItemRow | undefined;
    return row ? this.entry(row) : undefined;
  }

  bySeq(seq: number): ArchiveEntry | undefined {
    const row = this.statements.bySeq.get(seq) as ItemRow | undefined;
    return row ? this.entry(row) : undefined;
  }

  /** A page's items in page order. */
  pageItems(file: string): Item[] {
    return (this.statements.ofPage.all(file) as ItemRow[]).map((row) => JSON.parse(row.item) as Item);
  }

  /** Every item, newest first. */
  allItems(): Item[] {
    return (this.statements.all.all() as ItemRow[]).map((row) => JSON.parse(row.item) as Item);
  }

  /** The newest page date, or null when no page is dated. */
  newestDate(): string | null {
    return this.remembered('newest', () => {
      const key = this.statements.newestDate.get() as string | undefined;
      return key === undefined ? null : key.slice(0, key.indexOf('\u0001'));
    });
  }

  /** Items whose summary the worker has not stored yet. */
  pendingSummaries(): number {
    return this.statements.pendingCount.get() as number;
  }

  private entries(rows: ItemRow[]): ArchiveEntry[] {
    return rows.map((row) => this.entry(row));
  }

  private entry(row: ItemRow): ArchiveEntry {
    const item = JSON.parse(row.item) as Item;
    return {
      seq: row.seq,
      item,
      summary: row.summary ?? leadSummary(item.paragraphs, this.options.summaryMaxChars),
      keywords: row.keywords === null ? [] : (JSON.parse(row.keywords) as string[]),
      order: itemOrder(item),
    };
  }
}
