/**
 * The inverted index in compact form: per field, sorted terms and their posting lists as varint
 * bytes (document-number gaps and term counts), about 2 bytes a posting. MiniSearch keeps a Map
 * entry per posting (~42 bytes): 50,000 items with their bigram fields (~1,500 postings an item)
 * took 3 GB of heap, and restoring it meant rebuilding every Map. Here a snapshot is a handful of
 * typed arrays taken as they are.
 *
 * Items are added in batches; each batch becomes a segment (immutable), and segments of the same
 * size tier are merged, so a start-up that feeds the index page by page copies each posting only a
 * few times (the logarithmic method: at most MERGE_FAN - 1 segments per tier). Removed items stay
 * in their segments, marked dead, and are dropped from the lists when their segment is merged.
 *
 * Document numbers only grow; a re-added item gets a new number. Scores need live counts only:
 * lists come back without dead documents, so a list's length is the live document frequency.
 */

/** One field's terms and posting lists, for documents [base, base + count). */
export interface FieldTable {
  /** The terms in ascending code-unit order, concatenated. */
  terms: string;
  /** Term i is terms.slice(termStarts[i], termStarts[i + 1]). */
  termStarts: Uint32Array;
  /** List i is bytes[listStarts[i] .. listStarts[i + 1]): per posting varint(gap), varint(count). */
  listStarts: Uint32Array;
  bytes: Uint8Array;
}

export interface Segment {
  base: number;
  count: number;
  fields: FieldTable[];
}

/** Everything the store holds, as plain data (structured-clone and v8.serialize friendly). */
export interface PostingsSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  fieldCount: number;
  ids: string[];
  alive: Uint8Array;
  /** Per document, per field: distinct terms (MiniSearch's field length). */
  lengths: Uint32Array;
  segments: Segment[];
}

/** One item's field: distinct terms (any order) and their counts. */
export interface CountedField {
  keys: readonly string[];
  counts: ArrayLike<number>;
}

/** A decoded list: live documents ascending, and each one's term count. */
export interface PostingList {
  docs: Int32Array;
  counts: Uint16Array;
}

const SNAPSHOT_FORMAT = 'postings-store/1';
/** Most documents gathered into one new segment: one big gathering map costs more than merging. */
const SEGMENT_DOCS = 512;
/** Segments of one size tier merged at once (see the header). */
const MERGE_FAN = 8;
/** A cap on segments whatever the batch sizes were: past it the newer half is merged. */
const MAX_SEGMENTS = 4 * MERGE_FAN;
/** Decoded lists at least this long are kept for later queries, up to CACHED_ENTRIES postings (~6 bytes each). */
const CACHED_LIST_MIN = 512;
const CACHED_ENTRIES = 2_000_000;
const EMPTY_LIST: PostingList = { docs: new Int32Array(0), counts: new Uint16Array(0) };

export class PostingsStore {
  readonly fieldCount: number;
  private ids: string[] = [];
  private alive: Uint8Array = new Uint8Array(1024);
  private lengths: Uint32Array;
  private segments: Segment[] = [];
  private idToDoc = new Map<string, number>();
  private liveCount = 0;
  private lengthSums: number[];
  /** Recently decoded long lists, oldest first (see `remember`). */
  private decoded = new Map<string, PostingList>();
  private decodedEntries = 0;
  /** Where terms with each two-unit head lie in each table (see `HeadRanges`). */
  private heads = new HeadRanges();

  constructor(fieldCount: number) {
    this.fieldCount = fieldCount;
    this.lengths = new Uint32Array(1024 * fieldCount);
    this.lengthSums = new Array<number>(fieldCount).fill(0);
  }

  /** A store holding exactly what `snapshot` returned (its arrays are taken, not copied). */
  static fromSnapshot(snapshot: PostingsSnapshot): PostingsStore {
    const store = new PostingsStore(snapshot.fieldCount);
    store.ids = snapshot.ids;
    store.alive = snapshot.alive;
    store.lengths = snapshot.lengths;
    store.segments = snapshot.segments;
    for (let doc = 0; doc < store.ids.length; doc++) {
      if (store.alive[doc] !== 1) continue;
      store.idToDoc.set(store.ids[doc]!, doc);
      store.liveCount++;
      for (let f = 0; f < store.fieldCount; f++) store.lengthSums[f]! += store.lengths[doc * store.fieldCount + f]!;
    }
    return store;
  }

  static isSnapshot(value: unknown): value is PostingsSnapshot {
    const s = value as Partial<PostingsSnapshot> | null;
    return (
      typeof s === 'object' &&
      s !== null &&
      s.format === SNAPSHOT_FORMAT &&
      typeof s.fieldCount === 'number' &&
      Array.isArray(s.ids) &&
      s.alive instanceof Uint8Array &&
      s.lengths instanceof Uint32Array &&
      s.alive.length >= s.ids.length &&
      s.lengths.length >= s.ids.length * s.fieldCount &&
      Array.isArray(s.segments) &&
      s.segments.every((seg) => isSegment(seg, s.fieldCount!))
    );
  }

  snapshot(): PostingsSnapshot {
    const n = this.ids.length;
    return {
      format: SNAPSHOT_FORMAT,
      fieldCount: this.fieldCount,
      ids: [...this.ids],
      alive: this.alive.slice(0, n),
      lengths: this.lengths.slice(0, n * this.fieldCount),
      segments: [...this.segments],
    };
  }

  /** Live documents. */
  get size(): number {
    return this.liveCount;
  }

  /** One past the highest document number (for per-document marks). */
  get docSpace(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.idToDoc.has(id);
  }

  /** The live document number of an id, or -1. */
  docOf(id: string): number {
    return this.idToDoc.get(id) ?? -1;
  }

  idOf(doc: number): string {
    return this.ids[doc]!;
  }

  /** Live ids, in document order. */
  liveIds(): string[] {
    const out: string[] = [];
    for (let doc = 0; doc < this.ids.length; doc++) if (this.alive[doc] === 1) out.push(this.ids[doc]!);
    return out;
  }

  fieldLength(doc: number, field: number): number {
    return this.lengths[doc * this.fieldCount + field]!;
  }

  /** Mean field length over live documents. */
  averageLength(field: number): number {
    return this.liveCount === 0 ? 0 : this.lengthSums[field]! / this.liveCount;
  }

  /**
   * Adds documents (as segments of at most SEGMENT_DOCS); an id already present is removed first
   * (it gets a new number). `fields(i)` gives document i's fields in field order.
   */
  add(ids: readonly string[], fields: (i: number) => readonly CountedField[]): void {
    this.remove(ids);
    this.forgetDecoded();
    const unique = new Map<string, number>();
    ids.forEach((id, i) => unique.set(id, i)); // the last of repeated ids wins, as with one add each
    const order = [...unique.values()].sort((a, b) => a - b);
    for (let from = 0; from < order.length; from += SEGMENT_DOCS) this.addSegment(order.slice(from, from + SEGMENT_DOCS), ids, fields);
  }

  private addSegment(batch: readonly number[], ids: readonly string[], fields: (i: number) => readonly CountedField[]): void {
    const prepared = prepareSegment(batch.map((i) => fields(i)), this.fieldCount);
    this.appendPrepared(batch.map((i) => ids[i]!), prepared);
  }

  /**
   * Adds documents whose segment was built elsewhere (`prepareSegment`, e.g. on a worker thread):
   * no term is gathered or sorted here. An id already present is removed first.
   */
  addPrepared(ids: readonly string[], prepared: PreparedSegment): void {
    if (ids.length !== prepared.count || prepared.fields.length !== this.fieldCount) {
      throw new Error(`postings store: a prepared segment of ${prepared.count} documents and ${prepared.fields.length} fields for ${ids.length} ids`);
    }
    if (ids.length === 0) return;
    this.remove(ids);
    this.forgetDecoded();
    this.appendPrepared(ids, prepared);
  }

  private appendPrepared(ids: readonly string[], prepared: PreparedSegment): void {
    const base = this.ids.length;
    const n = ids.length;
    this.grow(base + n);
    for (let i = 0; i < n; i++) {
      const doc = base + i;
      const id = ids[i]!;
      // The same id twice in one segment: the later one stands, as with two adds.
      const earlier = this.idToDoc.get(id);
      if (earlier !== undefined && earlier >= base) this.remove([id]);
      this.ids.push(id);
      this.idToDoc.set(id, doc);
      this.alive[doc] = 1;
      this.liveCount++;
      for (let f = 0; f < this.fieldCount; f++) {
        const length = prepared.lengths[i * this.fieldCount + f]!;
        this.lengths[doc * this.fieldCount + f] = length;
        this.lengthSums[f]! += length;
      }
    }
    this.segments.push({ base, count: n, fields: prepared.fields });
    this.mergeTiers();
  }

  /** Marks documents dead by id; unknown ids are ignored. */
  remove(ids: readonly string[]): void {
    if (ids.length > 0) this.forgetDecoded();
    for (const id of ids) {
      const doc = this.idToDoc.get(id);
      if (doc === undefined) continue;
      this.idToDoc.delete(id);
      this.alive[doc] = 0;
      this.liveCount--;
      for (let f = 0; f < this.fieldCount; f++) this.lengthSums[f]! -= this.lengths[doc * this.fieldCount + f]!;
    }
  }

  /** The live postings of one term in one field, across segments. */
  list(field: number, term: string): PostingList {
    const key = `${field}\u0000${term}`;
    const cached = this.decoded.get(key);
    if (cached !== undefined) return cached;
    const list = this.listNow(field, term);
    this.remember(key, list);
    return list;
  }

  /** Decoded straight into one pair of arrays (not a list per segment, then copied together). */
  private listNow(field: number, term: string): PostingList {
    const found: Array<{ table: FieldTable; i: number; base: number }> = [];
    let capacity = 0;
    for (const segment of this.segments) {
      const table = segment.fields[field]!;
      const i = this.heads.find(table, term);
      if (i < 0) continue;
      found.push({ table, i, base: segment.base });
      // At least two bytes a posting.
      capacity += (table.listStarts[i + 1]! - table.listStarts[i]!) >> 1;
    }
    if (found.length === 0) return EMPTY_LIST;
    const docs = new Int32Array(capacity);
    const counts = new Uint16Array(capacity);
    let n = 0;
    for (const { table, i, base } of found) n = decodeInto(table, i, base, this.alive, docs, counts, n);
    return { docs: docs.subarray(0, n), counts: counts.subarray(0, n) };
  }

  /** Every term of the field starting with `prefix` (itself included), with its live postings. */
  prefixLists(field: number, prefix: string): Map<string, PostingList> {
    const found = new Map<string, PostingList[]>();
    for (const segment of this.segments) {
      const table = segment.fields[field]!;
      const n = table.termStarts.length - 1;
      for (let i = this.heads.lowerBound(table, prefix); i < n && termStartsWith(table, i, prefix); i++) {
        const term = termAt(table, i);
        let parts = found.get(term);
        if (parts === undefined) found.set(term, (parts = []));
        parts.push(decodeList(table, i, segment.base, this.alive));
      }
    }
    const out = new Map<string, PostingList>();
    for (const [term, parts] of found) {
      const key = `${field}\u0000${term}`;
      const list = this.decoded.get(key) ?? concatLists(parts);
      this.remember(key, list);
      if (list.docs.length > 0) out.set(term, list);
    }
    return out;
  }

  /**
   * Terms of the field starting with `prefix`, each with about how many documents hold it (from
   * the lists' byte lengths, dead documents included: for ranking suggestions, not for scores).
   */
  termsWithPrefix(field: number, prefix: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const segment of this.segments) {
      const table = segment.fields[field]!;
      const n = table.termStarts.length - 1;
      for (let i = this.heads.lowerBound(table, prefix); i < n && termStartsWith(table, i, prefix); i++) {
        const term = termAt(table, i);
        // Two varints a posting, mostly a byte each.
        const about = Math.max(1, (table.listStarts[i + 1]! - table.listStarts[i]!) >> 1);
        out.set(term, (out.get(term) ?? 0) + about);
      }
    }
    return out;
  }

  /**
   * Keeps a long decoded list for the next queries (common words and bigrams recur in most
   * queries); anything that changes the documents forgets them all.
   */
  private remember(key: string, list: PostingList): void {
    if (list.docs.length < CACHED_LIST_MIN) return;
    // A list decoded into spare capacity (dead or multi-byte postings) is kept at its size.
    if (list.docs.buffer.byteLength > list.docs.byteLength * 1.25) list = { docs: list.docs.slice(), counts: list.counts.slice() };
    this.decoded.delete(key);
    this.decoded.set(key, list);
    this.decodedEntries += list.docs.length;
    for (const [oldest, old] of this.decoded) {
      if (this.decodedEntries <= CACHED_ENTRIES) break;
      this.decoded.delete(oldest);
      this.decodedEntries -= old.docs.length;
    }
  }

  private forgetDecoded(): void {
    this.decoded.clear();
    this.decodedEntries = 0;
  }

  private grow(needed: number): void {
    if (needed <= this.alive.length) return;
    const size = Math.max(needed, this.alive.length * 2);
    const alive = new Uint8Array(size);
    alive.set(this.alive);
    this.alive = alive;
    const lengths = new Uint32Array(size * this.fieldCount);
    lengths.set(this.lengths);
    this.lengths = lengths;
  }

  /**
   * While the last MERGE_FAN segments share a size tier, merges them into one (a posting is copied
   * about once per tier). Segments left between tiers by odd batch sizes are bounded: past
   * MAX_SEGMENTS, the MERGE_FAN neighbours holding the fewest documents are merged.
   */
  private mergeTiers(): void {
    for (;;) {
      const n = this.segments.length;
      if (n > MAX_SEGMENTS) {
        let best = 0;
        let bestCount = Infinity;
        for (let i = 0; i + MERGE_FAN <= n; i++) {
          let count = 0;
          for (let j = i; j < i + MERGE_FAN; j++) count += this.segments[j]!.count;
          if (count < bestCount) [best, bestCount] = [i, count];
        }
        this.segments.splice(best, MERGE_FAN, mergeSegments(this.segments.slice(best, best + MERGE_FAN), this.alive, this.fieldCount));
        continue;
      }
      if (n < MERGE_FAN) return;
      const tail = this.segments.slice(n - MERGE_FAN);
      const tier = tierOf(tail[tail.length - 1]!.count);
      if (!tail.every((s) => tierOf(s.count) === tier)) return;
      this.segments.splice(n - MERGE_FAN, MERGE_FAN, mergeSegments(tail, this.alive, this.fieldCount));
    }
  }
}

/** Size tiers grow by MERGE_FAN: a merged tier's segment is about MERGE_FAN times its parts. */
function tierOf(count: number): number {
  return Math.floor(Math.log(Math.max(count, 1)) / Math.log(MERGE_FAN));
}

function isSegment(value: unknown, fieldCount: number): value is Segment {
  const s = value as Partial<Segment> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.base === 'number' &&
    typeof s.count === 'number' &&
    Array.isArray(s.fields) &&
    s.fields.length === fieldCount &&
    s.fields.every(
      (t: Partial<FieldTable>) =>
        typeof t.terms === 'string' &&
        t.termStarts instanceof Uint32Array &&
        t.listStarts instanceof Uint32Array &&
        t.bytes instanceof Uint8Array &&
        t.termStarts.length === t.listStarts.length &&
        t.termStarts[t.termStarts.length - 1] === t.terms.length &&
        t.listStarts[t.listStarts.length - 1] === t.bytes.length,
    )
  );
}

/** A segment built apart from any store: documents numbered from 0, their field lengths, the tables. */
export interface PreparedSegment {
  count: number;
  /** Per document, per field: distinct terms. */
  lengths: Uint32Array;
  fields: FieldTable[];
}

/**
 * The segment of these documents (each given as its fields' counted terms, in field order). The
 * tables do not depend on where the documents will be numbered: lists store gaps from the
 * segment's start, so a store takes them as they are.
 */
export function prepareSegment(docs: ReadonlyArray<readonly CountedField[]>, fieldCount: number): PreparedSegment {
  const lengths = new Uint32Array(docs.length * fieldCount);
  const gathered: Array<Map<string, number[]>> = Array.from({ length: fieldCount }, () => new Map());
  docs.forEach((docFields, doc) => {
    for (let f = 0; f < fieldCount; f++) {
      const field = docFields[f];
      if (field === undefined) continue;
      lengths[doc * fieldCount + f] = field.keys.length;
      const map = gathered[f]!;
      for (let t = 0; t < field.keys.length; t++) {
        const key = field.keys[t]!;
        let list = map.get(key);
        if (list === undefined) map.set(key, (list = []));
        list.push(doc, field.counts[t]!);
      }
    }
  });
  return { count: docs.length, lengths, fields: gathered.map((map) => tableFromLists(map, 0)) };
}

// ---- Tables: building, finding, decoding ----

/** A table from term → flat [doc, count, doc, count, …] lists with ascending docs. */
function tableFromLists(lists: Map<string, number[]>, base: number): FieldTable {
  // The default sort compares code units, as `<` does, without calling back into JS.
  const terms = [...lists.keys()].sort();
  const writer = new ByteWriter(terms.length * 8);
  const termStarts = new Uint32Array(terms.length + 1);
  const listStarts = new Uint32Array(terms.length + 1);
  let chars = 0;
  terms.forEach((term, i) => {
    termStarts[i] = chars;
    chars += term.length;
    listStarts[i] = writer.length;
    const flat = lists.get(term)!;
    let previous = base - 1;
    for (let j = 0; j < flat.length; j += 2) {
      writer.varint(flat[j]! - previous);
      writer.varint(flat[j + 1]!);
      previous = flat[j]!;
    }
  });
  termStarts[terms.length] = chars;
  listStarts[terms.length] = writer.length;
  return { terms: terms.join(''), termStarts, listStarts, bytes: writer.bytes() };
}

function termAt(table: FieldTable, i: number): string {
  return table.terms.slice(table.termStarts[i]!, table.termStarts[i + 1]!);
}

/** Compares term i with `key` without slicing it out. */
function compareTerm(table: FieldTable, i: number, key: string): number {
  const start = table.termStarts[i]!;
  const length = table.termStarts[i + 1]! - start;
  const n = Math.min(length, key.length);
  for (let k = 0; k < n; k++) {
    const d = table.terms.charCodeAt(start + k) - key.charCodeAt(k);
    if (d !== 0) return d;
  }
  return length - key.length;
}

function termStartsWith(table: FieldTable, i: number, prefix: string): boolean {
  const start = table.termStarts[i]!;
  if (table.termStarts[i + 1]! - start < prefix.length) return false;
  return table.terms.startsWith(prefix, start);
}

/** The first term in [lo, hi) not below `key` (hi when all are below). */
function lowerBound(table: FieldTable, key: string, lo = 0, hi = table.termStarts.length - 1): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareTerm(table, mid, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Term lookups narrowed by each term's first two code units (its bucket, see term-keys.ts): a
 * query looks every leaf up in every segment (~30), and the full binary search, comparing the
 * same bucket units again at each step, was most of the time of finding a list. The range of a
 * head in a table is found once, on first use, and remembered while the table lives.
 */
class HeadRanges {
  private ranges = new WeakMap<FieldTable, Map<number, number>>();

  /** The first term of the table not below `key`. */
  lowerBound(table: FieldTable, key: string): number {
    const n = table.termStarts.length - 1;
    if (key.length < 2 || n < 64) return lowerBound(table, key);
    const c0 = key.charCodeAt(0);
    const c1 = key.charCodeAt(1);
    if (c1 === 0xffff) return lowerBound(table, key);
    let byHead = this.ranges.get(table);
    if (byHead === undefined) this.ranges.set(table, (byHead = new Map()));
    const head = c0 * 0x10000 + c1;
    let range = byHead.get(head);
    if (range === undefined) {
      // Terms with this head are those in [head, next head): every later term is above `key` too.
      const lo = lowerBound(table, String.fromCharCode(c0, c1));
      const hi = lowerBound(table, String.fromCharCode(c0, c1 + 1), lo);
      range = lo * 0x4000000 + hi;
      byHead.set(head, range);
    }
    return lowerBound(table, key, Math.floor(range / 0x4000000), range % 0x4000000);
  }

  /** The index of `key` in the table, or -1. */
  find(table: FieldTable, key: string): number {
    const i = this.lowerBound(table, key);
    return i < table.termStarts.length - 1 && compareTerm(table, i, key) === 0 ? i : -1;
  }
}

function decodeList(table: FieldTable, i: number, base: number, alive: Uint8Array): PostingList {
  // At most one posting per two bytes.
  const capacity = (table.listStarts[i + 1]! - table.listStarts[i]!) >> 1;
  const docs = new Int32Array(capacity);
  const counts = new Uint16Array(capacity);
  const n = decodeInto(table, i, base, alive, docs, counts, 0);
  return { docs: docs.subarray(0, n), counts: counts.subarray(0, n) };
}

/** Appends the live postings of list i to docs/counts from index n; returns the new end. */
function decodeInto(table: FieldTable, i: number, base: number, alive: Uint8Array, docs: Int32Array, counts: Uint16Array, n: number): number {
  const { bytes } = table;
  let at = table.listStarts[i]!;
  const end = table.listStarts[i + 1]!;
  let doc = base - 1;
  while (at < end) {
    // Most varints are one byte: no loop for them.
    let byte = bytes[at++]!;
    let gap = byte & 0x7f;
    for (let scale = 128; byte >= 0x80; scale *= 128) {
      byte = bytes[at++]!;
      gap += (byte & 0x7f) * scale;
    }
    byte = bytes[at++]!;
    let count = byte & 0x7f;
    for (let scale = 128; byte >= 0x80; scale *= 128) {
      byte = bytes[at++]!;
      count += (byte & 0x7f) * scale;
    }
    doc += gap;
    if (alive[doc] !== 1) continue;
    docs[n] = doc;
    counts[n] = count;
    n++;
  }
  return n;
}

function concatLists(parts: PostingList[]): PostingList {
  if (parts.length === 0) return EMPTY_LIST;
  if (parts.length === 1) return parts[0]!;
  let total = 0;
  for (const p of parts) total += p.docs.length;
  const docs = new Int32Array(total);
  const counts = new Uint16Array(total);
  let at = 0;
  for (const p of parts) {
    docs.set(p.docs, at);
    counts.set(p.counts, at);
    at += p.docs.length;
  }
  return { docs, counts };
}

/** Merges consecutive segments (ascending bases) into one, leaving dead documents out. */
function mergeSegments(segments: readonly Segment[], alive: Uint8Array, fieldCount: number): Segment {
  const base = segments[0]!.base;
  const last = segments[segments.length - 1]!;
  const fields: FieldTable[] = [];
  for (let f = 0; f < fieldCount; f++) {
    const tables = segments.map((s) => s.fields[f]!);
    const bases = segments.map((s) => s.base);
    fields.push(mergeTables(tables, bases, base, alive));
  }
  return { base, count: last.base + last.count - base, fields };
}

function mergeTables(tables: readonly FieldTable[], bases: readonly number[], base: number, alive: Uint8Array): FieldTable {
  // Terms are compared and copied where they lie, as code units: no string per term (at 50,000
  // items a merge meets millions of them, and their garbage outweighed the postings).
  const k = tables.length;
  const cursor = new Int32Array(k);
  const sizes = tables.map((t) => t.termStarts.length - 1);
  let maxTerms = 0;
  let maxChars = 0;
  let maxBytes = 0;
  for (const t of tables) {
    maxTerms += t.termStarts.length - 1;
    maxChars += t.terms.length;
    maxBytes += t.bytes.length;
  }
  const writer = new ByteWriter(maxBytes);
  const termStarts = new Uint32Array(maxTerms + 1);
  const listStarts = new Uint32Array(maxTerms + 1);
  const chars = new Uint16Array(maxChars);
  /** The tables whose current term is the smallest, in table (so document) order. */
  const smallest = new Int32Array(k);
  let n = 0;
  let length = 0;
  for (;;) {
    let best = -1;
    let ties = 0;
    for (let j = 0; j < k; j++) {
      if (cursor[j]! >= sizes[j]!) continue;
      const d = best < 0 ? -1 : compareTerms(tables[j]!, cursor[j]!, tables[best]!, cursor[best]!);
      if (d < 0) {
        best = j;
        ties = 0;
      }
      if (d <= 0) smallest[ties++] = j;
    }
    if (best < 0) break;
    const listStart = writer.length;
    let previous = base - 1;
    for (let s = 0; s < ties; s++) {
      const j = smallest[s]!;
      previous = copyLiveList(tables[j]!, cursor[j]!, bases[j]!, alive, writer, previous);
    }
    if (writer.length > listStart) {
      // Kept only if a posting of it is alive.
      const { terms, termStarts: starts } = tables[best]!;
      termStarts[n] = length;
      listStarts[n] = listStart;
      for (let c = starts[cursor[best]!]!, end = starts[cursor[best]! + 1]!; c < end; c++) chars[length++] = terms.charCodeAt(c);
      n++;
    }
    for (let s = 0; s < ties; s++) cursor[smallest[s]!]!++;
  }
  termStarts[n] = length;
  listStarts[n] = writer.length;
  return { terms: codeUnitsToString(chars, length), termStarts: termStarts.slice(0, n + 1), listStarts: listStarts.slice(0, n + 1), bytes: writer.bytes() };
}

/** Compares term i of table a with term j of table b in code-unit order (as `<` on strings). */
function compareTerms(a: FieldTable, i: number, b: FieldTable, j: number): number {
  const aStart = a.termStarts[i]!;
  const aLength = a.termStarts[i + 1]! - aStart;
  const bStart = b.termStarts[j]!;
  const bLength = b.termStarts[j + 1]! - bStart;
  const shorter = Math.min(aLength, bLength);
  for (let c = 0; c < shorter; c++) {
    const d = a.terms.charCodeAt(aStart + c) - b.terms.charCodeAt(bStart + c);
    if (d !== 0) return d;
  }
  return aLength - bLength;
}

/** The string of units[0, length), lone surrogates kept (a text decoder would replace them). */
function codeUnitsToString(units: Uint16Array, length: number): string {
  const parts: string[] = [];
  for (let from = 0; from < length; from += 8192) {
    parts.push(String.fromCharCode.apply(null, units.subarray(from, Math.min(length, from + 8192)) as unknown as number[]));
  }
  return parts.join('');
}

/**
 * Appends list i of a table to `writer`, re-based on `previous` (the last document written), live
 * documents only, without decoding it into arrays. Returns the new last document.
 */
function copyLiveList(table: FieldTable, i: number, base: number, alive: Uint8Array, writer: ByteWriter, previous: number): number {
  const { bytes } = table;
  let at = table.listStarts[i]!;
  const end = table.listStarts[i + 1]!;
  let doc = base - 1;
  while (at < end) {
    let byte = bytes[at++]!;
    let gap = byte & 0x7f;
    for (let shift = 7; byte >= 0x80; shift += 7) {
      byte = bytes[at++]!;
      gap += (byte & 0x7f) * 2 ** shift;
    }
    const countStart = at;
    while (bytes[at++]! >= 0x80);
    doc += gap;
    if (alive[doc] !== 1) continue;
    writer.varint(doc - previous);
    writer.copy(bytes, countStart, at);
    previous = doc;
  }
  return previous;
}

/** A growable byte buffer of unsigned LEB128 varints. */
class ByteWriter {
  private buffer: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.buffer = new Uint8Array(Math.max(capacity, 64));
  }

  varint(value: number): void {
    if (this.length + 8 > this.buffer.length) this.ensure(8);
    while (value >= 0x80) {
      this.buffer[this.length++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buffer[this.length++] = value;
  }

  /** Appends bytes[from..to) as they are (an already encoded varint). */
  copy(bytes: Uint8Array, from: number, to: number): void {
    if (this.length + (to - from) > this.buffer.length) this.ensure(to - from);
    for (let i = from; i < to; i++) this.buffer[this.length++] = bytes[i]!;
  }

  private ensure(extra: number): void {
    // Merges size the buffer to their input, which re-based gaps can pass by a few bytes: grow gently.
    const grown = new Uint8Array(Math.max(Math.ceil(this.buffer.length * 1.25), this.length + extra));
    grown.set(this.buffer);
    this.buffer = grown;
  }

  /** The written bytes, trimmed to their length (a copy, so the spare capacity is freed). */
  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
