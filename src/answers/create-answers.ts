/**
 * The answering core: reader questions → `Answer` data. It reads the archive, its search and the
 * short-field index it is given, and knows nothing of Telegram or the terminal.
 */
import type { Archive, ArchiveEntry } from '../archive/archive.js';
import type { ArchiveSearch } from '../search/archive-search.js';
import type { ParsedQuery } from '../search/query.js';
import type { ShortFieldIndex } from '../search/short-fields.js';
import type { Answer, CountyCount, CountyListAnswer, ListCommand, LoadingNote, ProblemAnswer, ProblemCode, ResultEntry } from './answer.js';
import type { Answers, PageRequest } from './answers.js';
import { pageNumber } from './paging.js';

/** Direction overrides and control characters in an echoed query would garble the reader's line. */
const GARBLING = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\p{Cc}]/gu;
const echo = (text: string): string => text.replace(GARBLING, '').trim();

export interface AnswersDeps {
  archive: Archive;
  search: ArchiveSearch;
  shortFields: ShortFieldIndex;
  /** How far loading is while pages are still arriving, else null (default: never loading). */
  loading?: () => LoadingNote | null;
  parseQuery: (raw: string) => ParsedQuery;
  /** Full county name for what a reader typed (江山 → 江山市), or null. */
  resolveCounty: (name: string) => string | null;
  /** The region's county-level areas, in display order. */
  countyNames: readonly string[];
  normalize: (text: string) => string;
  pageSize: number;
}

/** Largest page size an adapter may ask for (inline mode shows 50, scripts up to 100). */
const MAX_PAGE_SIZE = 100;
const RELATED = 3;

/**
 * @example createAnswers(deps).search('停车场 江山') // { kind: 'results', county: '江山市', … }
 */
export function createAnswers(deps: AnswersDeps): Answers {
  const { archive } = deps;
  const problem = (code: ProblemCode, input: string, extra: Partial<ProblemAnswer> = {}): ProblemAnswer => ({
    kind: 'problem',
    problem: code,
    input: echo(input),
    ...extra,
  });
  const sizeOf = (request?: PageRequest) => Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(request?.pageSize ?? deps.pageSize)));

  const countyCounts = (): CountyCount[] => {
    const counts = archive.countyCounts();
    return deps.countyNames.map((name) => ({ name, count: counts.get(name) ?? 0 }));
  };
  /** `{ loading }` while pages are still loading, to spread into an answer; else nothing. */
  const loadingNote = (): { loading?: LoadingNote } => {
    const loading = deps.loading?.() ?? null;
    return loading ? { loading } : {};
  };
  const counties = (unknown: string | null = null): CountyListAnswer => ({
    kind: 'county-list',
    unknown,
    cityLevel: archive.countyCounts().get(null) ?? 0,
    counties: countyCounts(),
    ...loadingNote(),
  });

  const plainEntry = (entry: ArchiveEntry): ResultEntry => ({
    item: entry.item,
    score: 0,
    summary: entry.summary,
    keywords: entry.keywords,
    snippet: null,
    title: { text: entry.item.title, marks: [] },
  });

  /** A page of a list read straight from the archive (newest first). */
  const list = (command: ListCommand, query: string, county: string | null, total: number, read: (offset: number, limit: number) => ArchiveEntry[], request?: PageRequest): Answer => {
    const size = sizeOf(request);
    const pageCount = Math.max(1, Math.ceil(total / size));
    const page = pageNumber(request?.page, pageCount);
    if (page === null) return problem('page-out-of-range', query, { pageCount });
    const results = read((page - 1) * size, size).map(plainEntry);
    return { kind: 'results', command, query, county, page, pageCount, total, results, ...loadingNote() };
  };

  /** Queries to try instead: without the county when that finds something, then close words that exist. */
  const suggestionsFor = (parsed: ParsedQuery): string[] => {
    const out: string[] = [];
    if (parsed.county !== null && parsed.countyWord !== null) {
      const rest = parsed.raw.replace(parsed.countyWord, ' ').replace(/\s+/gu, ' ').trim();
      const without = rest === '' ? null : deps.parseQuery(rest);
      if (without && without.problem === null && without.county === null && deps.search.count(without) > 0) out.push(rest);
    }
    out.push(...deps.shortFields.closeWords([...parsed.words, ...parsed.phrases].map((w) => deps.normalize(w.trim())).filter((w) => w !== '')));
    return out.slice(0, 5);
  };

  return {
    search(raw, request) {
      const parsed = deps.parseQuery(raw);
      if (parsed.problem === 'empty') return problem('empty-query', raw);
      if (parsed.problem === 'too-long') return problem('query-too-long', raw);
      if (parsed.problem === 'no-searchable-words') return problem('no-searchable-words', raw);
      const query = echo(raw);
      const size = sizeOf(request);
      // One search gives the total and the page: a page past the end is known only after it.
      const page = pageNumber(request?.page, Number.POSITIVE_INFINITY)!;
      const found = deps.search.search(parsed, (page - 1) * size, page * size);
      const note = loadingNote();
      if (found.total === 0) {
        // While pages are still arriving, "nothing" may only mean "not yet".
        if (note.loading) return problem('not-ready', raw, note);
        return { kind: 'no-results', query, county: parsed.county, suggestions: suggestionsFor(parsed), counties: countyCounts() };
      }
      const pageCount = Math.max(1, Math.ceil(found.total / size));
      if (page > pageCount) return problem('page-out-of-range', query, { pageCount });
      const results: ResultEntry[] = found.hits.map(({ entry, score }) => {
        const { title, snippet } = deps.search.highlight(entry, found.terms);
        return { item: entry.item, score, summary: entry.summary, keywords: entry.keywords, snippet, title };
      });
      return {
        kind: 'results',
        command: 'search',
        query,
        county: parsed.county,
        page,
        pageCount,
        total: found.total,
        results,
        ...(found.match === 'all' ? {} : { match: found.match }),
        ...note,
      };
    },

    latest(request) {
      const total = archive.count();
      if (total === 0) {
        const { loading } = loadingNote();
        return loading ? problem('still-loading', '', { loading }) : problem('no-items', '');
      }
      return list('latest', '', null, total, (offset, limit) => archive.latest(offset, limit), request);
    },

    county(name, request) {
      const wanted = name.trim();
      if (wanted === '') return counties();
      const county = deps.resolveCounty(wanted);
      if (!county) return counties(wanted.slice(0, 20));
      return list('county', wanted, county, archive.countyCount(county), (offset, limit) => archive.county(county, offset, limit), request);
    },

    article(id) {
      const entry = archive.byId(id.trim().toLowerCase());
      if (!entry) {
        // An older article's page may simply not be in yet: say that rather than "deleted".
        const { loading } = loadingNote();
        return loading ? problem('still-loading', id.slice(0, 40), { loading }) : problem('unknown-article', id.slice(0, 40));
      }
      return { kind: 'article', item: entry.item, summary: entry.summary, keywords: entry.keywords };
    },

    related(id) {
      const entry = archive.byId(id.trim().toLowerCase());
      if (!entry) return problem('unknown-article', id.slice(0, 40));
      const results = deps.shortFields
        .related(entry.item.id, RELATED)
        .map((other) => archive.byId(other))
        .filter((other): other is ArchiveEntry => other !== undefined)
        .map(plainEntry);
      return { kind: 'related', item: entry.item, results };
    },

    complete: (text) => deps.shortFields.complete(deps.normalize(text)),

    counties: () => counties(),
  };
}
