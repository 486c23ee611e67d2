/**
 * The fixed mix of search queries the benchmark times: rare and common words, people, places,
 * phrases in quotes, county filters, exclusions, several words, and queries that find nothing.
 * Built from the archive's own samples with a seeded PRNG, so a given archive always gets the same mix.
 */
import type { ArchiveSamples } from './archive-generator.js';
import { ABSENT_QUERIES, TOPICS } from './news-lexicon.js';
import { createRandom } from './prng.js';

export interface QueryCase {
  category: 'rare' | 'common' | 'person' | 'place' | 'phrase' | 'county' | 'exclusion' | 'several' | 'no-hit';
  query: string;
}

const COMMON = ['发展', '企业', '项目', '群众', '服务', '建设', '产业', '乡村振兴', '共同富裕', '营商环境', '茶叶', '村民'];
const COUNTIES = ['江山', '开化', '龙游', '常山', '柯城', '衢江', '江山市', '开化县', '龙游县', '常山县', '柯城区', '衢江区'];

/** @example buildQueryMix(archive.meta.samples).length // 500 */
export function buildQueryMix(samples: ArchiveSamples, seed = 7): QueryCase[] {
  const rnd = createRandom(seed);
  const from = <T>(list: readonly T[], fallback: T): T => (list.length > 0 ? rnd.pick(list) : fallback);
  const common = (): string => (rnd.chance(0.5) ? rnd.pick(COMMON) : from(samples.frequentTerms, rnd.pick(TOPICS)));
  const rare = (): string => from(samples.rareTerms, '硅烷');
  const plan: Array<[QueryCase['category'], number, () => string]> = [
    ['rare', 100, rare],
    ['common', 70, common],
    ['person', 40, () => from(samples.persons, '汪水玉')],
    ['place', 40, () => from(samples.villages, '星新社区')],
    ['phrase', 70, () => `"${from(samples.phrases, '共富工坊')}"`],
    ['county', 60, () => `${common()} ${rnd.pick(COUNTIES)}`],
    ['exclusion', 40, () => `${common()} -${common()}`],
    ['several', 50, () => `${rnd.chance(0.5) ? rare() : from(samples.villages, '星新社区')} ${common()}`],
    ['no-hit', 30, () => (rnd.chance(0.5) ? rnd.pick(ABSENT_QUERIES) : `${rnd.pick(ABSENT_QUERIES)} ${rnd.pick(ABSENT_QUERIES)}`)],
  ];
  const cases = plan.flatMap(([category, count, make]) => Array.from({ length: count }, () => ({ category, query: make() })));
  // Shuffled, so the uncounted warm-up at the start touches every category.
  for (let i = cases.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [cases[i], cases[j]] = [cases[j]!, cases[i]!];
  }
  return cases;
}
