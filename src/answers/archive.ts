/**
 * The items the bot knows, in reading order, with lookups by id and by county.
 * Pages can be replaced while the bot runs (a new or changed page file, or older pages arriving
 * while a starting bot loads them); readers of the archive always see a consistent snapshot
 * because every change builds new arrays. Several pages replaced at once cost one rebuild, and a
 * rebuild orders pages, not items, so loading batch by batch stays cheap at 50,000 items.
 */
import { assignItemIds } from '../pages/item-id.js';
import type { IndexedItem } from '../pages/item.js';
import { comparePages } from '../pages/load-pages.js';

export interface ArchiveSnapshot {
  /** Newest first: pages newest first, items of a page in page order. */
  readonly newest: readonly IndexedItem[];
  readonly byId: ReadonlyMap<string, IndexedItem>;
  /** Newest first, per primary county name. */
  readonly byCounty: ReadonlyMap<string, readonly IndexedItem[]>;
  /** How many items have no primary county (city-level). */
  readonly cityLevel: number;
}

export interface PageChange {
  /** The page's entries as stored (an id another page already holds is renamed). */
  entries: IndexedItem[];
  /** Ids that were not on the page before, and ids that left it. */
  added: string[];
  removed: string[];
}

/** Holds the items of every page, keyed by page file. */
export class Archive {
  private pages = new Map<string, IndexedItem[]>();
  /** Item id → the page holding it, kept as pages change (not rebuilt per change: 50,000 ids). */
  private owners = new Map<string, string>();
  private current: ArchiveSnapshot = buildSnapshot(new Map());

  /**
   * @param onWarning told when an item's id is renamed because another page holds it (needs a
   *   51-bit hash collision: in practice never).
   */
  constructor(private readonly onWarning: (message: string) => void = () => {}) {}

  /** Replaces the items of one page (a page with no items removes it). */
  setPage(file: string, entries: IndexedItem[]): PageChange {
    return this.setPages(new Map([[file, entries]])).get(file)!;
  }

  /**
   * Replaces the items of several pages with one rebuild (no items: the page goes). Each page's
   * entries come in page order, and are stored in that order (renamed entries keep their place).
   */
  setPages(changes: ReadonlyMap<string, IndexedItem[]>): Map<string, PageChange> {
    const out = new Map<string, PageChange>();
    // The ids of the pages replaced are free again; an incoming id held by another page is renamed.
    for (const file of changes.keys()) {
      for (const e of this.pages.get(file) ?? []) if (this.owners.get(e.item.id) === file) this.owners.delete(e.item.id);
    }
    for (const [file, incoming] of changes) {
      const before = this.pages.get(file) ?? [];
      const entries = incoming.map((entry) => this.renameOnCollision(entry, file));
      if (entries.length === 0) this.pages.delete(file);
      else this.pages.set(file, entries);
      const beforeIds = new Set(before.map((e) => e.item.id));
      const afterIds = new Set(entries.map((e) => e.item.id));
      out.set(file, {
        entries,
        added: [...afterIds].filter((id) => !beforeIds.has(id)),
        removed: [...beforeIds].filter((id) => !afterIds.has(id)),
      });
    }
    this.current = buildSnapshot(this.pages);
    return out;
  }

  /** Replaces everything at once (a bulk load). */
  setAll(entries: IndexedItem[]): void {
    this.pages = new Map();
    this.owners = new Map();
    const byFile = new Map<string, IndexedItem[]>();
    for (const entry of entries) {
      const list = byFile.get(entry.item.source.file);
      if (list) list.push(entry);
      else byFile.set(entry.item.source.file, [entry]);
    }
    this.setPages(byFile);
  }

  get snapshot(): ArchiveSnapshot {
    return this.current;
  }

  pageFiles(): string[] {
    return [...this.pages.keys()];
  }

  /** The page's entries as stored, or undefined. */
  page(file: string): readonly IndexedItem[] | undefined {
    return this.pages.get(file);
  }

  /**
   * Ids include the file name, so two pages colliding needs a 51-bit hash collision; should it ever
   * happen the incoming item is rehashed, as loadPages does.
   */
  private renameOnCollision(entry: IndexedItem, file: string): IndexedItem {
    const { item } = entry;
    if (!this.owners.has(item.id)) {
      this.owners.set(item.id, file);
      return entry;
    }
    const [id] = assignItemIds([{ file: item.source.file, kind: item.kind, title: item.title, text: item.paragraphs.join('') }], new Set(this.owners.keys()));
    this.owners.set(id!, file);
    this.onWarning(`${item.source.file}：条目编号 ${item.id} 与其他版面重复，改为 ${id}`);
    return { ...entry, item: { ...item, id: id! } };
  }
}

function buildSnapshot(pages: ReadonlyMap<string, IndexedItem[]>): ArchiveSnapshot {
  // Every item of a page has the page's date: sorting pages orders the items.
  const ordered = [...pages].sort(([fileA, a], [fileB, b]) =>
    comparePages({ file: fileB, date: b[0]!.item.date }, { file: fileA, date: a[0]!.item.date }),
  );
  const newest: IndexedItem[] = [];
  for (const [, entries] of ordered) for (const entry of entries) newest.push(entry);
  return new LazySnapshot(newest);
}

/**
 * The lookups are built from `newest` on first use: a starting bot replaces its snapshot a few times
 * a second while pages arrive, and at 50,000 items building them every time made megabytes of
 * garbage per batch that nobody read (the main thread's heap doubled before it was collected).
 */
class LazySnapshot implements ArchiveSnapshot {
  private ids: Map<string, IndexedItem> | null = null;
  private counties: { byCounty: Map<string, IndexedItem[]>; cityLevel: number } | null = null;

  constructor(readonly newest: readonly IndexedItem[]) {}

  get byId(): ReadonlyMap<string, IndexedItem> {
    if (this.ids) return this.ids;
    const byId = new Map<string, IndexedItem>();
    for (const entry of this.newest) byId.set(entry.item.id, entry);
    return (this.ids = byId);
  }

  get byCounty(): ReadonlyMap<string, readonly IndexedItem[]> {
    return this.countyLists().byCounty;
  }

  get cityLevel(): number {
    return this.countyLists().cityLevel;
  }

  private countyLists(): { byCounty: Map<string, IndexedItem[]>; cityLevel: number } {
    if (this.counties) return this.counties;
    const byCounty = new Map<string, IndexedItem[]>();
    let cityLevel = 0;
    for (const entry of this.newest) {
      // Listed under its primary county only, the same rule as the search's county filter, so the
      // six counts and the city-level count add up to the whole archive.
      const county = entry.item.county;
      if (county === null) {
        cityLevel++;
        continue;
      }
      const list = byCounty.get(county);
      if (list) list.push(entry);
      else byCounty.set(county, [entry]);
    }
    return (this.counties = { byCounty, cityLevel });
  }
}
