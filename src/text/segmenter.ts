import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isExtractStopWord } from './extract-stop-words.js';
import { parseIdfTable } from './idf-table.js';
import { jiebaFiles } from './jieba-files.js';
import { createNormalizer } from './normalize.js';

/**
 * Chinese word segmentation: jieba (jieba-rs through @node-rs/jieba), applied to normalised text.
 * Each segmenter holds its own dictionary (about 60 MB, loaded in 0.2 s, freed with it); the
 * archive's analysis worker and a search that splits a query are the only code that makes one.
 */
export interface Segmenter {
  /** Words, HMM on (unknown words are not split into single characters): normalised, whitespace dropped. */
  cut(text: string): string[];
  /**
   * The same cut of text that is already normalised (no second normalisation), whitespace tokens
   * kept, so that token lengths add up to the text's.
   */
  cutNormalized(text: string): string[];
  /** Dictionary words only, HMM off (a query word split into the words it is made of). */
  cutWords(text: string): string[];
  /** The normaliser it applies to its input before cutting. */
  normalize(s: string): string;
}

/**
 * The frequency given to added words: the dictionary's median, as cppjieba gives its inserted user
 * words. Enough to keep a name whole (池淮镇 beats 池淮 + 镇), too little to win over a common word.
 */
const ADDED_WORD_FREQUENCY = 3;

/**
 * @param options.words words jieba must know besides its dictionary (the gazetteer's place names).
 * @example
 * const seg = createSegmenter({ words: ['池淮镇', '星新社区'] });
 * seg.cut('池淮镇星新社区'); // ['池淮镇', '星新社区']
 */
export function createSegmenter(options: { words?: readonly string[] } = {}): Segmenter {
  // Required here, not imported: the native library costs ~20 ms to load, and the bot's start needs
  // no segmenter (the summary worker and a query splitter load it later).
  const { Jieba } = createRequire(import.meta.url)('@node-rs/jieba') as typeof import('@node-rs/jieba');
  const normalize = createNormalizer();
  const jieba = Jieba.withDict(readFileSync(jiebaFiles().dict));
  const added = new Set<string>();
  for (const raw of options.words ?? []) {
    const word = normalize(raw.trim());
    if (word !== '' && !/\s/.test(word)) added.add(word);
  }
  if (added.size > 0) jieba.loadDict(Buffer.from([...added].map((w) => `${w} ${ADDED_WORD_FREQUENCY}\n`).join('')));
  return {
    normalize,
    cut: (text) => dropWhitespace(text === '' ? [] : jieba.cut(normalize(text), true)),
    cutNormalized: (text) => (text === '' ? [] : jieba.cut(text, true)),
    cutWords: (text) => dropWhitespace(text === '' ? [] : jieba.cut(normalize(text), false)),
  };
}

/**
 * What keyword extraction needs from jieba besides cutting, so that one `cut` per item serves it:
 * the IDF table and the extraction's stop words. Loaded from jieba's files (about 0.1 s, some
 * 10 MB, see idf-table.ts): once per thread that analyses.
 */
export interface JiebaTables {
  /** Its IDF, or the table's average for a word it lacks (as jieba's TF-IDF weighs it). */
  idf(word: string): number;
  /** The keyword extraction's stop words. */
  isExtractStopWord(word: string): boolean;
}

/** @example const tables = loadJiebaTables(); tables.idf('医保'); */
export function loadJiebaTables(): JiebaTables {
  const table = parseIdfTable(readFileSync(jiebaFiles().idf, 'utf8'));
  const average = table.average;
  return {
    idf: (word) => table.get(word) ?? average,
    isExtractStopWord,
  };
}

function dropWhitespace(words: string[]): string[] {
  return words.filter((w) => w.trim() !== '');
}
