/**
 * Query evaluation straight over MiniSearch's postings, with MiniSearch's own BM25 scores.
 *
 * MiniSearch's `search` builds, for every query term, a Map entry and a match object per posting,
 * then merges them term by term: a common word or a bigram searched by prefix allocates tens of
 * thousands of objects per query (10,000 items: 0.3–1 s for a phrase). The queries the index runs
 * have one shape — an AND of slots, each an OR of branches, each an AND of one-term leaves — so they
 * are evaluated here with typed arrays: the rarest leaf of a branch gives the candidates, the other
 * leaves only look them up, and only the surviving items are scored. The score of an item is what
 * MiniSearch gives it (the sum of the weighted BM25 of every matched leaf of every matched branch,
 * times the number of distinct query terms matched), up to float rounding.
 */
import type MiniSearch from 'minisearch';
import { encodeTerm } from './term-keys.js';

/** One query term searched in some fields, exactly or also as a prefix of longer index terms. */
export interface QueryLeaf {
  /** The term as the reader's side spells it (not encoded). */
  term: string;
  fields: readonly string[];
  prefix: boolean;
}

/** Items having every leaf. */
export type QueryBranch = readonly QueryLeaf[];
/** Items having any of the branches. */
export type QuerySlot = readonly QueryBranch[];

export interface EvaluatedQuery {
  /** Internal numbers of the items having every slot. */
  docs: number[];
  /** The external id of an internal number. */
  idOf(doc: number): string;
  /** MiniSearch's score of a matched item (call only for numbers in `docs`). */
  score(doc: number): number;
  /** Whether branch `branch` of slot `slot` matched this item. */
  branchMatched(slot: number, branch: number, doc: number): boolean;
  /** Whether a matched branch has a leaf in `field` deriving `term` (not encoded) that this item has in that field. */
  matchedIn(doc: number, term: string, field: string): boolean;
}

type FieldData = Map<number, Map<number, number>>;

/** The parts of MiniSearch's state the evaluation reads (protected members, reached on purpose). */
interface MiniState {
  _index: { get(key: string): FieldData | undefined; atPrefix(prefix: string): Iterable<[string, FieldData]> };
  _fieldIds: Record<string, number>;
  _documentIds: Map<number, unknown>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _dirtCount: number;
  _nextId: number;
}

/** MiniSearch's defaults (we set neither): BM25 parameters and the weight of prefix matches. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const PREFIX_WEIGHT = 0.375;

/** One (index term, field) posting list a leaf reaches, with what scoring it needs. */
interface Posting {
  key: string;
  field: string;
  fieldId: number;
  docs: Map<number, number>;
  /** Leaf weight (1 exact, less for a prefix extension) × field boost. */
  weight: number;
  idf: number;
  avgLength: number;
}

interface ResolvedLeaf {
  key: string;
  postings: Posting[];
  /** Total posting entries: the cost of walking them. */
  cost: number;
  /** Distinct index terms it reaches (cost of looking one item up is that × fields). */
  lookups: number;
}

/**
 * Evaluates `AND(slots)`, each slot `OR(branches)`, each branch `AND(leaves)`, on MiniSearch's
 * live postings. `boost` is the field boost MiniSearch's `searchOptions.boost` would apply.
 */
export function evaluateQuery<T>(mini: MiniSearch<T>, slots: readonly QuerySlot[], boost: Readonly<Record<string, number>>): EvaluatedQuery {
  const state = mini as unknown as MiniState;
  const size = state._nextId;
  const dirty = state._dirtCount > 0;
  const live = (doc: number): boolean => !dirty || state._documentIds.has(doc);
  const liveCount = (docs: Map<number, number>): number => {
    if (!dirty) return docs.size;
    let n = 0;
    for (const doc of docs.keys()) if (state._documentIds.has(doc)) n++;
    return n;
  };
  const total = state._documentCount;

  const resolveCache = new Map<string, ResolvedLeaf>();
  const resolve = (leaf: QueryLeaf): ResolvedLeaf => {
    const cacheKey = `${leaf.prefix ? 1 : 0}${leaf.fields.join(',')}\u0000${leaf.term}`;
    const cached = resolveCache.get(cacheKey);
    if (cached !== undefined) return cached;
    const key = encodeTerm(leaf.term);
    const postings: Posting[] = [];
    let lookups = 0;
    const addTerm = (term: string, data: FieldData | undefined, weight: number): void => {
      if (data === undefined) return;
      lookups++;
      for (const field of leaf.fields) {
        const fieldId = state._fieldIds[field];
        if (fieldId === undefined) continue;
        const docs = data.get(fieldId);
        if (docs === undefined) continue;
        const n = liveCount(docs);
        if (n === 0) continue;
        const idf = Math.log(1 + (total - n + 0.5) / (n + 0.5));
        postings.push({ key: term, field, fieldId, docs, weight: weight * (boost[field] || 1), idf, avgLength: state._avgFieldLength[fieldId]! });
      }
    };
    addTerm(key, state._index.get(key), 1);
    if (leaf.prefix) {
      for (const [term, data] of state._index.atPrefix(key)) {
        const distance = term.length - key.length;
        if (distance === 0) continue;
        addTerm(term, data, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance));
      }
    }
    let cost = 0;
    for (const p of postings) cost += p.docs.size;
    const resolved = { key, postings, cost, lookups };
    resolveCache.set(cacheKey, resolved);
    return resolved;
  };

  /** Internal numbers of the items having every leaf of the branch (rarest leaf first). */
  const branchDocs = (branch: QueryBranch): number[] => {
    const leaves = branch.map(resolve).sort((a, b) => a.cost - b.cost);
    if (leaves.length === 0) return [];
    const seen = new Uint8Array(size);
    let docs: number[] = [];
    for (const p of leaves[0]!.postings) {
      for (const doc of p.docs.keys()) {
        if (seen[doc] === 0 && live(doc)) {
          seen[doc] = 1;
          docs.push(doc);
        }
      }
    }
    for (let i = 1; i < leaves.length && docs.length > 0; i++) {
      const leaf = leaves[i]!;
      if (docs.length * leaf.postings.length <= leaf.cost) {
        docs = docs.filter((doc) => leaf.postings.some((p) => p.docs.has(doc)));
      } else {
        const has = new Uint8Array(size);
        for (const p of leaf.postings) for (const doc of p.docs.keys()) has[doc] = 1;
        docs = docs.filter((doc) => has[doc] === 1);
      }
    }
    return docs;
  };

  // Each slot: the union of its branches, remembering which branch matched which item.
  const matched: Uint8Array[][] = [];
  let current: number[] | null = null;
  for (const slot of slots) {
    const inSlot = new Uint8Array(size);
    const members: number[] = [];
    const perBranch = slot.map((branch) => {
      const marks = new Uint8Array(size);
      for (const doc of branchDocs(branch)) {
        marks[doc] = 1;
        if (inSlot[doc] === 0) {
          inSlot[doc] = 1;
          members.push(doc);
        }
      }
      return marks;
    });
    matched.push(perBranch);
    current = current === null ? members : current.filter((doc) => inSlot[doc] === 1);
    if (current.length === 0) break;
  }
  const docs = current ?? [];
  const branchMatched = (s: number, b: number, doc: number): boolean => matched[s]?.[b]?.[doc] === 1;

  const leafScore = (leaf: ResolvedLeaf, doc: number): number => {
    let score = 0;
    for (const p of leaf.postings) {
      const tf = p.docs.get(doc);
      if (tf === undefined) continue;
      const length = state._fieldLength.get(doc)?.[p.fieldId] ?? 0;
      score += p.weight * p.idf * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * length) / p.avgLength)));
    }
    return score;
  };

  return {
    docs,
    idOf: (doc) => String(state._documentIds.get(doc)),
    score(doc) {
      let score = 0;
      const terms = new Set<string>();
      slots.forEach((slot, s) => {
        slot.forEach((branch, b) => {
          if (!branchMatched(s, b, doc)) return;
          for (const leaf of branch) {
            const resolved = resolve(leaf);
            score += leafScore(resolved, doc);
            terms.add(resolved.key);
          }
        });
      });
      return score * Math.max(terms.size, 1);
    },
    branchMatched,
    matchedIn(doc, term, field) {
      const key = encodeTerm(term);
      for (let s = 0; s < slots.length; s++) {
        const slot = slots[s]!;
        for (let b = 0; b < slot.length; b++) {
          if (!branchMatched(s, b, doc)) continue;
          for (const leaf of slot[b]!) {
            if (!leaf.fields.includes(field)) continue;
            const resolved = resolve(leaf);
            if (resolved.postings.some((p) => p.key === key && p.field === field && p.docs.has(doc))) return true;
          }
        }
      }
      return false;
    },
  };
}
