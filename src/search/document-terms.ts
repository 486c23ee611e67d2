/**
 * What the index keeps of one item, computed once per item (in a worker or from the page cache):
 * each field's distinct terms, already spelled as the index stores them (`encodeTerm`), with their
 * counts. MiniSearch then takes one posting per distinct term instead of one call per occurrence.
 */
import type { Item } from '../pages/item.js';
import type { Segmenter } from '../text/segmenter.js';
import { countCharacterGrams, hanChanged } from './character-grams.js';
import { contentWords } from './query-terms.js';
import { encodeTerm } from './term-keys.js';

/** One field's distinct terms (joined by U+0000, which no term contains) and how often each occurs. */
export interface FieldTerms {
  keys: string;
  counts: Uint16Array;
}

export interface DocumentTerms {
  /** Normalised headline + subheadline, for exact headline checks. */
  heading: string;
  /** The normalised body, kept only when normalisation changed Han characters (traditional text). */
  traditionalBody: string | null;
  /** In field order: title, subtitle, body, then (with grams) titleGrams, bodyGrams. */
  fields: FieldTerms[];
}

/** The jieba half of an item's terms (title, subtitle and body words): what a cache must keep to skip jieba. */
export type WordTerms = [FieldTerms, FieldTerms, FieldTerms];

const SEPARATOR = '\u0000';

/** Distinct terms and counts of a token list; terms are encoded for the index. */
export function countTerms(tokens: readonly string[]): FieldTerms {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  const keys: string[] = [];
  const out = new Uint16Array(counts.size);
  let i = 0;
  for (const [token, count] of counts) {
    keys.push(encodeTerm(token));
    out[i++] = Math.min(count, 0xffff);
  }
  return { keys: keys.join(SEPARATOR), counts: out };
}

/** A field's terms from encoded terms and their counts (in the order of the map). */
export function fieldTerms(counts: ReadonlyMap<string, number>): FieldTerms {
  const out = new Uint16Array(counts.size);
  let i = 0;
  for (const count of counts.values()) out[i++] = Math.min(count, 0xffff);
  return { keys: [...counts.keys()].join(SEPARATOR), counts: out };
}

/** A field of character grams (`characterGrams`), as `countTerms` would give it. */
function gramTerms(text: string): FieldTerms {
  const { grams, counts } = countCharacterGrams(text);
  const out = new Uint16Array(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = Math.min(counts[i]!, 0xffff);
  return { keys: grams.map(encodeTerm).join(SEPARATOR), counts: out };
}

/** The encoded terms of a field, in the order of its counts. */
export function fieldKeys(field: FieldTerms): string[] {
  return field.keys === '' ? [] : field.keys.split(SEPARATOR);
}

/** The title, subtitle and body words (jieba, fine cut, no stop words). */
export function wordTerms(item: Item, seg: Segmenter): WordTerms {
  const words = (text: string): FieldTerms => countTerms(text === '' ? [] : contentWords(seg.cutForSearch(text)));
  return [words(item.title), words(item.subtitle ?? ''), words(item.paragraphs.join('\n'))];
}

/**
 * Every field's terms. The grams need only the normaliser, so a cache that keeps the words can
 * rebuild the rest without jieba.
 */
export function documentTerms(
  item: Item,
  words: WordTerms,
  normalize: (s: string) => string,
  grams: boolean,
  normalized?: { heading: string; body: string },
): DocumentTerms {
  // `normalized`: the headline (title \n subtitle) and body already normalised by the caller, to skip doing it twice.
  const heading = normalized?.heading ?? normalize(`${item.title}\n${item.subtitle ?? ''}`);
  const body = item.paragraphs.join('\n');
  const normalizedBody = normalized?.body ?? normalize(body);
  const fields: FieldTerms[] = [...words];
  if (grams) fields.push(gramTerms(heading), gramTerms(normalizedBody));
  return { heading, traditionalBody: hanChanged(body, normalizedBody) ? normalizedBody : null, fields };
}
