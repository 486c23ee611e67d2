/**
 * The answering core: reader questions → `Answer` data. It reads the archive and the search index
 * it is given and knows nothing of Telegram or the terminal.
 */
import type { IndexedItem } from '../pages/item.js';
import type { ParsedQuery } from '../search/query.js';
import type { SearchIndex } from '../search/search-index.js';
import type { Answer, CountyCount, CountyListAnswer, ListCommand, LoadingNote, ProblemAnswer, ProblemCode, ResultEntry } from './answer.js';
import type { Answers, PageRequest } from './answers.js';
import type { Archive } from './archive.js';
import { pageNumber, pageOf } from './paging.js';

export interface AnswersDeps {
  archive: Archive;
  /** The search index, or null while it is still being built (lists still answer). */
  index: () => SearchIndex | null;
  /** How far loading is while older pages are still arriving, else null (default: never loading). */
  loading?: () => LoadingNote | null;
  parseQuery: (raw: string) => ParsedQuery;
  /** Full county name for what a reader typed (江山 → 江山市), or null. */
  resolveCounty: (name: string) => string | null;
  /** The region's county-level areas, in display order. */
  countyNames: readonly string[];
  pageSize: number;
}

/** Largest page size an adapter may ask for (inline mode shows 50, scripts up to 100). */
const MAX_PAGE_SIZE = 100;

/**
 * @example createAnswers(deps).search('停车场 江山') // { kind: 'results', county: '江山市', … }
 */
export function createAnswers(deps: AnswersDeps): Answers {
  const problem = (code: ProblemCode, input: string, extra: Partial<ProblemAnswer> = {}): ProblemAnswer => ({
    kind: 'problem',
    problem: code,
    input: input.trim(),
    ...extra,
  });
  const sizeOf = (request?: PageRequest) =>
    Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(request?.pageSize ?? deps.pageSize)));

  const countyCounts = (): CountyCount[] => {
    const { byCounty } = deps.archive.snapshot;
    return deps.countyNames.map((name) => ({ name, count: byCounty.get(name)?.length ?? 0 }));
  };
  /** `{ loading }` while pages are still loading, to spread into a list answer; else nothing. */
  const loadingNote = (): { loading?: LoadingNote } => {
    const loading = deps.loading?.() ?? null;
    return loading ? { loading } : {};
  };
  const counties = (unknown: string | null = null): CountyListAnswer => ({
    kind: 'county-list',
    unknown,
    cityLevel: deps.archive.snapshot.cityLevel,
    counties: countyCounts(),
    ...loadingNote(),
  });

  const plainEntry = (entry: IndexedItem): ResultEntry => ({
    item: entry.item,
    score: 0,
    summary: entry.summary,
    keywords: entry.keywords,
    snippet: null,
    title: { text: entry.item.title, marks: [] },
  });

  const list = (
    command: ListCommand,
    query: string,
    county: string | null,
    entries: readonly IndexedItem[],
    request: PageRequest | undefined,
  ): Answer => {
    const slice = pageOf(entries, request?.page, sizeOf(request));
    if (!slice) return problem('page-out-of-range', query, { pageCount: Math.max(1, Math.ceil(entries.length / sizeOf(request))) });
    return {
      kind: 'results',
      command,
      query,
      county,
      page: slice.page,
      pageCount: slice.pageCount,
      total: entries.length,
      results: slice.items.map(plainEntry),
      ...loadingNote(),
    };
  };

  return {
    search(raw, request) {
      const parsed = deps.parseQuery(raw);
      if (parsed.problem === 'empty') return problem('empty-query', raw);
      if (parsed.problem === 'too-long') return problem('query-too-long', raw);
      if (parsed.problem === 'no-searchable-words') return problem('no-searchable-words', raw);
      const index = deps.index();
      if (!index) return problem('not-ready', raw);
      const query = raw.trim();
      // Only the page's hits are built: a common word has tens of thousands (the index keeps them compactly).
      const { total } = index.searchRange(parsed, 0, 0);
      if (total === 0) {
        return { kind: 'no-results', query, county: parsed.county, suggestions: index.suggest(parsed), counties: countyCounts() };
      }
      const size = sizeOf(request);
      const pageCount = Math.max(1, Math.ceil(total / size));
      const page = pageNumber(request?.page, pageCount);
      if (page === null) return problem('page-out-of-range', query, { pageCount });
      const start = (page - 1) * size;
      const { hits } = index.searchRange(parsed, start, start + size);
      const { byId } = deps.archive.snapshot;
      const results: ResultEntry[] = [];
      for (const hit of hits) {
        const entry = byId.get(hit.id);
        // The index and the archive are updated together; a miss means a page was just replaced.
        if (!entry) continue;
        const { title, snippet } = index.highlight(entry, parsed);
        results.push({ item: entry.item, score: hit.score, summary: entry.summary, keywords: entry.keywords, snippet, title });
      }
      return { kind: 'results', command: 'search', query, county: parsed.county, page, pageCount, total, results };
    },

    latest(request) {
      const { newest } = deps.archive.snapshot;
      if (newest.length === 0) {
        const { loading } = loadingNote();
        return loading ? problem('still-loading', '', { loading }) : problem('no-items', '');
      }
      return list('latest', '', null, newest, request);
    },

    county(name, request) {
      const wanted = name.trim();
      if (wanted === '') return counties();
      const county = deps.resolveCounty(wanted);
      if (!county) return counties(wanted.slice(0, 20));
      return list('county', wanted, county, deps.archive.snapshot.byCounty.get(county) ?? [], request);
    },

    article(id) {
      const entry = deps.archive.snapshot.byId.get(id.trim().toLowerCase());
      if (!entry) {
        // An older article's page may simply not be in yet: say that rather than "deleted".
        const { loading } = loadingNote();
        return loading ? problem('still-loading', id.slice(0, 40), { loading }) : problem('unknown-article', id.slice(0, 40));
      }
      return { kind: 'article', item: entry.item, summary: entry.summary, keywords: entry.keywords };
    },

    counties: () => counties(),
  };
}
