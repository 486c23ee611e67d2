/**
 * The query semantics of /search (step `all`), written the slow and obvious way, for property tests
 * to hold the FTS5 engine to:
 * - text and query are normalised alike (traditional → simplified, full-width folded, lower case);
 * - the searchable text of an item is its headline, subheadline and body, each paragraph on its own
 *   line; it falls into runs of letters, digits and Han characters (anything else, punctuation,
 *   spaces and line breaks, separates runs);
 * - a word or phrase is found when it lies within one run (spaces typed between Han characters
 *   dropped: `医保 服务` is `医保服务`), and a Latin or digit sequence at its edge is not cut out of a
 *   longer one (`5g` is in `5g网络` but not in `15g`): Han is matched by character, Latin and
 *   digits by whole word;
 * - an item matches when every word and phrase is found and no excluded one is; words and phrases
 *   that are stop words are ignored (a query of nothing else is not searched).
 */
import type { Item } from '../../src/pages/item.js';
import { isStopWord } from '../../src/text/stop-words.js';

export interface ReferenceQuery {
  words: string[];
  phrases: string[];
  excluded: string[];
}

const RUN = /[\p{L}\p{N}\p{Script=Han}]+/gu;
const HAN = /\p{Script=Han}/u;
const LATIN_OR_DIGIT = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch) && !HAN.test(ch);

/** The text an item is searched in, before normalisation: one line per field and paragraph. */
export function searchableText(item: Pick<Item, 'title' | 'subtitle' | 'paragraphs'>): string {
  return [item.title, item.subtitle ?? '', ...item.paragraphs].join('\n');
}

/** A normalised word as looked for: spaces between Han characters dropped. */
export function joinHan(normalized: string): string {
  return normalized.replace(/(\p{Script=Han})\s+(?=\p{Script=Han})/gu, '$1');
}

/** Whether `word` (normalised) lies within one run of `text` (normalised), Latin and digits whole. */
export function foundInRun(text: string, word: string): boolean {
  const needle = [...joinHan(word)];
  if (needle.length === 0 || !needle.every((ch) => /[\p{L}\p{N}\p{Script=Han}]/u.test(ch))) return false;
  for (const match of text.matchAll(RUN)) {
    const run = [...match[0]];
    for (let at = 0; at + needle.length <= run.length; at++) {
      if (!needle.every((ch, k) => run[at + k] === ch)) continue;
      if (LATIN_OR_DIGIT(needle[0]) && LATIN_OR_DIGIT(run[at - 1])) continue;
      if (LATIN_OR_DIGIT(needle[needle.length - 1]) && LATIN_OR_DIGIT(run[at + needle.length])) continue;
      return true;
    }
  }
  return false;
}

/** The words and phrases that must be found (stop words dropped), normalised. */
export function requiredUnits(query: ReferenceQuery, normalize: (s: string) => string): string[] {
  return [...query.words, ...query.phrases].map((w) => normalize(w.trim())).filter((w) => w !== '' && !isStopWord(w));
}

/** Whether an item matches the query in step `all`. */
export function referenceMatches(item: Pick<Item, 'title' | 'subtitle' | 'paragraphs'>, query: ReferenceQuery, normalize: (s: string) => string): boolean {
  const text = normalize(searchableText(item));
  return (
    requiredUnits(query, normalize).every((w) => foundInRun(text, w)) &&
    !query.excluded.some((w) => foundInRun(text, normalize(w.trim())))
  );
}

/** The ids of the items that match, in the order given. */
export function referenceSearch(items: readonly Item[], query: ReferenceQuery, normalize: (s: string) => string): string[] {
  return items.filter((item) => referenceMatches(item, query, normalize)).map((item) => item.id);
}
