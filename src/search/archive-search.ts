/**
 * The reader's search over the archive's FTS5 table. A query is tried in steps, each only when the
 * one before found nothing, and the answer says which step found it:
 * 1. `all`: every word and phrase as typed, each found whole (as a phrase of character bigrams);
 * 2. `words`: long words split into their dictionary words, each required (`医保服务推进` finds
 *    `推进医保服务`);
 * 3. `partial`: items with some of the words, when a query of several words has no item with all;
 * 4. `near`: each word's characters in order within a few characters of each other (`炒茶` finds
 *    `炒制茶叶`).
 * `-词` exclusions and the county filter hold in every step. Hits are ranked by bm25 (headline
 * weighted), then the first few are re-ranked: the words whole in the headline, then recency.
 * With the search extension loaded (see search-extension.ts) the ranking skips bm25's count of each
 * word over the whole table, as long as the count of a common word: one word needs no weight to be
 * ordered, and several words are weighed by counts remembered from earlier queries. The order is
 * bm25's (near matches: with every character weighed alike). Totals come from each word's list of
 * matching items, kept (see rowid-sets.ts): `乡村振兴 -共同富裕` after `乡村振兴 江山` reads no
 * list again, where COUNT(*) read every list of each query. A phrase alone with no more than WINDOW
 * matches is ranked from its list too, whose walk gave each row's rank.
 * Subscriptions match with steps 1-2 restricted to new items, so /search and /subscribe agree.
 */
import type { MarkedText } from '../answers/answer.js';
import type { Archive, ArchiveEntry } from '../archive/archive.js';
import type { ArchiveDb } from '../archive/archive-db.js';
import { isStopWord } from '../text/stop-words.js';
import { ftsCharacters, ftsPhrase } from './fts-text.js';
import { bestSnippet, highlightNeedles, markText, type QueryTerm, type QueryTerms } from './highlight.js';
import type { ParsedQuery } from './query.js';
import { countAll, setFromBlob, union, type RowidSet } from './rowid-sets.js';

export type MatchKind = 'all' | 'words' | 'partial' | 'near';

export interface SearchHit {
  entry: ArchiveEntry;
  /** Higher is better (bm25's sign turned, times the re-ranking factors). */
  score: number;
}

export interface SearchPage {
  /** Every item the query finds (exact, not estimated). */
  total: number;
  /** Which step found them (see the module comment); `all` when nothing was found. */
  match: MatchKind;
  /** Hits `[start, end)`, best first. */
  hits: SearchHit[];
  /** The query as it was looked for (for highlighting). */
  terms: QueryTerms;
}

export interface ArchiveSearchOptions {
  db: ArchiveDb;
  archive: Archive;
  normalize: (text: string) => string;
  /** jieba's dictionary words of a query word, for step 2. */
  cut: (text: string) => string[];
  /** bm25 weights of headline, subheadline and body. */
  weights?: [number, number, number];
  /**
   * The search extension is loaded into `db` (see search-extension.ts): rank with `qrank()` instead
   * of bm25() and count from the lists of `phrase_rowids()` instead of COUNT(*): the same answers
   * from fewer scans.
   */
  extension?: boolean;
  /** Longest snippet in characters. */
  snippetMaxChars?: number;
}

export interface ArchiveSearch {
  search(query: ParsedQuery, start: number, end: number): SearchPage;
  /** Which of these item ids the query matches as /search lists them fully (steps 1-2). */
  matches(query: ParsedQuery, ids: readonly string[]): string[];
  /** How many items /search finds fully (steps 1-2). */
  count(query: ParsedQuery): number;
  /** The headline with matches marked, and the body sentence that matches best. */
  highlight(entry: ArchiveEntry, terms: QueryTerms): { title: MarkedText; snippet: MarkedText | null };
}

/** Hits re-ranked after bm25 (a reader looks at the first pages). */
const RERANK = 30;
/**
 * A query found in more items than this is ranked by bm25 among its newest WINDOW matches, the rest
 * following newest first: scoring every one of tens of thousands of matches (a common word in a
 * city paper: 衢州) costs tens of milliseconds, and for such a word the newest are what readers want.
 */
const WINDOW = 2_000;
/** Totals, window starts and heads of this many recent query steps are kept. */
const RECENT_QUERIES = 512;
/**
 * Bytes of matching-item lists kept (8 a match): a word in half of 200,000 items takes 0.8 MB, and
 * the county names and the words readers come back to stay within it.
 */
const SETS_BYTES = 32 * 2 ** 20;
/** Near matches are checked in the text for this many bm25-best candidates at most. */
const NEAR_CANDIDATES = 400;
/** Characters allowed between two characters of a near match. */
const NEAR_GAP = 3;
/** A query word found whole in the headline multiplies its score by this. */
const TITLE_BOOST = 1.6;
/** Recency: an item of the newest day gains up to this share, halving every RECENCY_HALF_LIFE days. */
const RECENCY_WEIGHT = 0.25;
const RECENCY_HALF_LIFE_DAYS = 180;

interface Plan {
  match: MatchKind;
  /** The FTS5 expression. */
  expression: string;
  /**
   * For qrank(), one IDF a phrase of the expression, in order, space-separated: 1 for the phrases of
   * the only word that scores (any constant orders its matches as bm25 does), 0 for excluded
   * words; when several words score, each word's IDF from its remembered count, or -1 (counted
   * by qrank, as bm25 counts). Made when the plan is first ranked.
   */
  idfs: () => string;
  terms: QueryTerms;
  /**
   * What the expression is made of, for counting from sets: phrases that must `all` match (or
   * `some` of them), and phrases excluded. Absent for near matches (counted from their rows).
   */
  parts?: { all?: string[]; some?: string[]; not: string[] };
  /** For near matches: the pattern each hit's text must hold. */
  near?: RegExp[];
}

/** @example const search = createArchiveSearch({ db, archive, normalize, cut }); search.search(parseQuery('硅烷', resolve), 0, 5) */
export function createArchiveSearch(options: ArchiveSearchOptions): ArchiveSearch {
  const { db, archive, normalize } = options;
  const [wTitle, wSubtitle, wBody] = options.weights ?? [4, 2.5, 1];
  // Statements take the match as @match and, for qrank(), each phrase's IDF as @idfs (see Plan.idfs).
  const rankSql = options.extension ? `qrank(items_fts, @idfs, ${wTitle}, ${wSubtitle}, ${wBody}, 0)` : `bm25(items_fts, ${wTitle}, ${wSubtitle}, ${wBody}, 0)`;
  const snippetMaxChars = options.snippetMaxChars ?? 120;
  const statements = {
    count: db.prepare('SELECT COUNT(*) FROM items_fts WHERE items_fts MATCH ?').pluck(),
    exists: db.prepare('SELECT 1 FROM items_fts WHERE items_fts MATCH ? LIMIT 1').pluck(),
    // bm25 among the newest matches. Read newest first with a LIMIT: FTS5 seeks to the end of each
    // list, while a lower bound on the rowid (`rowid >= ?`) is reached by reading the list from its start.
    top: db.prepare(
      `SELECT seq, rank FROM (SELECT rowid AS seq, ${rankSql} AS rank FROM items_fts WHERE items_fts MATCH @match ORDER BY rowid DESC LIMIT @window) ORDER BY rank, seq DESC LIMIT @limit OFFSET @offset`,
    ),
    // bm25 among all matches, when there are no more than the window: read in the lists' own order,
    // which costs less than from the end (a phrase in 1,246 of 50,000 items: 12.7 ms instead of 16).
    topOfAll: db.prepare(`SELECT rowid AS seq, ${rankSql} AS rank FROM items_fts WHERE items_fts MATCH @match ORDER BY rank, seq DESC LIMIT @limit OFFSET @offset`),
    newest: db.prepare('SELECT rowid AS seq, 0 AS rank FROM items_fts WHERE items_fts MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ? OFFSET ?'),
    heads: db.prepare(
      "SELECT seq, item ->> '$.title' AS title, item ->> '$.subtitle' AS subtitle, item ->> '$.date' AS date FROM items WHERE seq IN (SELECT value FROM json_each(?))",
    ),
    // Only with the extension: phrase_rowids() is its function (every match, from the first row's call).
    list: options.extension ? db.prepare('SELECT phrase_rowids(items_fts) FROM items_fts WHERE items_fts MATCH ? LIMIT 1').pluck() : null,
    // The same list and, when it holds no more than WINDOW rows, each row's rank as `topOfAll` ranks
    // a query of that phrase alone (qrank's IDF 1): such a query is then ranked from the list.
    rankedList: options.extension
      ? db.prepare(`SELECT phrase_rowids(items_fts, ${WINDOW}, ${wTitle}, ${wSubtitle}, ${wBody}, 0) FROM items_fts WHERE items_fts MATCH ? LIMIT 1`).pluck()
      : null,
    matchesIn: db.prepare('SELECT items.id FROM items_fts JOIN items ON items.seq = items_fts.rowid WHERE items_fts MATCH ? AND items.id IN (SELECT value FROM json_each(?))').pluck(),
  };

  const term = (raw: string): QueryTerm => {
    const text = normalize(raw.trim());
    return { text, words: [text] };
  };
  const baseTerms = (query: ParsedQuery): QueryTerms => {
    const keep = (t: QueryTerm) => t.text !== '' && !isStopWord(t.text) && ftsPhrase(t.text) !== null;
    return {
      words: dedupe(query.words.map(term).filter(keep)),
      phrases: dedupe(query.phrases.map(term).filter(keep)),
      excluded: dedupe(query.excluded.map(term).filter((t) => ftsPhrase(t.text) !== null)),
    };
  };
  const excludedPhrases = (terms: QueryTerms) => terms.excluded.map((t) => ftsPhrase(t.text)!);
  const notPart = (terms: QueryTerms) => excludedPhrases(terms).map((x) => ` NOT ${x}`).join('');
  const allOf = (phrases: string[], terms: QueryTerms) => `(${phrases.join(' AND ')})${notPart(terms)}`;
  /**
   * Plan.idfs for these scoring parts followed by the terms' exclusions: `one` word, or `each` word
   * weighed by its count (as bm25 weighs it; a part of alternatives is counted by qrank itself).
   */
  const idfsOf = (scoring: string[], weigh: 'one' | 'each', terms: QueryTerms): (() => string) => {
    let made: string | null = null;
    return () =>
      (made ??= [
        ...scoring.flatMap((part) => {
          const n = phraseCount(part);
          if (weigh === 'one') return Array<string>(n).fill('1');
          return n === 1 ? [String(wordIdf(part))] : Array<string>(n).fill('-1');
        }),
        ...terms.excluded.flatMap((t) => Array<string>(phraseCount(ftsPhrase(t.text)!)).fill('0')),
      ].join(' '));
  };

  /**
   * Totals, window starts and ranked heads of recent queries (a reader turning pages, a popular
   * word): counting or ranking a common word's matches reads its whole list. Forgotten whenever the
   * archive changes.
   */
  const recent = new Map<string, unknown>();
  let recentGeneration = -1;
  const remembered = <T>(key: string, work: () => T): T => {
    if (recentGeneration !== archive.generation) {
      recent.clear();
      recentGeneration = archive.generation;
    }
    let value = recent.get(key) as T | undefined;
    if (value === undefined) {
      value = work();
      if (recent.size >= RECENT_QUERIES) recent.delete(recent.keys().next().value!);
      recent.set(key, value);
    }
    return value;
  };

  /** The plan's expression, restricted to the county's items when one is named. */
  const countyPhrase = (county: string) => `county : "${county.replaceAll('"', '""')}"`;
  const matching = (plan: Plan, county: string | null): string => (county === null ? plan.expression : `${countyPhrase(county)} AND ${plan.expression}`);
  /** The parameters of a ranking statement: the county's phrase (first, when named) does not score. */
  const ranking = (plan: Plan, county: string | null) => ({ match: matching(plan, county), idfs: county === null ? plan.idfs() : `0 ${plan.idfs()}` });

  /**
   * bm25's IDF of one phrase, from its count over the whole archive: remembered, so the common words
   * that come back in many queries are counted once, not once a query as bm25 counts them.
   */
  const wordIdf = (phrase: string): number => {
    const rows = remembered('rows', () => archive.count());
    // The key and expression of a query of this word alone (see allOf), so the two share the count.
    const expression = `(${phrase})`;
    const hits = remembered(`n\u0000\u0000${expression}`, () => keptSet(phrase)?.length ?? (statements.count.get(expression) as number));
    const idf = Math.log((rows - hits + 0.5) / (hits + 0.5));
    return idf > 0 ? idf : 1e-6;
  };

  /**
   * The items a phrase (or any part of an expression) matches, kept for the queries to come, up to
   * SETS_BYTES (the least recently used go first). Forgotten whenever the archive changes.
   */
  const sets = new Map<string, RowidSet>();
  /** The ranks that came with a kept list (see statements.rankedList), in its order. */
  const ranksOf = new WeakMap<RowidSet, Float64Array>();
  const keptBytes = (set: RowidSet) => set.byteLength + (ranksOf.get(set)?.byteLength ?? 0);
  let setsBytes = 0;
  let setsGeneration = -1;
  const keptSet = (phrase: string): RowidSet | undefined => {
    if (setsGeneration !== archive.generation) {
      sets.clear();
      setsBytes = 0;
      setsGeneration = archive.generation;
    }
    const set = sets.get(phrase);
    // Used again: the last to go (the words readers come back to stay while one-off words pass).
    if (set !== undefined) {
      sets.delete(phrase);
      sets.set(phrase, set);
    }
    return set;
  };
  /** The phrase's list, kept; with its ranks when `ranked` (a query of this phrase alone) and they are cheap. */
  const phraseSet = (phrase: string, ranked = false): RowidSet => {
    let set = keptSet(phrase);
    if (set === undefined) {
      // Ascending, as phrase_rowids() returns them (its test holds it to MATCH … ORDER BY rowid).
      if (ranked) {
        // The rowids, their ranks, then how many ranks (none past WINDOW rows).
        const all = setFromBlob((statements.rankedList!.get(`(${phrase})`) as Uint8Array | undefined) ?? null);
        const ranks = all.length > 0 ? all[all.length - 1]! : 0;
        const rows = Math.max(0, all.length - 1 - ranks);
        set = all.subarray(0, rows);
        if (ranks > 0) ranksOf.set(set, all.subarray(rows, rows + ranks));
      } else {
        set = setFromBlob((statements.list!.get(`(${phrase})`) as Uint8Array | undefined) ?? null);
      }
      const bytes = keptBytes(set);
      for (const [old, kept] of sets) {
        if (setsBytes + bytes <= SETS_BYTES) break;
        sets.delete(old);
        setsBytes -= keptBytes(kept);
      }
      if (setsBytes + bytes <= SETS_BYTES) {
        sets.set(phrase, set);
        setsBytes += bytes;
      }
    }
    return set;
  };

  /**
   * The plan's rows ranked from its list's ranks, when it is one phrase alone (no county, nothing
   * excluded) and its list came with them: what `topOfAll` returns, without walking the phrase's
   * lists again (a long phrase at 200,000 items: 4.3 ms). Null otherwise.
   */
  const rowsFromRanks = (plan: Plan, county: string | null): Array<{ seq: number; rank: number }> | null => {
    const phrase = plan.parts?.all?.length === 1 && plan.parts.not.length === 0 && county === null ? plan.parts.all[0]! : null;
    if (phrase === null || plan.idfs() !== '1') return null;
    const set = keptSet(phrase);
    const ranks = set && ranksOf.get(set);
    if (!set || !ranks) return null;
    const rows = Array.from(set, (seq, i) => ({ seq, rank: ranks[i]! }));
    return rows.sort((a, b) => a.rank - b.rank || b.seq - a.seq);
  };

  /** How many items the plan matches, from its parts' lists (with the extension): what COUNT(*) counts. */
  const countParts = (plan: Plan, county: string | null): number => {
    const parts = plan.parts!;
    // Several words (or a word and a county), one of them never listed: first whether any item has
    // them all. FTS5 answers that from the rarest word's list (院东农场 高质量发展 at 200,000 items:
    // 0.1 ms), so a query that finds nothing reads no common word's whole list (高质量发展: 7 ms).
    const required = (parts.all?.length ?? 0) + (county === null ? 0 : 1);
    if (required > 1 && parts.all!.some((phrase) => keptSet(phrase) === undefined) && statements.exists.get(matching(plan, county)) === undefined) return 0;
    // One phrase alone: its ranks come with its list when few enough (see rowsFromRanks).
    const alone = county === null && parts.not.length === 0 && parts.all?.length === 1;
    const all = parts.all ? parts.all.map((phrase) => phraseSet(phrase, alone)) : [parts.some!.map((phrase) => phraseSet(phrase)).reduce(union)];
    if (county !== null) all.push(phraseSet(countyPhrase(county)));
    return countAll(all, parts.not.map((phrase) => phraseSet(phrase)));
  };

  /** Totals from the parts' lists (with the extension: a list costs what a count costs), else COUNT(*). */
  const countPlan = (plan: Plan, county: string | null): number =>
    remembered(`n\u0000${county ?? ''}\u0000${plan.expression}`, () =>
      statements.list && plan.parts ? countParts(plan, county) : (statements.count.get(matching(plan, county)) as number),
    );

  /** Step 1: every word and phrase whole. Null when nothing is left to look for, or nothing can match. */
  const wholePlan = (query: ParsedQuery): Plan | null => {
    const terms = baseTerms(query);
    const units = [...terms.phrases, ...terms.words];
    if (units.length === 0) return null;
    // `发展 -发展`, `乡村振兴 -振兴`: whatever holds the word holds what is excluded. Nothing, at once
    // (the near step would otherwise find the characters apart).
    if (terms.excluded.some((x) => units.some((u) => u.text.includes(x.text)))) return null;
    const phrases = units.map((t) => ftsPhrase(t.text)!);
    // One word typed two ways (`2023 年度`: with or without its own token) is two phrases, which bm25 weighs apart.
    const single = phrases.length === 1 && phraseCount(phrases[0]!) === 1;
    return {
      match: 'all',
      expression: allOf(phrases, terms),
      idfs: idfsOf(phrases, single ? 'one' : 'each', terms),
      terms,
      parts: { all: phrases, not: excludedPhrases(terms) },
    };
  };

  /**
   * Step 2: words the dictionary splits into words of two characters or more, each required.
   * Null when no word splits so (a split into single characters is left to the near step).
   */
  const wordsPlan = (whole: Plan): Plan | null => {
    const { terms } = whole;
    let splits = false;
    const words = terms.words.map((t) => {
      if ([...t.text].length < 3) return t;
      const parts = contentWords(options.cut(t.text));
      if (parts.length < 2 || parts.some((w) => [...w].length < 2)) return t;
      splits = true;
      return { ...t, words: parts };
    });
    if (!splits) return null;
    const phrases = [...terms.phrases.map((t) => ftsPhrase(t.text)!), ...words.flatMap((t) => t.words.map((w) => ftsPhrase(w)!))];
    return {
      match: 'words',
      expression: allOf(phrases, terms),
      idfs: idfsOf(phrases, 'each', terms),
      terms: { ...terms, words },
      parts: { all: phrases, not: excludedPhrases(terms) },
    };
  };

  /** Steps 1 and 2 as /search takes them: the second only when the first finds nothing. */
  function* fullPlans(query: ParsedQuery): Generator<Plan> {
    const whole = wholePlan(query);
    if (!whole) return;
    yield whole;
    const words = wordsPlan(whole);
    if (words) yield words;
  }

  /** Steps 3 and 4, for a query that nothing matches fully. */
  const fallbackPlans = (full: Plan[]): Plan[] => {
    const { terms } = full[full.length - 1]!;
    const units = [...terms.phrases.map((t) => [t.text]), ...terms.words.map((t) => (t.words.length > 0 ? t.words : [t.text]))].flat();
    const plans: Plan[] = [];
    if (units.length > 1) {
      const phrases = units.map((u) => ftsPhrase(u)!);
      plans.push({
        match: 'partial',
        expression: `(${phrases.join(' OR ')})${notPart(terms)}`,
        // Each word's count is known once the total is (its list, kept): qrank() counting them again
        // read every list whole (院东农场 高质量发展 at 200,000 items: 8 ms of the query's 11).
        idfs: idfsOf(phrases, 'each', terms),
        terms,
        parts: { some: phrases, not: excludedPhrases(terms) },
      });
    }
    const base = full[0]!.terms;
    const nearUnits = [...base.phrases, ...base.words].filter((t) => [...t.text].length >= 2);
    if (nearUnits.length > 0) {
      const groups = nearUnits.map((t) => {
        const chars = ftsCharacters(t.text);
        return `NEAR(${chars.join(' ')}, ${(chars.length - 1) * (NEAR_GAP + 1)})`;
      });
      const near = nearUnits.map((t) => new RegExp([...t.text].map(escapeRegExp).join(`[^]{0,${NEAR_GAP}}`), 'u'));
      // Candidates weighed alike, not by counts: each character is a prefix whose count over the
      // archive reads every bigram it starts (half of 140 ms for 上溪村游客的获得感 at 50,000 items).
      plans.push({ match: 'near', expression: `(${groups.join(' AND ')})${notPart(terms)}`, idfs: idfsOf(groups, 'one', terms), terms: base, near });
    }
    return plans;
  };

  const newestDay = (): number | null => {
    const date = archive.newestDate();
    return date ? Date.parse(`${date}T00:00:00Z`) / 86_400_000 : null;
  };

  /** The item number of the oldest of the newest WINDOW matches (asked only when there are more). */
  const windowStart = (plan: Plan, county: string | null): number =>
    remembered(`w\u0000${county ?? ''}\u0000${plan.expression}`, () => {
      const rows = statements.newest.all(matching(plan, county), Number.MAX_SAFE_INTEGER, 1, WINDOW - 1) as Array<{ seq: number }>;
      return rows[0]?.seq ?? 0;
    });

  /** Rows by bm25 among the newest WINDOW matches, or among all of them when there are no more (or `total` is not known). */
  const rankedRows = (plan: Plan, county: string | null, total: number | null, limit: number, offset = 0): Array<{ seq: number; rank: number }> => {
    const ranked = rowsFromRanks(plan, county);
    if (ranked) return ranked.slice(offset, offset + limit);
    return (
      total === null || total <= WINDOW
        ? statements.topOfAll.all({ ...ranking(plan, county), limit, offset })
        : statements.top.all({ ...ranking(plan, county), window: WINDOW, limit, offset })
    ) as Array<{ seq: number; rank: number }>;
  };

  /** Rows older than the window, newest first. */
  const olderRows = (plan: Plan, county: string | null, before: number, limit: number, offset: number): Array<{ seq: number; rank: number }> =>
    statements.newest.all(matching(plan, county), before, limit, offset) as Array<{ seq: number; rank: number }>;

  const entryHit = (row: { seq: number; rank: number }): SearchHit | null => {
    const entry = archive.bySeq(row.seq);
    return entry ? { entry, score: -row.rank } : null;
  };

  const hitsOf = (plan: Plan, county: string | null, total: number, start: number, end: number): SearchHit[] => {
    const inWindow = Math.min(total, WINDOW);
    const hits: SearchHit[] = [];
    if (start < RERANK) {
      // The head, re-ranked: whole words in the headline, then recency. Only the headline and date
      // are read for it (SQLite's JSON functions), and only the page's hits become entries.
      const today = newestDay();
      const units = [...plan.terms.phrases, ...plan.terms.words];
      const size = Math.max(RERANK, Math.min(end, inWindow));
      const head = remembered(`h\u0000${county ?? ''}\u0000${size}\u0000${plan.expression}`, () => rankedRows(plan, county, total, size));
      const heads = new Map(
        (statements.heads.all(JSON.stringify(head.slice(0, RERANK).map((row) => row.seq))) as Array<{ seq: number; title: string; subtitle: string | null; date: string | null }>).map((h) => [h.seq, h]),
      );
      const scored = head.map((row, n) => {
        let score = -row.rank;
        const known = n < RERANK ? heads.get(row.seq) : undefined;
        if (known) {
          const title = normalize(`${known.title} ${known.subtitle ?? ''}`);
          if (units.length > 0 && units.every((t) => title.includes(t.text) || (t.words.length > 1 && t.words.every((w) => title.includes(w))))) score *= TITLE_BOOST;
          if (today !== null && known.date) {
            const age = Math.max(0, today - Date.parse(`${known.date}T00:00:00Z`) / 86_400_000);
            score *= 1 + RECENCY_WEIGHT * 0.5 ** (age / RECENCY_HALF_LIFE_DAYS);
          }
        }
        return { seq: row.seq, rank: -score };
      });
      const reranked = scored.slice(0, RERANK).sort((a, b) => a.rank - b.rank || b.seq - a.seq);
      hits.push(
        ...[...reranked, ...scored.slice(RERANK)]
          .slice(start, Math.min(end, inWindow))
          .map(entryHit)
          .filter((hit): hit is SearchHit => hit !== null),
      );
    } else if (start < inWindow) {
      hits.push(...rankedRows(plan, county, total, Math.min(end, inWindow) - start, start).map(entryHit).filter((hit): hit is SearchHit => hit !== null));
    }
    if (end > inWindow && total > WINDOW) {
      const offset = Math.max(0, start - inWindow);
      hits.push(...olderRows(plan, county, windowStart(plan, county), end - Math.max(start, inWindow), offset).map(entryHit).filter((hit): hit is SearchHit => hit !== null));
    }
    return hits;
  };

  /** Near matches: candidates by FTS, kept when the characters really are in order and close. */
  // Remembered: the NEAR groups' one-character prefixes read every word that starts with each
  // character (20-30 ms for common characters at 50,000 items), which a reader turning the page
  // would otherwise pay again.
  const nearRows = (plan: Plan, county: string | null): Array<{ seq: number; rank: number }> =>
    remembered(`r\u0000${county ?? ''}\u0000${plan.expression}`, () =>
      rankedRows(plan, county, null, NEAR_CANDIDATES).filter((row) => {
        const entry = archive.bySeq(row.seq);
        if (!entry) return false;
        const text = normalize(`${entry.item.title}\n${entry.item.subtitle ?? ''}\n${entry.item.paragraphs.join('\n')}`);
        return plan.near!.every((pattern) => pattern.test(text));
      }),
    );
  const hitsOfRows = (rows: Array<{ seq: number; rank: number }>): SearchHit[] => rows.map(entryHit).filter((hit): hit is SearchHit => hit !== null);

  const search = (query: ParsedQuery, start: number, end: number): SearchPage => {
    const tried: Plan[] = [];
    for (const plan of fullPlans(query)) {
      tried.push(plan);
      const total = countPlan(plan, query.county);
      if (total > 0) return { total, match: plan.match, hits: end > start ? hitsOf(plan, query.county, total, start, end) : [], terms: plan.terms };
    }
    if (tried.length === 0) return { total: 0, match: 'all', hits: [], terms: { words: [], phrases: [], excluded: [] } };
    for (const plan of fallbackPlans(tried)) {
      if (plan.near) {
        const rows = nearRows(plan, query.county);
        if (rows.length === 0) continue;
        const terms = { ...plan.terms, words: [...plan.terms.words, ...nearWords(hitsOfRows(rows.slice(0, 20)), plan.near)] };
        return { total: rows.length, match: 'near', hits: hitsOfRows(rows.slice(start, end)), terms };
      }
      const total = countPlan(plan, query.county);
      if (total > 0) return { total, match: plan.match, hits: end > start ? hitsOf(plan, query.county, total, start, end) : [], terms: plan.terms };
    }
    return { total: 0, match: 'all', hits: [], terms: tried[0]!.terms };
  };

  /** The plan /search lists fully for this query (step 1, else step 2), or null. */
  const fullPlan = (query: ParsedQuery): Plan | null => {
    for (const plan of fullPlans(query)) if (countPlan(plan, query.county) > 0) return plan;
    return null;
  };

  return {
    search,
    matches(query, ids) {
      if (ids.length === 0) return [];
      const plan = fullPlan(query);
      if (!plan) return [];
      const found = new Set(statements.matchesIn.all(matching(plan, query.county), JSON.stringify(ids)) as string[]);
      return ids.filter((id) => found.has(id));
    },
    count(query) {
      const plan = fullPlan(query);
      return plan ? countPlan(plan, query.county) : 0;
    },
    highlight(entry, terms) {
      return {
        title: markText(entry.item.title, normalize, highlightNeedles(terms)),
        snippet: bestSnippet(entry.item.paragraphs, terms, normalize, snippetMaxChars),
      };
    },
  };
}

/** The text the near patterns matched, as extra words to mark (e.g. `炒制茶`). */
function nearWords(hits: SearchHit[], patterns: RegExp[]): QueryTerm[] {
  const words = new Set<string>();
  for (const { entry } of hits) {
    const text = `${entry.item.title}\n${entry.item.paragraphs.join('\n')}`;
    for (const pattern of patterns) {
      const found = pattern.exec(text);
      if (found) words.add(found[0]);
    }
  }
  return [...words].map((text) => ({ text, words: [text] }));
}

function contentWords(words: string[]): string[] {
  return words.filter((w) => !isStopWord(w) && /[\p{L}\p{N}]/u.test(w));
}

/** How many phrases FTS5 counts in a part of an expression: its quoted strings (`""` inside one is a quote). */
function phraseCount(expression: string): number {
  return expression.match(/"(?:[^"]|"")*"/gu)?.length ?? 0;
}

function dedupe(terms: QueryTerm[]): QueryTerm[] {
  const seen = new Set<string>();
  return terms.filter((t) => !seen.has(t.text) && seen.add(t.text));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
