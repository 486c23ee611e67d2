/**
 * The full-text index over indexed items: jieba words and character bigrams in compact postings
 * (postings-store.ts), scored with MiniSearch's BM25 (a test holds the scores to MiniSearch's own).
 *
 * How Chinese query and text are made to meet when jieba cuts them differently:
 * - the text is cut finer (cutForSearch: long words and their sub-words) than the query (cut);
 * - every title and body also gets character bigrams, a field that matches whatever the cut;
 * - place names from the gazetteer are user words of the segmenter (its `words` option);
 * - a word found whole in the headline, or with all its bigrams in the body, multiplies the score.
 * A query word matches an item when all its jieba words are among the item's words, or all its
 * bigrams among the item's bigrams. Several words must all match; only when no item has them all
 * do items with some of them come back, marked `partial`. Queries are evaluated by postings-query.ts.
 *
 * Why not MiniSearch itself: its postings cost ~42 bytes each (a Map entry per item and term), and
 * with the bigram fields an item has ~1,500 of them: 3 GB of heap at 50,000 items, and a restart
 * had to rebuild every Map. The compact store takes ~2 bytes a posting and restores as it was saved.
 */
import type { MarkedText } from '../answers/answer.js';
import type { IndexedItem } from '../pages/item.js';
import type { Segmenter } from '../text/segmenter.js';
import { isAllHan, isSingleHan } from './character-grams.js';
import { PostingsStore, type PostingsSnapshot } from './postings-store.js';
import { foldedMatcher } from './folded-match.js';
import { createRecentResults } from './recent-results.js';
import { documentTerms, fieldKeys, wordTerms, type DocumentTerms } from './document-terms.js';
import { closeTerms } from './close-terms.js';
import { encodeTerm } from './term-keys.js';
import { ScratchArrays } from './scratch-arrays.js';
import type { PreparedTerms } from './prepared-terms.js';
import { rankPermutation } from './rank-order.js';
import { bestSnippet, highlightNeedles, markText } from './highlight.js';
import type { ParsedQuery } from './query.js';
import { evaluateQuery, type EvaluatedQuery, type QueryBranch, type QuerySlot } from './postings-query.js';
import { analyzeQuery, type QueryTerm, type QueryTerms } from './query-terms.js';

export interface RankedHit {
  id: string;
  score: number;
  /** True for the fallback when no item has every word: this item has only some of them. */
  partial: boolean;
}

export type IndexField = 'title' | 'subtitle' | 'body' | 'titleGrams' | 'bodyGrams';

export interface SearchIndexOptions {
  /** Index character bigrams as the fallback fields. Default true. */
  grams?: boolean;
  /** Weight of each field in the score. */
  fieldBoost?: Partial<Record<IndexField, number>>;
  /** Score multipliers for a query word found whole in the headline/subheadline, or in the body. */
  verbatimBoost?: { title?: number; body?: number };
  /** Longest snippet, in characters, before it is cut around the match. Default 120. */
  snippetMaxChars?: number;
}

export interface SearchIndex {
  /** Adds items; an item whose id is already indexed replaces the old one. */
  add(entries: IndexedItem[]): void;
  /** As `add`, with each item's terms already cut (`documentTerms`, same order): no jieba here. */
  addWithTerms(entries: IndexedItem[], terms: DocumentTerms[]): void;
  /** As `addWithTerms`, with the terms already made into a segment (`prepareTerms`, same order). */
  addPrepared(entries: IndexedItem[], prepared: PreparedTerms): void;
  /** Everything the index holds but the items themselves, to restore it without cutting anything. */
  snapshot(): SearchIndexSnapshot;
  /** Removes items by id; unknown ids are ignored. */
  remove(ids: string[]): void;
  /** Every matching item, best first (ties: newer first). The county filter applies on top of the query's own. */
  search(query: ParsedQuery, filter?: { county?: string | null }): RankedHit[];
  /** Hits [start, end) of what `search` gives, and how many it gives in all (a page without the rest). */
  searchRange(query: ParsedQuery, start: number, end: number, filter?: { county?: string | null }): { total: number; hits: RankedHit[] };
  /** The headline with matches marked, and the best matching body sentence. */
  highlight(entry: IndexedItem, query: ParsedQuery): { title: MarkedText; snippet: MarkedText | null };
  /** Queries close to this one that do find something, best first (at most five). */
  suggest(query: ParsedQuery): string[];
  /** Which of these items the query matches, as `search` would (all words; no partial fallback). */
  matches(query: ParsedQuery, ids: string[]): string[];
  /** How many items are indexed. */
  readonly size: number;
}

const DEFAULT_FIELD_BOOST: Record<IndexField, number> = {
  title: 4,
  subtitle: 2.5,
  body: 1,
  titleGrams: 2,
  bodyGrams: 0.5,
};
const DEFAULT_VERBATIM_BOOST = { title: 2, body: 1.5 };
const DEFAULT_SNIPPET_MAX_CHARS = 120;
const MAX_SUGGESTIONS = 5;
/** Searches (and suggestion lists) remembered: enough for readers paging and popular queries. */
const RECENT_SEARCHES = 32;
const MAX_SUGGESTION_WORDS = 4;
/** Phrases and exclusions whose per-item scan results are kept (a byte per item each). */
const RECENT_NEEDLES = 32;
/** Close words for long terms cost much and find nothing a reader meant. */
const MAX_FUZZY_LENGTH = 8;

const WORD_FIELDS: IndexField[] = ['title', 'subtitle', 'body'];
const GRAM_FIELDS: IndexField[] = ['titleGrams', 'bodyGrams'];

/** The index without its items: postings, and per item the normalised heading (and traditional body). */
export interface SearchIndexSnapshot {
  grams: boolean;
  postings: PostingsSnapshot;
  /** Item id → normalised heading. */
  headings: Array<[string, string]>;
  /** Item id → normalised body, for the few items in traditional characters. */
  traditionalBodies: Array<[string, string]>;
}

/** Whether a value read back from disk is a snapshot this code can restore (anything else is rebuilt). */
export function isSearchIndexSnapshot(value: unknown): value is SearchIndexSnapshot {
  const s = value as Partial<SearchIndexSnapshot> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.grams === 'boolean' &&
    Array.isArray(s.headings) &&
    Array.isArray(s.traditionalBodies) &&
    PostingsStore.isSnapshot(s.postings)
  );
}

/**
 * A word or phrase to find exactly in normalised text, checked against raw paragraphs: in a
 * simplified-Chinese body only width and case change, and those never touch Han characters, so a
 * Han-only needle is found in the raw text as is; others are compared folded (folded-match.ts).
 */
interface Needle {
  text: string;
  /** Han only: found in raw paragraphs as it is. */
  han: boolean;
  inRaw: (paragraph: string) => boolean;
  /**
   * Marks (by document number) of items whose body words include the whole needle, or null. Body
   * words are cut from the normalised body and a word never spans paragraphs, so such an item
   * surely contains the needle: no paragraph is scanned (an exclusion of a common word had
   * thousands of such items per query).
   */
  surely: Uint8Array | null;
  /**
   * Per document number: 0 not scanned yet, 1 the body holds the needle, 2 it does not. Kept for
   * the last few needles (a phrase or exclusion recurs: paging, subscriptions, the same topic asked
   * again), forgotten when the items change; a phrase found in 30,000 bodies costs ~60 ms to scan.
   */
  known: Uint8Array;
}

/** What ranking needs of an item, by its document number (one shape, read thousands of times a query). */
interface DocSlot {
  id: string;
  county: string | null;
  order: number;
  entry: IndexedItem;
  heading: string;
  /** The normalised body when normalisation changes its Han characters (traditional text), else null. */
  traditional: string | null;
  /** The item's paragraphs, one hop nearer than entry.item (phrase checks read thousands a query). */
  paragraphs: readonly string[];
}

/**
 * Ranked hits, as ranked and as kept between searches: typed arrays, not an object per hit (a
 * common word's 40,000 hit objects, kept for paging, outlived the young generation and filled the
 * old one: major collections of ~270 MB of heap every few seconds of searching at 50,000 items).
 */
interface RankedDocs {
  /** Document numbers, best first. */
  docs: Int32Array;
  scores: Float64Array;
  partial: boolean;
}

const NO_DOCS: RankedDocs = { docs: new Int32Array(0), scores: new Float64Array(0), partial: false };

/**
 * Creates an empty index. The segmenter normalises and cuts both the items and the queries.
 *
 * @example
 * const index = createSearchIndex(createSegmenter({ words: placeWords(gazetteer) }));
 * index.add(entries);
 * index.search(parseQuery('停车场 江山', (w) => resolveCounty(gazetteer, w)));
 */
export function createSearchIndex(
  seg: Segmenter,
  options: SearchIndexOptions = {},
  restore?: { snapshot: SearchIndexSnapshot; entries: readonly IndexedItem[] },
): SearchIndex {
  const useGrams = options.grams ?? true;
  const fieldBoost = { ...DEFAULT_FIELD_BOOST, ...options.fieldBoost };
  const verbatimBoost = { ...DEFAULT_VERBATIM_BOOST, ...options.verbatimBoost };
  const snippetMaxChars = options.snippetMaxChars ?? DEFAULT_SNIPPET_MAX_CHARS;
  const fields = useGrams ? [...WORD_FIELDS, ...GRAM_FIELDS] : WORD_FIELDS;
  const fieldIds: Record<string, number> = Object.fromEntries(fields.map((field, i) => [field, i]));

  const entries = new Map<string, IndexedItem>();
  /** Per-document work arrays, reused from query to query (see scratch-arrays.ts). */
  const scratch = new ScratchArrays();
  /** Normalised headline + subheadline, short enough to keep: exact headline checks cost nothing. */
  const headings = new Map<string, string>();
  /** Normalised bodies of items whose Han characters normalisation changes (traditional text). */
  const normalizedBodies = new Map<string, string>();
  /** Per store document number: its item and heading (ranking walks thousands of documents per query). */
  const byDoc: Array<DocSlot | undefined> = [];
  const placeDoc = (entry: IndexedItem): void => {
    const doc = store.docOf(entry.item.id);
    if (doc < 0) return;
    // Kept dense (filled in order), so V8 keeps it a fast array, not a dictionary.
    while (byDoc.length <= doc) byDoc.push(undefined);
    const id = entry.item.id;
    byDoc[doc] = { id, county: entry.item.county, order: entry.order, entry, heading: headings.get(id) ?? '', traditional: normalizedBodies.get(id) ?? null, paragraphs: entry.item.paragraphs };
  };
  let store: PostingsStore;
  if (restore && restore.snapshot.grams === useGrams && restore.snapshot.postings.fieldCount === fields.length) {
    store = PostingsStore.fromSnapshot(restore.snapshot.postings);
    for (const [id, heading] of restore.snapshot.headings) headings.set(id, heading);
    for (const [id, body] of restore.snapshot.traditionalBodies) normalizedBodies.set(id, body);
    for (const entry of restore.entries) if (store.has(entry.item.id)) entries.set(entry.item.id, entry);
    for (const entry of [...entries.values()].sort((a, b) => store.docOf(a.item.id) - store.docOf(b.item.id))) placeDoc(entry);
    // Items the snapshot has but the caller no longer does (their page changed or went) leave.
    const gone = store.liveIds().filter((id) => !entries.has(id));
    for (const id of gone) byDoc[store.docOf(id)] = undefined;
    store.remove(gone);
    for (const id of gone) {
      headings.delete(id);
      normalizedBodies.delete(id);
    }
  } else {
    store = new PostingsStore(fields.length);
  }

  const clearRecent = (): void => {
    recentSearches.clear();
    recentSuggestions.clear();
    recentNeedles.clear();
  };

  /** Unlinks the ids' current documents from ranking (their store documents are replaced next). */
  const forgetDocs = (ids: readonly string[]): void => {
    for (const id of ids) {
      const doc = store.docOf(id);
      if (doc >= 0) byDoc[doc] = undefined;
    }
  };
  const remember = (entry: IndexedItem, heading: string, traditionalBody: string | null): void => {
    const id = entry.item.id;
    entries.set(id, entry);
    headings.set(id, heading);
    if (traditionalBody !== null) normalizedBodies.set(id, traditionalBody);
    else normalizedBodies.delete(id);
  };

  const addAll = (newEntries: readonly IndexedItem[], termsOf: (entry: IndexedItem, i: number) => DocumentTerms): void => {
    clearRecent();
    forgetDocs(newEntries.map((entry) => entry.item.id));
    const documentFields: Array<DocumentTerms['fields']> = [];
    newEntries.forEach((entry, i) => {
      const terms = termsOf(entry, i);
      remember(entry, terms.heading, terms.traditionalBody);
      documentFields.push(terms.fields);
    });
    store.add(
      newEntries.map((entry) => entry.item.id),
      (i) => documentFields[i]!.slice(0, fields.length).map((field) => ({ keys: fieldKeys(field), counts: field.counts })),
    );
    for (const entry of newEntries) placeDoc(entries.get(entry.item.id)!);
  };

  /**
   * Exact containment in the normalised text, without normalising whole bodies per query: in a
   * simplified-Chinese body only width and case change, and those never touch Han characters, so a
   * Han-only needle is found in the raw text as is. Bodies in traditional characters (rare) keep
   * their normalised text.
   */
  const contains = (doc: number, placed: DocSlot, needle: Needle): boolean => {
    if (needle.surely !== null && needle.surely[doc] === 1) return true;
    if (placed.heading.includes(needle.text)) return true;
    const known = needle.known[doc]!;
    if (known !== 0) return known === 1;
    const found = scanBody(placed, needle);
    needle.known[doc] = found ? 1 : 2;
    return found;
  };
  const scanBody = (placed: DocSlot, needle: Needle): boolean => {
    if (placed.traditional !== null) return placed.traditional.includes(needle.text);
    const { paragraphs } = placed;
    if (needle.han) {
      for (let i = 0; i < paragraphs.length; i++) if (paragraphs[i]!.includes(needle.text)) return true;
      return false;
    }
    for (let i = 0; i < paragraphs.length; i++) if (needle.inRaw(paragraphs[i]!)) return true;
    return false;
  };

  const wordBranch = (term: QueryTerm): QueryBranch => term.words.map((w) => ({ term: w, fields: WORD_FIELDS, prefix: false }));
  /** All the term's bigrams in the gram fields; a one-character word by prefix. */
  const gramBranch = (term: QueryTerm): QueryBranch => term.grams.map((g) => ({ term: g, fields: GRAM_FIELDS, prefix: isSingleHan(g) }));
  /** A term matches by its jieba words or by its bigrams: branch 0 and (with grams) branch 1. */
  const termBranches = (term: QueryTerm): QueryBranch[] => (useGrams ? [wordBranch(term), gramBranch(term)] : [wordBranch(term)]);
  const branchesPerTerm = useGrams ? 2 : 1;

  const needleOf = (text: string): Needle => ({
    known: recentNeedles.get(text, () => new Uint8Array(store.docSpace)),
    text,
    han: isAllHan(text),
    inRaw: isAllHan(text) ? (part) => part.includes(text) : foldedMatcher(text),
    surely: isAllHan(text) ? marksOf(store.list(fieldIds['body']!, encodeTerm(text)).docs) : null,
  });
  const marksOf = (docs: ArrayLike<number>): Uint8Array | null => {
    if (docs.length === 0) return null;
    const marks = new Uint8Array(store.docSpace);
    for (let i = 0; i < docs.length; i++) marks[docs[i]!] = 1;
    return marks;
  };

  /** Per excluded term, marks of the items that might contain it (all its bigrams; null: any item might). */
  const exclusionCandidates = (terms: QueryTerms): Array<{ needle: Needle; docs: Uint8Array | null }> =>
    terms.excluded.map((term) => ({
      needle: needleOf(term.text),
      docs: useGrams && term.grams.length > 0 ? mayContain(term) : null,
    }));
  const mayContain = (term: QueryTerm): Uint8Array => {
    const evaluated = evaluateQuery(store, fieldIds, [[gramBranch(term)]], fieldBoost, scratch);
    const marks = marksOf(evaluated.docNumbers) ?? new Uint8Array(0);
    evaluated.release();
    return marks;
  };

  const rank = (
    terms: QueryTerms,
    county: string | null,
    filterCounty: string | null | undefined,
    mode: 'all' | 'any',
  ): RankedDocs => {
    const positive = [...terms.words, ...terms.phrases];
    if (positive.length === 0) return NO_DOCS;
    const slots: QuerySlot[] =
      mode === 'all' ? positive.map(termBranches) : [terms.words.flatMap(termBranches), ...terms.phrases.map(termBranches)];
    const evaluated = evaluateQuery(store, fieldIds, slots, fieldBoost, scratch);
    const exclusions = evaluated.docNumbers.length > 0 ? exclusionCandidates(terms) : [];
    const joined = positive.length > 1 ? terms.words.map((t) => t.text).join('') : null;
    const inBody = positive.map((term) => evaluated.allMatchedIn(term.grams, 'bodyGrams'));
    // A phrase in the text has all its grams in the heading's or the body's grams (see
    // `gramsNecessary`): an item its gram branch did not match (found by the phrase's words alone)
    // cannot contain it, unscanned.
    const phrases = terms.phrases.map((p, j) => ({
      needle: needleOf(p.text),
      gramSlot: useGrams && gramsNecessary(p) ? (mode === 'all' ? terms.words.length : 1) + j : -1,
    }));
    // Hits as columns, not objects (see RankedDocs).
    const capacity = evaluated.docNumbers.length;
    const hitDocs = new Int32Array(capacity);
    const scores = new Float64Array(capacity);
    const orders = new Float64Array(capacity);
    const matchedCounts = new Float64Array(capacity);
    let n = 0;
    for (const doc of evaluated.docNumbers) {
      const placed = byDoc[doc];
      if (placed === undefined) continue;
      const { heading } = placed;
      const itemCounty = placed.county;
      if (county !== null && itemCounty !== county) continue;
      if (filterCounty !== undefined && filterCounty !== null && itemCounty !== filterCounty) continue;
      // Exact checks last, on the few items still in: excluded words, then required phrases.
      if (exclusions.length > 0 && isExcluded(exclusions, doc, placed)) continue;
      if (phrases.length > 0 && !hasPhrases(phrases, evaluated, doc, placed)) continue;
      const score = evaluated.score(doc) * verbatimFactor(positive, heading, inBody, doc, joined);
      let matched = terms.words.length;
      if (mode === 'any') {
        matched = 0;
        for (let t = 0; t < terms.words.length; t++) {
          for (let b = 0; b < branchesPerTerm; b++) {
            if (evaluated.branchMatched(0, t * branchesPerTerm + b, doc)) {
              matched++;
              break;
            }
          }
        }
      }
      hitDocs[n] = doc;
      scores[n] = score;
      orders[n] = placed.order;
      matchedCounts[n] = matched;
      n++;
    }
    const order = rankPermutation(scores.subarray(0, n), orders.subarray(0, n), matchedCounts.subarray(0, n));
    const ranked: RankedDocs = { docs: new Int32Array(n), scores: new Float64Array(n), partial: mode === 'any' };
    for (let i = 0; i < n; i++) {
      ranked.docs[i] = hitDocs[order[i]!]!;
      ranked.scores[i] = scores[order[i]!]!;
    }
    evaluated.release();
    return ranked;
  };

  const isExcluded = (exclusions: ReadonlyArray<{ needle: Needle; docs: Uint8Array | null }>, doc: number, placed: DocSlot): boolean => {
    for (const x of exclusions) if ((x.docs === null || x.docs[doc] === 1) && contains(doc, placed, x.needle)) return true;
    return false;
  };
  const hasPhrases = (
    phrases: ReadonlyArray<{ needle: Needle; gramSlot: number }>,
    evaluated: EvaluatedQuery,
    doc: number,
    placed: DocSlot,
  ): boolean => {
    for (const p of phrases) {
      if (p.gramSlot >= 0 && !evaluated.branchMatched(p.gramSlot, 1, doc)) return false;
      if (!contains(doc, placed, p.needle)) return false;
    }
    return true;
  };

  /** `allGramsInBody[t](doc)`: every bigram of positive term t matched in the body's grams. */
  const verbatimFactor = (
    positive: QueryTerm[],
    heading: string,
    allGramsInBody: ReadonlyArray<(doc: number) => boolean>,
    doc: number,
    joined: string | null,
  ): number => {
    let factor = 1;
    for (let t = 0; t < positive.length; t++) {
      const term = positive[t]!;
      if (heading.includes(term.text)) factor *= verbatimBoost.title;
      else if (useGrams && !isSingleHan(term.text) && allGramsInBody[t]!(doc)) {
        factor *= verbatimBoost.body;
      }
    }
    // The words typed apart but printed together (医保 服务 → 推进医保服务) in the headline.
    if (joined !== null && heading.includes(joined)) factor *= verbatimBoost.title;
    return factor;
  };

  /**
   * The paragraphs a snippet can come from: those holding a query word or phrase (or one of their
   * jieba words). `bestSnippet` normalises and scores every sentence it is given, and a sentence
   * without any of them scores nothing; Han-only words are found in the raw text as `contains`
   * finds them. Other words, or a body in traditional characters: every paragraph.
   */
  const snippetParagraphs = (entry: IndexedItem, terms: QueryTerms): string[] => {
    const { paragraphs } = entry.item;
    if (normalizedBodies.has(entry.item.id)) return paragraphs;
    const needles: string[] = [];
    for (const term of [...terms.phrases, ...terms.words]) needles.push(term.text, ...term.words);
    if (needles.length === 0 || !needles.every(isAllHan)) return paragraphs;
    return paragraphs.filter((part) => needles.some((needle) => part.includes(needle)));
  };

  /** Recent searches and suggestions; any change to the items clears them. */
  const recentSearches = createRecentResults<RankedDocs>(RECENT_SEARCHES);
  const recentSuggestions = createRecentResults<string[]>(RECENT_SEARCHES);
  const recentNeedles = createRecentResults<Uint8Array>(RECENT_NEEDLES);
  const queryKey = (query: ParsedQuery, filterCounty: string | null | undefined, allowPartial: boolean): string =>
    `${allowPartial ? 1 : 0}\u0001${query.county ?? ''}\u0001${filterCounty ?? ''}\u0001${normalizedQueryKey(seg, query)}`;

  const runSearch = (query: ParsedQuery, filterCounty: string | null | undefined, allowPartial: boolean): RankedDocs =>
    recentSearches.get(queryKey(query, filterCounty, allowPartial), () => searchNow(query, filterCounty, allowPartial));

  const searchNow = (query: ParsedQuery, filterCounty: string | null | undefined, allowPartial: boolean): RankedDocs => {
    const terms = analyzeQuery(seg, query);
    const all = rank(terms, query.county, filterCounty, 'all');
    if (all.docs.length > 0 || !allowPartial || terms.words.length < 2) return all;
    return rank(terms, query.county, filterCounty, 'any');
  };

  const hasHits = (raw: ParsedQuery): boolean => runSearch(raw, undefined, false).docs.length > 0;
  /** The id of a ranked document (the recent results are cleared before any document changes). */
  const idOf = (doc: number): string => byDoc[doc]!.id;

  return {
    get size() {
      return entries.size;
    },

    add(newEntries) {
      addAll(newEntries, (entry) => documentTerms(entry.item, wordTerms(entry.item, seg), seg.normalize, useGrams));
    },

    addWithTerms(newEntries, terms) {
      addAll(newEntries, (_, i) => terms[i]!);
    },

    addPrepared(newEntries, prepared) {
      if (prepared.grams !== useGrams) {
        addAll(newEntries, (entry) => documentTerms(entry.item, wordTerms(entry.item, seg), seg.normalize, useGrams));
        return;
      }
      clearRecent();
      forgetDocs(newEntries.map((entry) => entry.item.id));
      newEntries.forEach((entry, i) => remember(entry, prepared.headings[i]!, prepared.traditionalBodies[i]!));
      store.addPrepared(newEntries.map((entry) => entry.item.id), prepared.segment);
      for (const entry of newEntries) placeDoc(entries.get(entry.item.id)!);
    },

    snapshot() {
      return {
        grams: useGrams,
        postings: store.snapshot(),
        headings: [...headings],
        traditionalBodies: [...normalizedBodies],
      };
    },

    remove(ids) {
      clearRecent();
      for (const id of ids) {
        const doc = store.docOf(id);
        if (doc >= 0) byDoc[doc] = undefined;
      }
      store.remove(ids);
      for (const id of ids) {
        if (!entries.has(id)) continue;
        entries.delete(id);
        headings.delete(id);
        normalizedBodies.delete(id);
      }
    },

    search(query, filter) {
      return this.searchRange(query, 0, Infinity, filter).hits;
    },

    searchRange(query, start, end, filter) {
      const { docs, scores, partial } = runSearch(query, filter?.county, true);
      const hits: RankedHit[] = [];
      for (let i = Math.max(0, start); i < Math.min(end, docs.length); i++) hits.push({ id: idOf(docs[i]!), score: scores[i]!, partial });
      return { total: docs.length, hits };
    },

    matches(query, ids) {
      const wanted = new Set(ids);
      const hits = new Set<string>();
      for (const doc of runSearch(query, undefined, false).docs) {
        const id = idOf(doc);
        if (wanted.has(id)) hits.add(id);
      }
      return ids.filter((id) => hits.has(id));
    },

    highlight(entry, query) {
      const terms = analyzeQuery(seg, query);
      return {
        title: markText(entry.item.title, seg.normalize, highlightNeedles(terms)),
        snippet: bestSnippet(snippetParagraphs(entry, terms), terms, seg.normalize, snippetMaxChars),
      };
    },

    suggest(query) {
      return recentSuggestions.get(queryKey(query, undefined, true), () => suggestNow(query));
    },
  };

  /** Queries close to this one that do find something (see `suggest`). */
  function suggestNow(query: ParsedQuery): string[] {
    const terms = analyzeQuery(seg, query);
    const tried = new Set<string>([normalizedQueryKey(seg, query)]);
    const out: string[] = [];
    const consider = (words: string[]): void => {
      if (out.length >= MAX_SUGGESTIONS || words.length === 0) return;
      const candidate: ParsedQuery = { ...query, words, phrases: [], excluded: query.excluded, problem: null };
      const key = normalizedQueryKey(seg, candidate);
      if (tried.has(key)) return;
      tried.add(key);
      if (hasHits(candidate)) out.push(displayQuery(candidate));
    };
    // Suggestions are for what a reader types, not for pasted paragraphs: a few short words at most.
    const typed = terms.words.slice(0, MAX_SUGGESTION_WORDS).map((t) => t.text);
    // The county filter may be what leaves nothing: the same words anywhere.
    if (query.county !== null) {
      const anywhere = { ...query, county: null, countyWord: null };
      if (hasHits(anywhere)) out.push(displayQuery(anywhere));
      tried.add(normalizedQueryKey(seg, anywhere));
    }
    // One word too many: drop each in turn.
    if (typed.length >= 2) for (let i = 0; i < typed.length; i++) consider(typed.filter((_, j) => j !== i));
    // Close index words (prefix, then one or two edits away), and the word's own jieba words.
    for (const term of terms.words.slice(0, MAX_SUGGESTION_WORDS)) {
      if (term.text.length > MAX_FUZZY_LENGTH) continue;
      for (const close of closeTerms(store, WORD_FIELDS.map((f) => fieldIds[f]!), term, MAX_SUGGESTIONS)) consider(typed.map((w) => (w === term.text ? close : w)));
      for (const part of term.words) if (part !== term.text) consider(typed.map((w) => (w === term.text ? part : w)));
    }
    return out;
  }
}

/**
 * Whether any text containing the term has all of its grams: Han bigrams and single Han characters
 * always; a run of letters or digits only when the term does not start or end with it, as the
 * text's run could go on there (1月 in 11月 has not the gram 1).
 */
function gramsNecessary(term: QueryTerm): boolean {
  if (term.grams.length === 0) return false;
  for (const gram of term.grams) if (!isAllHan(gram) && (term.text.startsWith(gram) || term.text.endsWith(gram))) return false;
  return true;
}

/** The query as a reader would type it again: words, then the county word. */
function displayQuery(query: ParsedQuery): string {
  const parts = [...query.words, ...query.phrases.map((p) => `"${p}"`), ...query.excluded.map((e) => `-${e}`)];
  if (query.countyWord !== null && !query.words.includes(query.countyWord)) parts.push(query.countyWord);
  return parts.join(' ');
}

function normalizedQueryKey(seg: Segmenter, query: ParsedQuery): string {
  return seg.normalize(displayQuery(query));
}
