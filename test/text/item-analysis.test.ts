import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeItem, createItemAnalyzer, createWordFacts, type ItemAnalyzer } from '../../src/text/item-analysis.js';
import { enrichItem } from '../../src/answers/enrich-items.js';
import type { LoadedPage } from '../../src/pages/load-pages.js';
import { loadPageFile } from '../../src/pages/load-pages.js';
import { placeWords } from '../../src/places/county-names.js';
import { createCountyTagger } from '../../src/places/county-tagger.js';
import { loadGazetteer } from '../../src/places/gazetteer.js';
import { generatePage } from '../fixtures/page-generator.js';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let analyzer: ItemAnalyzer;
let tag: ReturnType<typeof createCountyTagger>;

beforeAll(() => {
  const gazetteer = loadGazetteer('衢州市', { cacheDir: mkdtempSync(join(tmpdir(), 'analysis-gaz-')) });
  tag = createCountyTagger(gazetteer);
  analyzer = createItemAnalyzer(placeWords(gazetteer));
});

/** What the per-task cuts (a cut per sentence, headline and body cut apart for keywords) give. */
function perTask(p: LoadedPage) {
  return p.items.map((item) => enrichItem(item, analyzer.seg, analyzer.tables, { summaryMaxChars: 120 }));
}

async function page(dir: string, file: string) {
  const loaded = await loadPageFile(dir, file, { tag });
  if (!loaded.ok) throw new Error(`${file} not loaded`);
  return loaded.page;
}

describe('analyzeItem (one cut per item)', () => {
  it('gives the seed page the summaries and keywords of the per-task cuts, and headline words', async () => {
    const seed = await page('seeds', readdirSync('seeds').find((f) => f.endsWith('.txt'))!);
    const before = perTask(seed);
    const once = seed.items.map((item) => analyzeItem(item, analyzer, 120));
    expect(once.map((a) => a.summary)).toEqual(before.map((e) => e.summary));
    expect(once.map((a) => a.keywords)).toEqual(before.map((e) => e.keywords));
    expect(before.some((e) => e.keywords.length >= 3)).toBe(true);
    const tea = once[seed.items.findIndex((item) => item.title === '开化县重视茶产业技能人才培养')]!;
    expect(tea.titleWords).toEqual(expect.arrayContaining(['开化县', '重视', '人才培养']));
    expect(tea.titleWords.every((w) => w.length >= 2)).toBe(true);
  });

  it('agrees on generated pages, traditional characters and full-width text included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'analysis-pages-'));
    writeFileSync(join(dir, 'a.txt'), generatePage(3).text);
    writeFileSync(join(dir, 'b.txt'), generatePage(4).text.replace(/医保/g, '醫保').replace(/社区/g, 'ＤＲＧｓ社區'));
    for (const file of ['a.txt', 'b.txt']) {
      const p = await page(dir, file);
      const before = perTask(p);
      for (const [i, item] of p.items.entries()) {
        const analysis = analyzeItem(item, analyzer, 120);
        expect(analysis.summary, item.title).toBe(before[i]!.summary);
        expect(analysis.keywords, item.title).toEqual(before[i]!.keywords);
      }
    }
  });

  it('gives the same analysis when its word cache is tiny and keeps dropping words', async () => {
    const seed = await page('seeds', readdirSync('seeds').find((f) => f.endsWith('.txt'))!);
    const forgetful: ItemAnalyzer = { ...analyzer, facts: createWordFacts(analyzer.tables, 8) };
    // Twice over: the second pass meets words remembered, dropped and remembered again.
    for (let pass = 0; pass < 2; pass++) {
      for (const item of seed.items) expect(analyzeItem(item, forgetful, 120)).toEqual(analyzeItem(item, analyzer, 120));
    }
  });
});

describe('createWordFacts', () => {
  it('numbers and describes the words of item after item as a cache made afresh for each item does', () => {
    // Words of one, two (Han, letters, punctuation, a character outside the BMP) and more code units,
    // few enough to come back across items; a small limit makes the cache start over meanwhile.
    const word = fc.constantFrom('的', '，', '茶', '茶叶', '开化', 'ab', '𠀀', '\n ', '两个', '开化县', '龙顶茶', '2023', '𠀀茶');
    fc.assert(
      fc.property(fc.array(fc.array(word, { maxLength: 30 }), { maxLength: 12 }), fc.integer({ min: 2, max: 40 }), (items, limit) => {
        const cached = createWordFacts(analyzer.tables, limit);
        for (const tokens of items) {
          const got = cached.forItem(tokens);
          const fresh = createWordFacts(analyzer.tables).forItem(tokens);
          expect(got.numbers).toEqual(fresh.numbers);
          expect(got.words).toEqual(fresh.words);
          // Numbered in order of first use.
          expect(got.words.text).toEqual([...new Set(tokens)]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
