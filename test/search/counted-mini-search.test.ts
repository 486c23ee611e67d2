import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { CountedMiniSearch } from '../../src/search/counted-mini-search.js';
import { countTerms } from '../../src/search/document-terms.js';
import { encodeTerm } from '../../src/search/term-keys.js';

const SEP = '\u0000';
const docs = [
  { id: 'a', title: ['池淮镇', '星新社区'], body: ['星新', '社区', '垃圾', '分类', '社区', '池淮'] },
  { id: 'b', title: ['医保', '服务'], body: ['医保', '医保', '服务', '社区', '衢州'] },
  { id: 'c', title: [], body: ['硅烷', '企业', '社区'] },
  { id: 'd', title: ['衢', '衢州'], body: ['衢江', '衢州', '衢州市', '星'] },
];
const options = {
  fields: ['title', 'body'],
  tokenize: (text: string) => (text === '' ? [] : text.split(SEP)),
  processTerm: encodeTerm,
  searchOptions: { tokenize: (t: string) => [t], processTerm: encodeTerm, boost: { title: 3 } },
};
const queries = ['社区', '医保', '衢', '星新', '硅烷', '不在'];
const run = (mini: MiniSearch, q: string) => [
  ...mini.search(q),
  ...mini.search(q, { prefix: true }),
  ...mini.search(q, { prefix: true, fuzzy: 1 }),
].map((r) => ({ id: r.id, score: r.score, match: r.match }));

describe('CountedMiniSearch', () => {
  const plain = new MiniSearch(options);
  plain.addAll(docs.map((d) => ({ id: d.id, title: d.title.join(SEP), body: d.body.join(SEP) })));
  const counted = () => docs.map((d) => ({ id: d.id, fields: [countTerms(d.title), countTerms(d.body)] }));

  it('leaves the state plain add leaves: same results and scores, bulk and one by one', () => {
    const bulk = new CountedMiniSearch(options);
    bulk.addCountedAll(counted());
    const single = new CountedMiniSearch(options);
    for (const d of counted()) single.addCounted(d.id, d.fields);
    for (const q of queries) {
      expect(run(bulk, q)).toEqual(run(plain, q));
      expect(run(single, q)).toEqual(run(plain, q));
    }
    expect(bulk.termCount).toBe(plain.termCount);
  });

  it('restores from its snapshot, without discarded documents, and takes more documents after', () => {
    const mini = new CountedMiniSearch(options);
    mini.addCountedAll(counted());
    mini.discard('b');
    const restored = CountedMiniSearch.fromSnapshot(mini.snapshot(), options);
    expect(restored.documentCount).toBe(3);
    expect(restored.search('医保')).toEqual([]);
    // The same documents match (scores may differ in the last bits: the snapshot leaves the discarded postings out, as a vacuum would).
    const ids = (m: MiniSearch, q: string) => run(m, q).map((r) => r.id).sort();
    for (const q of queries.filter((x) => x !== '医保')) expect(ids(restored, q)).toEqual(ids(mini, q));
    restored.addCounted('e', [countTerms(['硅烷']), countTerms([])]);
    expect(restored.search('硅烷').map((r) => r.id).sort()).toEqual(['c', 'e']);
  });
});
