/**
 * Relevance of the archive search on the seed page: for each reader query, where the expected
 * headline ranks, and which search step found it. Not a test (the test asserts a floor):
 * `npx tsx test/search/measure-relevance.ts`. Runs the real core (`openTestNews`) in a temp DATA_DIR.
 */
import type { Answer } from '../../src/answers/answer.js';
import { openTestNews } from '../news-fixture.js';
import { RELEVANCE_CASES } from './relevance-queries.js';

export interface RelevanceRow {
  query: string;
  expected: string;
  /** 1-based rank of the expected headline, 0 when it was not found. */
  rank: number;
  /** The search step that answered (`all` unless the answer says otherwise), or the answer's kind. */
  step: string;
  first: string | null;
}

/** Each case through `answers.search`, looking at the first 100 results. */
export function measureRelevance(search: (query: string) => Answer): RelevanceRow[] {
  return RELEVANCE_CASES.map(({ query, expected }) => {
    const answer = search(query);
    if (answer.kind !== 'results') return { query, expected, rank: 0, step: answer.kind, first: null };
    const titles = answer.results.map((r) => r.item.title);
    return { query, expected, rank: titles.indexOf(expected) + 1, step: answer.match ?? 'all', first: titles[0] ?? null };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const news = await openTestNews();
  try {
    const rows = measureRelevance((query) => news.answers.search(query, { pageSize: 100 }));
    const n = rows.length;
    const first = rows.filter((r) => r.rank === 1).length;
    const mrr = rows.reduce((sum, r) => sum + (r.rank > 0 ? 1 / r.rank : 0), 0) / n;
    const steps = new Map<string, number>();
    for (const r of rows) steps.set(r.step, (steps.get(r.step) ?? 0) + 1);
    console.log(`first: ${first}/${n}   MRR: ${mrr.toFixed(3)}   steps: ${[...steps].map(([s, k]) => `${s} ${k}`).join(', ')}`);
    for (const r of rows.filter((row) => row.rank !== 1)) {
      console.log(`  miss: ${r.query} → ${r.rank === 0 ? 'not found' : `rank ${r.rank}`} (${r.step}); first: ${r.first ?? '-'}; expected: ${r.expected}`);
    }
  } finally {
    await news.close();
  }
}
