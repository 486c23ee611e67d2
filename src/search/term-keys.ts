/**
 * How terms are spelled inside MiniSearch. Its radix tree finds a child by scanning all of a node's
 * keys; Chinese terms start with thousands of distinct characters, so every insert and lookup
 * scanned thousands of root keys (indexing ran at ~7× jieba's time). A bucket character put before
 * each term, taken from the term's first character, splits that root into small nodes.
 * Prefix search still works (a prefix has the same first character, hence the same bucket).
 */

/** Private-use characters: never in normalised text that jieba returns as a word. */
const BUCKET_BASE = 0xe000;
const BUCKET_BITS = 6;
const BUCKET_MASK = (1 << BUCKET_BITS) - 1;

/** The term as stored in the index. */
export function encodeTerm(term: string): string {
  const c = term.charCodeAt(0);
  return String.fromCharCode(BUCKET_BASE + (c & BUCKET_MASK), BUCKET_BASE + ((c >> BUCKET_BITS) & BUCKET_MASK)) + term;
}

/** The term as the reader would read it. */
export function decodeTerm(key: string): string {
  return key.slice(2);
}
