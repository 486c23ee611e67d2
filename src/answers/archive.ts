/**
 * The items the bot knows, in reading order, with lookups by id and by county.
 * Pages can be replaced while the bot runs (a new or changed page file); readers of the
 * archive always see a consistent snapshot because every change builds new arrays.
 */
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

/** Holds the items of every page, keyed by page file. */
export class Archive {
  private pages = new Map<string, IndexedItem[]>();
  private current: ArchiveSnapshot = buildSnapshot([]);

  /** Replaces the items of one page (a page with no items removes it). Returns the ids that were new. */
  setPage(file: string, entries: IndexedItem[]): { added: string[]; removed: string[] } {
    const before = new Set((this.pages.get(file) ?? []).map((e) => e.item.id));
    const after = new Set(entries.map((e) => e.item.id));
    if (entries.length === 0) this.pages.delete(file);
    else this.pages.set(file, entries);
    this.current = buildSnapshot([...this.pages.values()].flat());
    return {
      added: [...after].filter((id) => !before.has(id)),
      removed: [...before].filter((id) => !after.has(id)),
    };
  }

  /** Replaces everything at once (startup), cheaper than page by page. */
  setAll(entries: IndexedItem[]): void {
    this.pages = new Map();
    for (const entry of entries) {
      const list = this.pages.get(entry.item.source.file);
      if (list) list.push(entry);
      else this.pages.set(entry.item.source.file, [entry]);
    }
    this.current = buildSnapshot(entries);
  }

  get snapshot(): ArchiveSnapshot {
    return this.current;
  }

  pageFiles(): string[] {
    return [...this.pages.keys()];
  }
}

function buildSnapshot(entries: IndexedItem[]): ArchiveSnapshot {
  const newest = [...entries].sort(newestFirst);
  const byId = new Map(newest.map((e) => [e.item.id, e]));
  const byCounty = new Map<string, IndexedItem[]>();
  let cityLevel = 0;
  for (const entry of newest) {
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
  return { newest, byId, byCounty, cityLevel };
}

/** Pages newest first (by date, then file name), items of one page in page order. */
function newestFirst(a: IndexedItem, b: IndexedItem): number {
  const byPage = comparePages({ file: b.item.source.file, date: b.item.date }, { file: a.item.source.file, date: a.item.date });
  return byPage !== 0 ? byPage : a.item.source.index - b.item.source.index;
}
