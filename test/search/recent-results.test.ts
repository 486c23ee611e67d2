import { beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/query.js';
import { createRecentResults } from '../../src/search/recent-results.js';
import { createSearchIndex } from '../../src/search/search-index.js';
import { createSegmenter, type Segmenter } from '../../src/text/segmenter.js';
import { loadSeedCorpus, type SeedCorpus } from './seed-index.js';

describe('recent results', () => {
  it('computes once per key, keeps the most recently used, forgets on clear', () => {
    const recent = createRecentResults<number>(2);
    let calls = 0;
    const get = (key: string): number => recent.get(key, () => ++calls);
    expect([get('a'), get('b'), get('a')]).toEqual([1, 2, 1]);
    get('c'); // evicts b, the least recently used
    expect([get('a'), get('b')]).toEqual([1, 4]);
    recent.clear();
    expect(get('a')).toBe(5);
  });
});

describe('search results stay true after the items change', () => {
  let corpus: SeedCorpus;
  let seg: Segmenter;
  beforeAll(async () => {
    corpus = await loadSeedCorpus();
    seg = createSegmenter({ words: corpus.placeWords });
  });

  it('a repeated search sees items added and removed in between', () => {
    const target = corpus.entries.find((e) => e.item.title.includes('移民社区'))!;
    const index = createSearchIndex(seg);
    index.add(corpus.entries.filter((e) => e !== target));
    const query = parseQuery('星新社区', corpus.resolve);
    expect(index.search(query)).toEqual([]);
    expect(index.suggest(query)).not.toContain('星新社区');
    index.add([target]);
    expect(index.search(query).map((h) => h.id)).toEqual([target.item.id]);
    index.remove([target.item.id]);
    expect(index.search(query)).toEqual([]);
  });
});
