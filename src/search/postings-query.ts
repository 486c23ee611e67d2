/**
 * Query evaluation over the compact postings (postings-store.ts), scored as MiniSearch scores.
 *
 * The queries the index runs have one shape — an AND of slots, each an OR of branches, each an AND
 * of one-term leaves — so they are evaluated here with typed arrays: the rarest leaf of a branch
 * gives the candidates, the other leaves only look them up, and only the surviving items are scored.
 * The score of an item is what MiniSearch would give it for the same query (the sum of the weighted
 * BM25 of every matched leaf of every matched branch, times the number of distinct query terms
 * matched), up to float rounding: a test holds it to MiniSearch's own `search` as the reference.
 */
import type { PostingList, PostingsStore } from './postings-store.js';
import type { ScratchArrays } from './scratch-arrays.js';
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
  /** The same numbers in a typed array (what ranking reads; `docs` is made from it when asked). */
  docNumbers: Int32Array;
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
  /** Gives the work arrays back to the scratch pool: nothing above may be used after. */
  release(): void;
}

/** MiniSearch's defaults (the reference scorer): BM25 parameters and the weight of prefix matches. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const PREFIX_WEIGHT = 0.375;
const NO_DOCS = new Int32Array(0);

/** One (index term, field) posting list a leaf reaches, with what scoring it needs. */
interface Posting {
  key: string;
  field: string;
  fieldId: number;
  list: PostingList;
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
}

/**
 * Evaluates `AND(slots)`, each slot `OR(branches)`, each branch `AND(leaves)`, on the store's live
 * postings. `fieldIds` numbers the store's fields by name; `boost` weighs each field as
 * MiniSearch's `searchOptions.boost` would. With `scratch`, per-document arrays are borrowed from
 * it until `release`.
 */
export function evaluateQuery(
  store: PostingsStore,
  fieldIds: Readonly<Record<string, number>>,
  slots: readonly QuerySlot[],
  boost: Readonly<Record<string, number>>,
  scratch?: ScratchArrays,
): EvaluatedQuery {
  const size = store.docSpace;
  const lent: { u8: Uint8Array[]; u16: Uint16Array[]; i32: Int32Array[]; f64: Float64Array[] } = { u8: [], u16: [], i32: [], f64: [] };
  const bytes = (): Uint8Array => (scratch ? keep(lent.u8, scratch.take('u8', size)) : new Uint8Array(size));
  const ints = (): Int32Array => (scratch ? keep(lent.i32, scratch.take('i32', size)) : new Int32Array(size));
  const total = store.size;

  const resolveCache = new Map<QueryLeaf, ResolvedLeaf>();
  const resolve = (leaf: QueryLeaf): ResolvedLeaf => {
    const cached = resolveCache.get(leaf);
    if (cached !== undefined) return cached;
    const key = encodeTerm(leaf.term);
    const postings: Posting[] = [];
    const addPosting = (term: string, field: string, fieldId: number, list: PostingList, weight: number): void => {
      const n = list.docs.length;
      if (n === 0) return;
      const idf = Math.log(1 + (total - n + 0.5) / (n + 0.5));
      postings.push({ key: term, field, fieldId, list, weight: weight * (boost[field] || 1), idf, avgLength: store.averageLength(fieldId) });
    };
    for (const field of leaf.fields) {
      const fieldId = fieldIds[field];
      if (fieldId === undefined) continue;
      if (!leaf.prefix) {
        addPosting(key, field, fieldId, store.list(fieldId, key), 1);
        continue;
      }
      for (const [term, list] of store.prefixLists(fieldId, key)) {
        const distance = term.length - key.length;
        addPosting(term, field, fieldId, list, distance === 0 ? 1 : (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance));
      }
    }
    let cost = 0;
    for (const p of postings) cost += p.list.docs.length;
    const resolved = { key, postings, cost };
    resolveCache.set(leaf, resolved);
    return resolved;
  };

  /**
   * Internal numbers of the items having every leaf of the branch (rarest leaf first), in the order
   * the rarest leaf's lists give them. Typed arrays filtered in place: a common word's branch has
   * tens of thousands of items, and growing JS arrays of them was a fifth of a query.
   */
  const branchDocs = (branch: QueryBranch): Int32Array => {
    const leaves = branch.map(resolve).sort((a, b) => a.cost - b.cost);
    if (leaves.length === 0) return NO_DOCS;
    const seen = bytes();
    let docs = ints();
    let n = 0;
    for (const p of leaves[0]!.postings) {
      const listDocs = p.list.docs;
      for (let j = 0; j < listDocs.length; j++) {
        const doc = listDocs[j]!;
        if (seen[doc] === 0) {
          seen[doc] = 1;
          docs[n++] = doc;
        }
      }
    }
    for (let i = 1; i < leaves.length && n > 0; i++) {
      const leaf = leaves[i]!;
      let kept = 0;
      if (n * leaf.postings.length <= leaf.cost) {
        for (let j = 0; j < n; j++) {
          const doc = docs[j]!;
          if (leaf.postings.some((p) => indexOfDoc(p.list, doc) >= 0)) docs[kept++] = doc;
        }
      } else {
        const has = bytes();
        for (const p of leaf.postings) for (const doc of p.list.docs) has[doc] = 1;
        for (let j = 0; j < n; j++) if (has[docs[j]!] === 1) docs[kept++] = docs[j]!;
      }
      n = kept;
    }
    if (n < docs.length) docs = docs.subarray(0, n);
    return docs;
  };

  // Each slot: the union of its branches, remembering which branch matched which item.
  const matched: Uint8Array[][] = [];
  let current: Int32Array | null = null;
  for (const slot of slots) {
    const inSlot = bytes();
    const branchLists = slot.map(branchDocs);
    const members = ints();
    let count = 0;
    const perBranch = branchLists.map((list) => {
      const marks = bytes();
      for (let j = 0; j < list.length; j++) {
        const doc = list[j]!;
        marks[doc] = 1;
        if (inSlot[doc] === 0) {
          inSlot[doc] = 1;
          members[count++] = doc;
        }
      }
      return marks;
    });
    matched.push(perBranch);
    if (current === null) {
      current = members.subarray(0, count);
    } else {
      let kept = 0;
      for (let j = 0; j < current.length; j++) if (inSlot[current[j]!] === 1) current[kept++] = current[j]!;
      current = current.subarray(0, kept);
    }
    if (current.length === 0) break;
  }
  const docs = current ?? NO_DOCS;
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
  const isHit = bytes();
  for (const doc of docs) isHit[doc] = 1;
  const scores = docs.length === 0 ? new Float64Array(0) : scratch ? keep(lent.f64, scratch.take('f64', size)) : new Float64Array(size);
  const add = (p: Posting, doc: number, tf: number): void => {
    const length = store.fieldLength(doc, p.fieldId);
    scores[doc]! += p.weight * p.idf * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * length) / p.avgLength)));
  };
  if (docs.length > 0) {
    for (let s = 0; s < resolvedBranches.length; s++) {
      for (let b = 0; b < resolvedBranches[s]!.length; b++) {
        const marks = matched[s]?.[b];
        if (marks === undefined) continue;
        for (const { resolved } of resolvedBranches[s]![b]!) {
          for (const p of resolved.postings) {
            const { docs: listDocs, counts } = p.list;
            if (docs.length * 4 < listDocs.length) {
              for (const doc of docs) {
                if (marks[doc] !== 1) continue;
                const at = indexOfDoc(p.list, doc);
                if (at >= 0) add(p, doc, counts[at]!);
              }
            } else {
              for (let i = 0; i < listDocs.length; i++) {
                const doc = listDocs[i]!;
                if (isHit[doc] === 1 && marks[doc] === 1) add(p, doc, counts[i]!);
              }
            }
          }
        }
      }
    }
  }

  /** (term, field) → the postings of matched-branch leaves deriving it, per slot and branch (built on first ask). */
  const derivations = new Map<string, Array<{ slot: number; branch: number; list: PostingList }>>();
  const derivationsOf = (key: string, field: string): Array<{ slot: number; branch: number; list: PostingList }> => {
    const cacheKey = `${field}\u0000${key}`;
    let found = derivations.get(cacheKey);
    if (found !== undefined) return found;
    found = [];
    for (let s = 0; s < resolvedBranches.length; s++) {
      for (let b = 0; b < resolvedBranches[s]!.length; b++) {
        for (const { resolved } of resolvedBranches[s]![b]!) {
          for (const p of resolved.postings) if (p.key === key && p.field === field) found.push({ slot: s, branch: b, list: p.list });
        }
      }
    }
    derivations.set(cacheKey, found);
    return found;
  };

  let docArray: number[] | null = null;
  return {
    get docs() {
      return (docArray ??= Array.from(docs));
    },
    docNumbers: docs,
    idOf: (doc) => store.idOf(doc),
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
      // Counted over the lists once (not looked up per item): an item has them all when every
      // term marked it. `seen` keeps one term's several derivations from counting twice.
      const counts = docs.length === 0 ? new Uint16Array(0) : scratch ? keep(lent.u16, scratch.take('u16', size)) : new Uint16Array(size);
      const seen = (docs.length === 0 ? new Int32Array(0) : ints()).fill(-1);
      terms.forEach((term, t) => {
        for (const d of derivationsOf(encodeTerm(term), field)) {
          const marks = matched[d.slot]?.[d.branch];
          if (marks === undefined) continue;
          for (const doc of d.list.docs) {
            if (marks[doc] === 1 && isHit[doc] === 1 && seen[doc] !== t) {
              seen[doc] = t;
              counts[doc]!++;
            }
          }
        }
      });
      const needed = terms.length;
      return (doc) => needed === 0 || counts[doc] === needed;
    },
    release() {
      if (!scratch) return;
      scratch.give('u8', lent.u8);
      scratch.give('u16', lent.u16);
      scratch.give('i32', lent.i32);
      scratch.give('f64', lent.f64);
      lent.u8 = [];
      lent.u16 = [];
      lent.i32 = [];
      lent.f64 = [];
    },
  };
}

function keep<T>(list: T[], array: T): T {
  list.push(array);
  return array;
}

/** Where `doc` is in the list (its docs ascend), or -1. */
function indexOfDoc(list: PostingList, doc: number): number {
  const { docs } = list;
  let lo = 0;
  let hi = docs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = docs[mid]!;
    if (at === doc) return mid;
    if (at < doc) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
