/**
 * Relevance of each index mix on the seed page: mean reciprocal rank and hit@1 over the reader
 * queries. Not a test: `npx tsx test/search/measure-relevance.ts [--user-words]`. Place names are
 * inserted into jieba process-wide, so "with user words" needs its own process.
 */
import { createSegmenter } from '../../src/text/segmenter.js';
import { parseQuery } from '../../src/search/query.js';
import { createSearchIndex, type SearchIndexOptions } from '../../src/search/search-index.js';
import { RELEVANCE_CASES } from './relevance-queries.js';
import { loadSeedCorpus } from './seed-index.js';

const userWords = process.argv.includes('--user-words');
const corpus = await loadSeedCorpus();
const seg = createSegmenter({ words: userWords ? corpus.placeWords : [] });
const titleOf = new Map(corpus.entries.map((e) => [e.item.id, e.item.title]));

const MIXES: Array<[string, SearchIndexOptions]> = [
  ['words only', { grams: false, verbatimBoost: { title: 1, body: 1 } }],
  ['words + verbatim boost', { grams: false }],
  ['words + bigrams', { grams: true, verbatimBoost: { title: 1, body: 1 } }],
  ['words + bigrams + verbatim boost', { grams: true }],
];

for (const [name, options] of MIXES) {
  const index = createSearchIndex(seg, options);
  index.add(corpus.entries);
  let reciprocal = 0;
  let first = 0;
  let splitFirst = 0;
  let returned = 0;
  const misses: string[] = [];
  for (const c of RELEVANCE_CASES) {
    const hits = index.search(parseQuery(c.query, corpus.resolve));
    returned += hits.length;
    const rank = hits.findIndex((h) => titleOf.get(h.id) === c.expected) + 1;
    if (rank > 0) reciprocal += 1 / rank;
    if (rank === 1) {
      first++;
      if (c.split) splitFirst++;
    } else misses.push(`${c.query}→${rank === 0 ? '∅' : rank}`);
  }
  const n = RELEVANCE_CASES.length;
  const splitN = RELEVANCE_CASES.filter((c) => c.split).length;
  console.log(
    `| ${userWords ? '+ user words' : 'no user words'} | ${name} | ${(reciprocal / n).toFixed(3)} | ${first}/${n} | ${splitFirst}/${splitN} | ${(returned / n).toFixed(2)} | ${misses.join(' ') || '-'} |`,
  );
}
