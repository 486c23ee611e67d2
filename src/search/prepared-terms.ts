/**
 * A page's terms made ready for the index where they are cut (on a worker thread): the postings
 * segment is gathered and sorted there, so the main thread only appends it (postings-store.ts).
 * Gathering ~1,500 terms per item was most of the main thread's indexing time.
 */
import { fieldKeys, type DocumentTerms } from './document-terms.js';
import { prepareSegment, type PreparedSegment } from './postings-store.js';

export interface PreparedTerms {
  /** Normalised headline + subheadline per item, in the order of the items. */
  headings: string[];
  /** Normalised body per item when it is in traditional characters, else null. */
  traditionalBodies: Array<string | null>;
  /** With or without the bigram fields (must match the index). */
  grams: boolean;
  segment: PreparedSegment;
}

/** The items' terms (one `DocumentTerms` per item, in order) as one prepared segment. */
export function prepareTerms(terms: readonly DocumentTerms[], grams: boolean): PreparedTerms {
  const fieldCount = grams ? 5 : 3;
  return {
    headings: terms.map((t) => t.heading),
    traditionalBodies: terms.map((t) => t.traditionalBody),
    grams,
    segment: prepareSegment(
      terms.map((t) => t.fields.slice(0, fieldCount).map((field) => ({ keys: fieldKeys(field), counts: field.counts }))),
      fieldCount,
    ),
  };
}

/** The typed arrays a prepared page holds, to transfer them to another thread instead of copying. */
export function transferablesOf(prepared: PreparedTerms): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>([prepared.segment.lengths.buffer as ArrayBuffer]);
  for (const table of prepared.segment.fields) {
    buffers.add(table.termStarts.buffer as ArrayBuffer);
    buffers.add(table.listStarts.buffer as ArrayBuffer);
    buffers.add(table.bytes.buffer as ArrayBuffer);
  }
  return [...buffers];
}
