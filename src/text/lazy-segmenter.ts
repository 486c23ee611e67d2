/**
 * A segmenter that loads jieba's dictionaries only when it first cuts text. Loading them blocks the
 * thread for about a second; the lists (/latest, /county) need no jieba, so a starting bot answers
 * them first and pays for the dictionaries in the background (`load`) or on the first search.
 */
import { createNormalizer } from './normalize.js';
import { createSegmenter, type Segmenter } from './segmenter.js';

export interface LazySegmenter extends Segmenter {
  /** Loads the dictionaries now (idempotent). */
  load(): Segmenter;
  readonly loaded: boolean;
}

/** @example const seg = createLazySegmenter(placeWords(gazetteer)); seg.normalize('醫保'); // no jieba yet */
export function createLazySegmenter(words: readonly string[]): LazySegmenter {
  let inner: Segmenter | null = null;
  let normalize: ((s: string) => string) | null = null;
  const load = (): Segmenter => (inner ??= createSegmenter({ words: [...words] }));
  return {
    load,
    get loaded() {
      return inner !== null;
    },
    // The normaliser (opencc tables, no jieba) is built on first use too, and shared with the segmenter's.
    normalize: (s) => (inner ?? { normalize: (normalize ??= createNormalizer()) }).normalize(s),
    cut: (text) => load().cut(text),
    cutForSearch: (text) => load().cutForSearch(text),
  };
}
