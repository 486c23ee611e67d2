import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import MiniSearch from 'minisearch';
import { beforeAll, describe, expect, it } from 'vitest';
import { editDistanceWithin } from '../../src/search/close-terms.js';
import { documentTerms, fieldKeys, wordTerms, type DocumentTerms } from '../../src/search/document-terms.js';
import { evaluateQuery, type QuerySlot } from '../../src/search/postings-query.js';
import { PostingsStore, type CountedField } from '../../src/search/postings-store.js';
import { prepareTerms, transferablesOf } from '../../src/search/prepared-terms.js';
import { encodeTerm } from '../../src/search/term-keys.js';
import { createSegmenter } from '../../src/text/segmenter.js';
import { loadSeedCorpus } from './seed-index.js';

const FIELDS = ['title', 'subtitle', 'body', 'titleGrams', 'bodyGrams'];
const FIELD_IDS = Object.fromEntries(FIELDS.map((f, i) => [f, i]));
const BOOST = { title: 4, subtitle: 2.5, body: 1, titleGrams: 2, bodyGrams: 0.5 };
const SEP = '\u0000';

interface Doc {
  id: string;
  terms: DocumentTerms;
}

const counted = (terms: DocumentTerms): CountedField[] => terms.fields.map((f) => ({ keys: fieldKeys(f), counts: f.counts }));

/** MiniSearch, the reference: fed every term occurrence (a field string repeats a term `count` times). */
function referenceIndex(docs: readonly Doc[]): MiniSearch {
  const mini = new MiniSearch({
    fields: FIELDS,
    tokenize: (text: string) => (text === '' ? [] : text.split(SEP)),
    // The store's keys are already encoded; queries are encoded here, as evaluateQuery does.
    processTerm: (t: string) => t,
    searchOptions: { tokenize: (t: string) => [t], processTerm: encodeTerm, boost: BOOST },
  });
  for (const { id, terms } of docs) {
    const doc: Record<string, string> = { id };
    FIELDS.forEach((field, f) => {
      const keys = fieldKeys(terms.fields[f]!);
      doc[field] = keys.flatMap((k, i) => Array<string>(terms.fields[f]!.counts[i]!).fill(k)).join(SEP);
    });
    mini.add(doc);
  }
  return mini;
}

function referenceSearch(mini: MiniSearch, slots: readonly QuerySlot[]): Map<string, number> {
  const query = {
    combineWith: 'AND',
    queries: slots.map((slot) => ({
      combineWith: 'OR',
      queries: slot.map((branch) => ({
        combineWith: 'AND',
        queries: branch.map((leaf) => ({ queries: [leaf.term], fields: [...leaf.fields], prefix: leaf.prefix })),
      })),
    })),
  };
  return new Map(mini.search(query as never).map((r) => [String(r.id), r.score]));
}

function storeSearch(store: PostingsStore, slots: readonly QuerySlot[]): Map<string, number> {
  const evaluated = evaluateQuery(store, FIELD_IDS, slots, BOOST);
  return new Map(evaluated.docs.map((doc) => [evaluated.idOf(doc), evaluated.score(doc)]));
}

function expectSameResults(actual: Map<string, number>, expected: Map<string, number>, label: string): void {
  expect([...actual.keys()].sort(), label).toEqual([...expected.keys()].sort());
  for (const [id, score] of expected) expect(actual.get(id)! / score, `${label} ${id}`).toBeCloseTo(1, 9);
}

let docs: Doc[];

beforeAll(async () => {
  const corpus = await loadSeedCorpus();
  const seg = createSegmenter({ words: corpus.placeWords });
  // The seed's items, and variants with fewer paragraphs, so terms have different frequencies.
  const items = corpus.entries.flatMap(({ item }, i) => [
    item,
    ...[1, 2, 3].map((k) => ({ ...item, id: `${item.id}-${k}`, paragraphs: item.paragraphs.filter((_, p) => (p + i) % (k + 1) !== 0) })),
  ]);
  docs = items.map((item) => ({ id: item.id, terms: documentTerms(item, wordTerms(item, seg), seg.normalize, true) }));
});

/** Query shapes the index runs: word branches and gram branches (one-character grams by prefix). */
const word = (term: string) => [{ term, fields: ['title', 'subtitle', 'body'], prefix: false }];
const grams = (...terms: string[]) => terms.map((term) => ({ term, fields: ['titleGrams', 'bodyGrams'], prefix: term.length === 1 }));
const QUERIES: Array<[string, QuerySlot[]]> = [
  ['one word', [[word('社区')]]],
  ['word or its grams', [[word('医保'), grams('医保')]]],
  ['two slots', [[word('企业'), grams('企业')], [word('服务'), grams('服务')]]],
  ['grams only', [[grams('星新', '新社', '社区')]]],
  ['one character by prefix', [[grams('衢')]]],
  ['a slot of many branches', [[word('硅烷'), word('停车场'), grams('湖枫', '枫清', '清警')]]],
  ['nothing', [[word('不存在的词')]]],
];

describe('evaluateQuery on the compact store, against MiniSearch as the reference scorer', () => {
  it('finds the same items with the same scores as MiniSearch', () => {
    const store = new PostingsStore(FIELDS.length);
    store.add(docs.map((d) => d.id), (i) => counted(docs[i]!.terms));
    const reference = referenceIndex(docs);
    for (const [label, slots] of QUERIES) {
      const found = storeSearch(store, slots);
      expectSameResults(found, referenceSearch(reference, slots), label);
      // Every query but the last finds something: the comparison is not of two empty lists.
      if (label !== 'nothing') expect(found.size, label).toBeGreaterThan(0);
    }
  });

  it('still does when one add is split into several segments', () => {
    // More documents than one segment takes (512), in one call.
    const many = Array.from({ length: 14 }, (_, k) => docs.map((d) => ({ ...d, id: `${d.id}#${k}` }))).flat();
    expect(many.length).toBeGreaterThan(512);
    const store = new PostingsStore(FIELDS.length);
    store.add(many.map((d) => d.id), (i) => counted(many[i]!.terms));
    const reference = referenceIndex(many);
    for (const [label, slots] of QUERIES.slice(0, 3)) expectSameResults(storeSearch(store, slots), referenceSearch(reference, slots), label);
  });

  it('still does for segments prepared elsewhere and sent over with their buffers transferred', () => {
    const store = new PostingsStore(FIELDS.length);
    // Page-sized batches, as workers send them; one of them repeats an id already added.
    const pages = [docs.slice(0, 14), docs.slice(14, 28), [...docs.slice(28), docs[3]!]];
    for (const page of pages) {
      const prepared = prepareTerms(page.map((d) => d.terms), true);
      const sent = structuredClone(prepared, { transfer: transferablesOf(prepared) });
      expect(prepared.segment.fields[2]!.bytes.length).toBe(0); // moved, not copied
      store.addPrepared(page.map((d) => d.id), sent.segment);
    }
    const reference = referenceIndex([...docs.slice(0, 3), ...docs.slice(4), docs[3]!]);
    expect(store.size).toBe(docs.length);
    for (const [label, slots] of QUERIES) expectSameResults(storeSearch(store, slots), referenceSearch(reference, slots), label);
  });

  it('still does after items are removed, and after merges drop them', () => {
    const store = new PostingsStore(FIELDS.length);
    // One item a batch: many segments, merged tier by tier.
    for (const d of docs) store.add([d.id], () => counted(d.terms));
    const removed = new Set(docs.filter((_, i) => i % 3 === 0).map((d) => d.id));
    store.remove([...removed]);
    // More batches after the removal, so merges meet dead documents.
    const extra = docs.slice(0, 9).map((d) => ({ ...d, id: `${d.id}-again` }));
    for (const d of extra) store.add([d.id], () => counted(d.terms));
    const kept = [...docs.filter((d) => !removed.has(d.id)), ...extra];
    const reference = referenceIndex(kept);
    expect(store.size).toBe(kept.length);
    for (const [label, slots] of QUERIES) expectSameResults(storeSearch(store, slots), referenceSearch(reference, slots), label);
  });

  it('restores from its snapshot through v8 serialisation, and takes more items after', () => {
    const store = new PostingsStore(FIELDS.length);
    store.add(docs.slice(0, 20).map((d) => d.id), (i) => counted(docs[i]!.terms));
    store.remove([docs[3]!.id]);
    const snapshot = deserialize(serialize(store.snapshot())) as unknown;
    expect(PostingsStore.isSnapshot(snapshot)).toBe(true);
    const restored = PostingsStore.fromSnapshot(snapshot as ReturnType<PostingsStore['snapshot']>);
    const rest = docs.slice(20);
    restored.add(rest.map((d) => d.id), (i) => counted(rest[i]!.terms));
    const reference = referenceIndex([...docs.slice(0, 20).filter((_, i) => i !== 3), ...rest]);
    for (const [label, slots] of QUERIES) expectSameResults(storeSearch(restored, slots), referenceSearch(reference, slots), label);
  });

  it('rejects damaged snapshots instead of trusting them', () => {
    const store = new PostingsStore(FIELDS.length);
    store.add([docs[0]!.id], () => counted(docs[0]!.terms));
    const good = store.snapshot();
    expect(PostingsStore.isSnapshot(good)).toBe(true);
    expect(PostingsStore.isSnapshot({ ...good, format: 'other' })).toBe(false);
    expect(PostingsStore.isSnapshot({ ...good, alive: new Uint8Array(0) })).toBe(false);
    const table = good.segments[0]!.fields[2]!;
    const cut = { ...table, bytes: table.bytes.subarray(1) };
    expect(PostingsStore.isSnapshot({ ...good, segments: [{ ...good.segments[0]!, fields: good.segments[0]!.fields.map((t, f) => (f === 2 ? cut : t)) }] })).toBe(false);
    expect(PostingsStore.isSnapshot(null)).toBe(false);
  });
});

describe('PostingsStore against a plain model', () => {
  // Terms over a tiny alphabet, so prefixes and shared terms are common.
  const term = fc.string({ unit: fc.constantFrom('a', 'b', '衢', '州'), minLength: 1, maxLength: 3 });
  const fieldArb = fc.dictionary(term, fc.integer({ min: 1, max: 300 }), { maxKeys: 6 });
  const op = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), docs: fc.array(fc.record({ id: fc.integer({ min: 0, max: 40 }), fields: fc.tuple(fieldArb, fieldArb) }), { minLength: 1, maxLength: 5 }) }),
    fc.record({ kind: fc.constant('remove' as const), ids: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 4 }) }),
  );

  it('lists, prefix lists, sizes and lengths match a map of maps after any adds and removes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const store = new PostingsStore(2);
        // The model: live id → its two fields' term counts, in insertion order of the latest add.
        const model = new Map<string, Array<Record<string, number>>>();
        for (const o of ops) {
          if (o.kind === 'add') {
            const batch = o.docs.map((d) => ({ id: `d${d.id}`, fields: d.fields }));
            store.add(batch.map((d) => d.id), (i) => batch[i]!.fields.map((f) => ({ keys: Object.keys(f), counts: Object.values(f) })));
            // As one add each: a repeated id ends up where its last add put it.
            for (const d of batch) {
              model.delete(d.id);
              model.set(d.id, d.fields);
            }
          } else {
            const ids = o.ids.map((i) => `d${i}`);
            store.remove(ids);
            for (const id of ids) model.delete(id);
          }
        }
        expect(store.size).toBe(model.size);
        expect(store.liveIds()).toEqual([...model.keys()]);
        for (let f = 0; f < 2; f++) {
          const expected = new Map<string, Array<[string, number]>>();
          let lengthSum = 0;
          for (const [id, fields] of model) {
            lengthSum += Object.keys(fields[f]!).length;
            for (const [t, count] of Object.entries(fields[f]!)) {
              if (!expected.has(t)) expected.set(t, []);
              expected.get(t)!.push([id, count]);
            }
          }
          expect(store.averageLength(f)).toBeCloseTo(model.size === 0 ? 0 : lengthSum / model.size, 9);
          for (const [t, postings] of expected) {
            const list = store.list(f, t);
            expect([...list.docs].map((doc) => [store.idOf(doc), list.counts[[...list.docs].indexOf(doc)]])).toEqual(postings);
          }
          for (const prefix of ['a', '衢', 'b衢']) {
            const lists = store.prefixLists(f, prefix);
            expect([...lists.keys()].sort()).toEqual([...expected.keys()].filter((t) => t.startsWith(prefix)).sort());
          }
          expect(store.list(f, 'zzz').docs.length).toBe(0);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('decoded lists kept between queries', () => {
  it('never serve a list from before an add or a remove', () => {
    const store = new PostingsStore(1);
    const ids = Array.from({ length: 600 }, (_, i) => `d${i}`);
    const one = [{ keys: ['常见'], counts: [1] }];
    store.add(ids, () => one);
    expect(store.list(0, '常见').docs.length).toBe(600);
    store.remove(ids.slice(0, 10));
    expect(store.list(0, '常见').docs.length).toBe(590);
    expect(store.prefixLists(0, '常').get('常见')!.docs.length).toBe(590);
    store.add(['e1', 'e2'], () => one);
    expect(store.list(0, '常见').docs.length).toBe(592);
    expect([...store.list(0, '常见').docs].map((d) => store.idOf(d)).slice(-2)).toEqual(['e1', 'e2']);
  });
});

describe('editDistanceWithin', () => {
  it('gives the Levenshtein distance up to the limit, else -1', () => {
    expect(editDistanceWithin('硅院', '硅烷', 1)).toBe(1);
    expect(editDistanceWithin('硅烷', '硅烷', 0)).toBe(0);
    expect(editDistanceWithin('衢州市', '衢州', 1)).toBe(1);
    expect(editDistanceWithin('衢州市区', '衢州', 1)).toBe(-1);
    expect(editDistanceWithin('abcd', 'abdc', 2)).toBe(2);
    expect(editDistanceWithin('abcd', 'dcba', 2)).toBe(-1);
  });
});
