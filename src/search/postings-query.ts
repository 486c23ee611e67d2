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
  /**
   * A test of whether, for every one of `terms` (not encoded), a matched branch has a leaf in
   * `field` deriving it that the item has in that field (MiniSearch: `match[term]` includes `field`).
   */
  allMatchedIn(terms: readonly string[], field: string): (doc: number) => boolean;
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

  const resolveCache = new Map<QueryLeaf, ResolvedLeaf>();
  const resolve = (leaf: QueryLeaf): ResolvedLeaf => {
    const cached = resolveCache.get(leaf);
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
    resolveCache.set(leaf, resolved);
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

  // Per slot and branch: its leaves resolved, and their query terms numbered (MiniSearch multiplies
  // the score by how many distinct query terms matched).
  const keyIds = new Map<string, number>();
  const resolvedBranches = slots.map((slot) =>
    slot.map((branch) =>
      branch.map((leaf) => {
        const resolved = resolve(leaf);
        if (!keyIds.has(resolved.key)) keyIds.set(resolved.key, keyIds.size);
        return { resolved, keyId: keyIds.get(resolved.key)! };
      }),
    ),
  );
  const keySeen = new Int32Array(keyIds.size);
  let scoreTag = 0;

  // Scores of all survivors at once, leaf posting by posting: walking a posting list beats looking
  // every survivor up in it unless the survivors are few.
  const isHit = new Uint8Array(size);
  for (const doc of docs) isHit[doc] = 1;
  const scores = new Float64Array(docs.length > 0 ? size : 0);
  const fieldCount = Object.keys(state._fieldIds).length;
  const lengths = new Float64Array(docs.length > 0 ? size * fieldCount : 0);
  for (const doc of docs) {
    const own = state._fieldLength.get(doc);
    if (own !== undefined) for (let f = 0; f < fieldCount; f++) lengths[doc * fieldCount + f] = own[f] ?? 0;
  }
  const add = (p: Posting, doc: number, tf: number): void => {
    const length = lengths[doc * fieldCount + p.fieldId]!;
    scores[doc]! += p.weight * p.idf * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * length) / p.avgLength)));
  };
  if (docs.length > 0) {
    for (let s = 0; s < resolvedBranches.length; s++) {
      for (let b = 0; b < resolvedBranches[s]!.length; b++) {
        const marks = matched[s]?.[b];
        if (marks === undefined) continue;
        for (const { resolved } of resolvedBranches[s]![b]!) {
          for (const p of resolved.postings) {
            if (docs.length * 4 < p.docs.size) {
              for (const doc of docs) {
                if (marks[doc] !== 1) continue;
                const tf = p.docs.get(doc);
                if (tf !== undefined) add(p, doc, tf);
              }
            } else {
              for (const [doc, tf] of p.docs) if (isHit[doc] === 1 && marks[doc] === 1) add(p, doc, tf);
            }
          }
        }
      }
    }
  }

  /** (term, field) → the postings of matched-branch leaves deriving it, per slot and branch (built on first ask). */
  const derivations = new Map<string, Array<{ slot: number; branch: number; docs: Map<number, number> }>>();
  const derivationsOf = (key: string, field: string): Array<{ slot: number; branch: number; docs: Map<number, number> }> => {
    const cacheKey = `${field}\u0000${key}`;
    let found = derivations.get(cacheKey);
    if (found !== undefined) return found;
    found = [];
    for (let s = 0; s < resolvedBranches.length; s++) {
      for (let b = 0; b < resolvedBranches[s]!.length; b++) {
        for (const { resolved } of resolvedBranches[s]![b]!) {
          for (const p of resolved.postings) if (p.key === key && p.field === field) found.push({ slot: s, branch: b, docs: p.docs });
        }
      }
    }
    derivations.set(cacheKey, found);
    return found;
  };

  return {
    docs,
    idOf: (doc) => String(state._documentIds.get(doc)),
    score(doc) {
      let terms = 0;
      scoreTag++;
      for (let s = 0; s < resolvedBranches.length; s++) {
        const branches = resolvedBranches[s]!;
        for (let b = 0; b < branches.length; b++) {
          if (!branchMatched(s, b, doc)) continue;
          for (const { keyId } of branches[b]!) {
            if (keySeen[keyId] !== scoreTag) {
              keySeen[keyId] = scoreTag;
              terms++;
            }
          }
        }
      }
      return scores[doc]! * Math.max(terms, 1);
    },
    branchMatched,
    allMatchedIn(terms, field) {
      const found = terms.map((term) => derivationsOf(encodeTerm(term), field));
      return (doc) => found.every((list) => list.some((d) => branchMatched(d.slot, d.branch, doc) && d.docs.has(doc)));
    },
  };
}
