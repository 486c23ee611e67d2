/**
 * Index build time, memory and search latency on the seed page and on synthetic archives built
 * from it. Not a test: `node --expose-gc --import tsx test/search/measure-speed.ts [count…]`.
 * Each synthetic item joins 3–6 paragraphs of different seed articles (deterministic), with its
 * numbers changed and a made-up place name, so items are ~1,000–2,000 characters and differ.
 */
import nodejieba from 'nodejieba';
import type { IndexedItem } from '../../src/pages/item.js';
import { parseQuery } from '../../src/search/query.js';
import { createSearchIndex, type SearchIndexOptions } from '../../src/search/search-index.js';
import { createSegmenter } from '../../src/text/segmenter.js';
import { RELEVANCE_CASES } from './relevance-queries.js';
import { loadSeedCorpus } from './seed-index.js';

const corpus = await loadSeedCorpus();
const seg = createSegmenter({ words: corpus.placeWords });
const counties = ['柯城区', '衢江区', '龙游县', '江山市', '常山县', '开化县', null];
const SYLLABLES = '安宝昌德东丰福光广和华吉嘉金康乐林龙茂明宁平庆瑞盛泰祥新兴阳永源云';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function synthetic(count: number): IndexedItem[] {
  const next = random(42);
  const paragraphs = corpus.entries.flatMap((e) => e.item.paragraphs).filter((p) => p.length > 40);
  const titles = corpus.entries.map((e) => e.item.title);
  const out: IndexedItem[] = [];
  for (let i = 0; i < count; i++) {
    const place = `${SYLLABLES[Math.floor(next() * SYLLABLES.length)]}${SYLLABLES[Math.floor(next() * SYLLABLES.length)]}村`;
    const body: string[] = [];
    const n = 3 + Math.floor(next() * 4);
    for (let j = 0; j < n; j++) {
      const p = paragraphs[Math.floor(next() * paragraphs.length)]!;
      body.push(p.replace(/\d+/g, () => String(Math.floor(next() * 10000))).replace('社区', `${place}社区`));
    }
    const base = corpus.entries[0]!.item;
    out.push({
      item: {
        ...base,
        id: `s${i}`,
        title: `${titles[Math.floor(next() * titles.length)]!.slice(0, 6)}${place}`,
        subtitle: null,
        paragraphs: body,
        county: counties[i % counties.length]!,
      },
      summary: '',
      keywords: [],
      order: i,
    });
  }
  return out;
}

const QUERY_MIX = [
  ...RELEVANCE_CASES.map((c) => c.query),
  '发展', '服务 发展', '社区', '"智造新城"', '"医保服务"', '项目 江山', '企业 开化', '服务 -医保',
  '火箭发射', 'xyz', '产业 服务 企业 发展', '茶',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function measure(label: string, entries: IndexedItem[], options: SearchIndexOptions): void {
  const chars = entries.reduce((n, e) => n + e.item.title.length + e.item.paragraphs.join('\n').length, 0);
  const texts = entries.map((e) => seg.normalize(`${e.item.title}\n${e.item.paragraphs.join('\n')}`));
  let t = performance.now();
  for (const text of texts) nodejieba.cutForSearch(text, true);
  const jiebaMs = performance.now() - t;

  const heapBefore = heapMb();
  const index = createSearchIndex(seg, options);
  t = performance.now();
  index.add(entries);
  const buildMs = performance.now() - t;
  const heapAfter = heapMb();

  const parsed = QUERY_MIX.map((raw) => parseQuery(raw, corpus.resolve));
  for (const query of parsed) index.search(query); // warm up
  const times: number[] = [];
  const rounds = Number(process.env.ROUNDS ?? 5);
  for (let round = 0; round < rounds; round++) {
    for (const query of parsed) {
      const s = performance.now();
      index.search(query);
      times.push(performance.now() - s);
    }
  }
  times.sort((a, b) => a - b);
  const slowest = parsed
    .map((query) => {
      const s = performance.now();
      const hits = index.search(query).length;
      return { q: query.raw, ms: performance.now() - s, hits };
    })
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 3)
    .map((x) => `${x.q} ${x.ms.toFixed(1)}ms/${x.hits}`)
    .join(', ');
  console.log(
    `| ${label} | ${entries.length} | ${(chars / 1e6).toFixed(1)}M | ${jiebaMs.toFixed(0)} | ${buildMs.toFixed(0)} (${(buildMs / jiebaMs).toFixed(1)}×) | ${(heapAfter - heapBefore).toFixed(0)} MB | ${percentile(times, 0.5).toFixed(2)} | ${percentile(times, 0.99).toFixed(2)} | ${slowest} |`,
  );
}

const counts = process.argv.slice(2).map(Number).filter((n) => n > 0);
console.log('| mix | items | chars | raw jieba ms | build ms | heap | search p50 ms | p99 ms | slowest queries |');
console.log('|---|---|---|---|---|---|---|---|---|');
measure('seed, bigrams', corpus.entries, {});
for (const count of counts.length > 0 ? counts : [5000]) {
  const entries = synthetic(count);
  if (process.env.ONLY_BIGRAMS === undefined) measure('words only', entries, { grams: false });
  measure('words + bigrams', entries, {});
}
