import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeItem, createItemAnalyzer, createWordFacts, searchWords, type ItemAnalyzer } from '../../src/indexing/item-analysis.js';
import { indexPage, indexPageOnce, pageTerms } from '../../src/indexing/indexed-page.js';
import { loadPageFile } from '../../src/pages/load-pages.js';
import { placeWords } from '../../src/places/county-names.js';
import { createCountyTagger } from '../../src/places/county-tagger.js';
import { loadGazetteer } from '../../src/places/gazetteer.js';
import { cutNormalized } from '../../src/text/segmenter.js';
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

async function page(dir: string, file: string) {
  const loaded = await loadPageFile(dir, file, { tag });
  if (!loaded.ok) throw new Error(`${file} not loaded`);
  return loaded.page;
}

describe('analyzeItem (one cut per item)', () => {
  it('gives the seed page the summaries, keywords and index terms of the per-task cuts', async () => {
    const seed = await page('seeds', readdirSync('seeds').find((f) => f.endsWith('.txt'))!);
    const before = indexPage(seed, analyzer.seg, 120);
    const once = indexPageOnce(seed, analyzer, 120, true);
    expect(once.indexed.summaries).toEqual(before.summaries);
    expect(once.indexed.keywords).toEqual(before.keywords);
    expect(once.indexed.words).toEqual(before.words);
    expect(once.terms).toEqual(pageTerms(before, analyzer.seg.normalize, true));
    expect(before.keywords.some((k) => k.length >= 3)).toBe(true);
  });

  it('agrees on generated pages, traditional characters and full-width text included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'analysis-pages-'));
    writeFileSync(join(dir, 'a.txt'), generatePage(3).text);
    writeFileSync(join(dir, 'b.txt'), generatePage(4).text.replace(/医保/g, '醫保').replace(/社区/g, 'ＤＲＧｓ社區'));
    for (const file of ['a.txt', 'b.txt']) {
      const p = await page(dir, file);
      const before = indexPage(p, analyzer.seg, 120);
      for (const [i, item] of p.items.entries()) {
        const analysis = analyzeItem(item, analyzer, 120);
        expect(analysis.summary, item.title).toBe(before.summaries[i]);
        expect(analysis.keywords, item.title).toEqual(before.keywords[i]);
        expect(analysis.words, item.title).toEqual(before.words[i]);
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

  it('derives cutForSearch from cut: sub-words in the dictionary, before their word', () => {
    for (const text of ['衢州市医疗保障局出台意见', '开化县池淮镇星新社区举行中华人民共和国成立纪念活动', 'DRGs 付费改革 𠮷野家']) {
      const normalized = analyzer.seg.normalize(text);
      expect(searchWords(cutNormalized(normalized), analyzer.tables)).toEqual(analyzer.seg.cutForSearch(text));
    }
  });
});
