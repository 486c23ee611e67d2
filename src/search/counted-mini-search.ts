/**
 * MiniSearch fed with counted terms. `add` calls the tokenizer and then walks the radix tree once
 * per term occurrence (~2,000 per article with bigrams); `addCounted` walks it once per distinct
 * term with the count, which leaves exactly the state `add` would (same postings, same field
 * lengths and averages, in the same order). It also writes and reads its postings as one compact
 * snapshot, much faster than MiniSearch's JSON.
 *
 * It reaches MiniSearch's protected state (a subclass may) and two of its private helpers; the
 * tests compare its results with plain `add` so a MiniSearch upgrade that changes them shows.
 */
import MiniSearch, { type Options } from 'minisearch';
import { fieldKeys, type FieldTerms } from './document-terms.js';

/** The two private helpers `add` uses, called so the bookkeeping stays MiniSearch's own. */
interface PrivateHelpers {
  addDocumentId(id: unknown): number;
  addFieldLength(shortId: number, fieldId: number, count: number, length: number): void;
}

type FieldData = Map<number, Map<number, number>>;
/** SearchableMap's radix tree: edge label → child node; the empty label holds the value. */
type RadixNode = Map<string, RadixNode | FieldData>;
type SearchableMapClass = new (tree: RadixNode) => CountedMiniSearch['_index'];

/** MiniSearch's postings, ids and lengths as arrays (see `snapshot`). */
export interface PostingsSnapshot {
  ids: string[];
  /** Per document, per field: distinct terms. */
  fieldLengths: Uint32Array;
  averageFieldLength: number[];
  /** Terms joined by U+0000, in the index's order. */
  terms: string;
  /**
   * Per term: number of fields, then per field: field id, posting count n, n document positions
   * (into `ids`), n frequencies.
   */
  postings: Uint32Array;
}

export class CountedMiniSearch<T = unknown> extends MiniSearch<T> {
  constructor(options: Options<T>) {
    super(options);
  }

  /** Adds a document from its fields' counted terms, in the order of the `fields` option. */
  addCounted(id: string, fields: readonly FieldTerms[]): void {
    if (this._idToShortId.has(id)) throw new Error(`MiniSearch: duplicate ID ${id}`);
    const helpers = this as unknown as PrivateHelpers;
    const shortId = helpers.addDocumentId(id);
    const fieldCount = Object.keys(this._fieldIds).length;
    for (let fieldId = 0; fieldId < fieldCount; fieldId++) {
      const field = fields[fieldId];
      const counts = field?.counts ?? new Uint16Array(0);
      helpers.addFieldLength(shortId, fieldId, this._documentCount - 1, counts.length);
      if (!field || counts.length === 0) continue;
      const keys = fieldKeys(field);
      for (let i = 0; i < keys.length; i++) {
        const data = this._index.fetch(keys[i]!, newFieldMap);
        let docs = data.get(fieldId);
        if (docs === undefined) {
          docs = new Map();
          data.set(fieldId, docs);
        }
        docs.set(shortId, (docs.get(shortId) ?? 0) + counts[i]!);
      }
    }
  }

  /**
   * Adds many documents. Into an empty index the postings are first gathered in a hash map and the
   * radix tree is then built once from the sorted terms: inserting term by term scans each tree
   * node's keys (thousands under a common first character), the bulk build does not.
   */
  addCountedAll(documents: Iterable<{ id: string; fields: readonly FieldTerms[] }>): void {
    if (this._nextId !== 0) {
      for (const { id, fields } of documents) this.addCounted(id, fields);
      return;
    }
    const helpers = this as unknown as PrivateHelpers;
    const fieldCount = Object.keys(this._fieldIds).length;
    const gathered = new Map<string, FieldData>();
    for (const { id, fields } of documents) {
      if (this._idToShortId.has(id)) throw new Error(`MiniSearch: duplicate ID ${id}`);
      const shortId = helpers.addDocumentId(id);
      for (let fieldId = 0; fieldId < fieldCount; fieldId++) {
        const field = fields[fieldId];
        const counts = field?.counts ?? new Uint16Array(0);
        helpers.addFieldLength(shortId, fieldId, this._documentCount - 1, counts.length);
        if (!field || counts.length === 0) continue;
        const keys = fieldKeys(field);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          let data = gathered.get(key);
          if (data === undefined) {
            data = new Map();
            gathered.set(key, data);
          }
          let docs = data.get(fieldId);
          if (docs === undefined) {
            docs = new Map();
            data.set(fieldId, docs);
          }
          docs.set(shortId, (docs.get(shortId) ?? 0) + counts[i]!);
        }
      }
    }
    this.replaceTerms(gathered);
  }

  /** Replaces the (empty) term tree by one built from these terms at once. */
  private replaceTerms(terms: Map<string, FieldData>): void {
    const keys = [...terms.keys()].sort();
    const tree = buildRadixTree(keys, terms);
    const SearchableMap = this._index.constructor as SearchableMapClass;
    this._index = new SearchableMap(tree);
  }

  /** The live postings (discarded documents left out), as typed arrays. */
  snapshot(): PostingsSnapshot {
    const fieldCount = Object.keys(this._fieldIds).length;
    const ids: string[] = [];
    const position = new Map<number, number>();
    const fieldLengths: number[] = [];
    for (const [shortId, id] of this._documentIds) {
      position.set(shortId, ids.length);
      ids.push(String(id));
      const lengths = this._fieldLength.get(shortId) ?? [];
      for (let f = 0; f < fieldCount; f++) fieldLengths.push(lengths[f] ?? 0);
    }
    const terms: string[] = [];
    let postings = new Uint32Array(1 << 20);
    let at = 0;
    const push = (value: number): void => {
      if (at === postings.length) {
        const grown = new Uint32Array(postings.length * 2);
        grown.set(postings);
        postings = grown;
      }
      postings[at++] = value;
    };
    for (const [term, data] of this._index) {
      const start = at;
      push(0);
      let fields = 0;
      for (const [fieldId, docs] of data) {
        const live: number[] = [];
        const freqs: number[] = [];
        for (const [shortId, freq] of docs) {
          const p = position.get(shortId);
          if (p === undefined) continue;
          live.push(p);
          freqs.push(freq);
        }
        if (live.length === 0) continue;
        fields++;
        push(fieldId);
        push(live.length);
        for (const p of live) push(p);
        for (const f of freqs) push(f);
      }
      if (fields === 0) {
        at = start;
        continue;
      }
      postings[start] = fields;
      terms.push(term);
    }
    return {
      ids,
      fieldLengths: Uint32Array.from(fieldLengths),
      averageFieldLength: [...this._avgFieldLength],
      terms: terms.join('\u0000'),
      postings: postings.slice(0, at),
    };
  }

  /** An index holding exactly a snapshot's documents and postings (same options as when taken). */
  static fromSnapshot<T>(snapshot: PostingsSnapshot, options: Options<T>): CountedMiniSearch<T> {
    const mini = new CountedMiniSearch<T>(options);
    mini.restore(snapshot);
    return mini;
  }

  private restore(snapshot: PostingsSnapshot): void {
    const fieldCount = Object.keys(this._fieldIds).length;
    const { ids, fieldLengths, postings } = snapshot;
    for (let p = 0; p < ids.length; p++) {
      this._documentIds.set(p, ids[p]);
      this._idToShortId.set(ids[p], p);
      this._fieldLength.set(p, Array.from(fieldLengths.subarray(p * fieldCount, (p + 1) * fieldCount)));
    }
    this._documentCount = ids.length;
    this._nextId = ids.length;
    this._avgFieldLength = [...snapshot.averageFieldLength];
    const terms = snapshot.terms === '' ? [] : snapshot.terms.split('\u0000');
    const gathered = new Map<string, FieldData>();
    let at = 0;
    for (const term of terms) {
      const fields = postings[at++]!;
      const data = new Map<number, Map<number, number>>();
      for (let f = 0; f < fields; f++) {
        const fieldId = postings[at++]!;
        const n = postings[at++]!;
        const docs = new Map<number, number>();
        for (let i = 0; i < n; i++) docs.set(postings[at + i]!, postings[at + n + i]!);
        at += 2 * n;
        data.set(fieldId, docs);
      }
      gathered.set(term, data);
    }
    this.replaceTerms(gathered);
  }
}

function newFieldMap(): FieldData {
  return new Map();
}

/**
 * A compressed radix tree, as SearchableMap builds it, from sorted distinct keys: each node's edges
 * start with distinct characters, a node with one child and no value is merged into its edge.
 */
function buildRadixTree(keys: readonly string[], values: Map<string, FieldData>): RadixNode {
  const build = (lo: number, hi: number, depth: number): RadixNode => {
    const node: RadixNode = new Map();
    if (keys[lo]!.length === depth) {
      node.set('', values.get(keys[lo]!)!);
      lo++;
    }
    while (lo < hi) {
      const first = keys[lo]!;
      const ch = first.charCodeAt(depth);
      let end = lo + 1;
      while (end < hi && keys[end]!.charCodeAt(depth) === ch) end++;
      // Sorted keys: the group's common prefix is that of its first and last key.
      const last = keys[end - 1]!;
      let common = depth + 1;
      const limit = Math.min(first.length, last.length);
      while (common < limit && first.charCodeAt(common) === last.charCodeAt(common)) common++;
      node.set(first.slice(depth, common), build(lo, end, common));
      lo = end;
    }
    return node;
  };
  return keys.length === 0 ? new Map() : build(0, keys.length, 0);
}
