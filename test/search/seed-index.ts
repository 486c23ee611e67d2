/**
 * The seed page read the way the bot reads it: the real parser, the real gazetteer tagging, the
 * real segmenter with the gazetteer's place names as user words. Shared by the search tests and
 * the relevance measurement.
 */
import { join } from 'node:path';
import type { IndexedItem } from '../../src/pages/item.js';
import { loadPages } from '../../src/pages/load-pages.js';
import { placeWords, resolveCounty } from '../../src/places/county-names.js';
import { createCountyTagger } from '../../src/places/county-tagger.js';
import { loadGazetteer, type Gazetteer } from '../../src/places/gazetteer.js';

export const SEEDS_DIR = join(import.meta.dirname, '..', '..', 'seeds');

export interface SeedCorpus {
  gazetteer: Gazetteer;
  entries: IndexedItem[];
  resolve: (word: string) => string | null;
  placeWords: string[];
}

/** Parses and tags the seed pages; summaries and keywords are left empty (search does not read them). */
export async function loadSeedCorpus(seedsDir = SEEDS_DIR): Promise<SeedCorpus> {
  const gazetteer = loadGazetteer('衢州市');
  const tag = createCountyTagger(gazetteer);
  const { items } = await loadPages(seedsDir, { tag });
  const entries = items.map((item, order) => ({ item, summary: '', keywords: [], order }));
  return {
    gazetteer,
    entries,
    resolve: (word) => resolveCounty(gazetteer, word),
    placeWords: placeWords(gazetteer),
  };
}

/** The seed item whose headline is `title` (throws if the parser lost it: the tests rely on it). */
export function byTitle(entries: IndexedItem[], title: string): IndexedItem {
  const found = entries.find((e) => e.item.title === title);
  if (found === undefined) throw new Error(`seed item not found: ${title}`);
  return found;
}
