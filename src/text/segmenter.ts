import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import nodejieba from 'nodejieba';
import { createNormalizer } from './normalize.js';

/** Chinese word segmentation (jieba), applied to normalised text. Only the analysis worker loads it. */
export interface Segmenter {
  /** Words: nodejieba.cut(text, true) (HMM on, so unknown words are not split into single chars). Returns normalised words, whitespace dropped. */
  cut(text: string): string[];
  /** The normaliser it applies to its input before cutting. */
  normalize(s: string): string;
}

/*
 * nodejieba keeps one dictionary per thread (a native singleton per addon instance), and `load()`
 * rebuilds it from files, dropping words inserted before. These module-level values mirror that
 * thread-wide native state, so that creating several segmenters (tests, CLI) loads the
 * dictionaries once and never loses inserted words. They are not configuration and have no effect
 * at import.
 */
let dictionariesLoaded = false;
const insertedWords = new Set<string>();

/**
 * Loads jieba's dictionaries once per process and adds `words` (e.g. place names from the
 * gazetteer) with insertWord. Inserted words are process-wide: every segmenter sees them.
 *
 * @example
 * const seg = createSegmenter({ words: ['池淮镇', '星新社区'] });
 * seg.cut('池淮镇星新社区'); // ['池淮镇', '星新社区']
 */
export function createSegmenter(options: { words?: string[] } = {}): Segmenter {
  const normalize = createNormalizer();
  loadDictionariesOnce();
  for (const raw of options.words ?? []) {
    const word = normalize(raw.trim());
    if (word === '' || /\s/.test(word) || insertedWords.has(word)) continue;
    nodejieba.insertWord(word);
    insertedWords.add(word);
  }

  return {
    normalize,
    cut: (text) => dropWhitespace(text === '' ? [] : nodejieba.cut(normalize(text), true)),
  };
}

/**
 * What index-time analysis needs from jieba besides cutting, so that one `cut` per item can stand in
 * for cutForSearch and nodejieba.extract (both cut again): the membership test CutForSearch applies
 * to sub-words, and extract's IDF table and stop words. Loaded from jieba's files (about 0.5 s, some
 * 30 MB): once per thread that indexes.
 */
export interface JiebaTables {
  /** Whether a 2- or 3-character word is in jieba's dictionary, inserted words included. */
  hasShortWord(word: string): boolean;
  /** Its IDF, or the table's average for a word it lacks (as extract weighs it). */
  idf(word: string): number;
  /** extract's stop words (jieba's stop_words.utf8). */
  isExtractStopWord(word: string): boolean;
}

/**
 * jieba's `cut(text, true)` of text that is already normalised (no second normalisation), with
 * whitespace tokens kept so that token lengths add up to the text's. Needs a segmenter created
 * first (dictionaries loaded, user words inserted).
 */
export function cutNormalized(text: string): string[] {
  if (!dictionariesLoaded) throw new Error('segmenter: create a segmenter before cutNormalized');
  return text === '' ? [] : nodejieba.cut(text, true);
}

/**
 * Loads the tables of `JiebaTables` (and the dictionaries, once per process). Words inserted later
 * through createSegmenter are seen too.
 * @example const tables = loadJiebaTables(); tables.hasShortWord('社区'); // true
 */
export function loadJiebaTables(): JiebaTables {
  loadDictionariesOnce();
  const files = jiebaDictionaryFiles();
  const short = new Set<string>();
  for (const file of [files.dict, files.userDict]) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const word = line.split(' ', 1)[0]!.trim();
      const n = runeLength(word);
      if (n === 2 || n === 3) short.add(word);
    }
  }
  const idfs = new Map<string, number>();
  let sum = 0;
  for (const line of readFileSync(files.idfDict, 'utf8').split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const value = Number(line.slice(space + 1));
    if (!Number.isFinite(value)) continue;
    idfs.set(line.slice(0, space), value);
    sum += value;
  }
  const average = idfs.size === 0 ? 0 : sum / idfs.size;
  const stop = new Set(readFileSync(files.stopWordDict, 'utf8').split('\n').map((w) => w.replace(/\r$/, '')).filter((w) => w !== ''));
  return {
    hasShortWord: (word) => short.has(word) || insertedWords.has(word),
    idf: (word) => idfs.get(word) ?? average,
    isExtractStopWord: (word) => stop.has(word),
  };
}

/** Length in code points, as cppjieba counts (its runes). */
export function runeLength(word: string): number {
  let n = word.length;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

function loadDictionariesOnce(): void {
  if (dictionariesLoaded) return;
  const files = jiebaDictionaryFiles();
  // A missing file makes the native loader abort the whole process: check first, fail clearly.
  for (const [name, file] of Object.entries(files)) {
    if (!existsSync(file)) throw new Error(`segmenter: jieba ${name} file not found: ${file}`);
  }
  nodejieba.load(files);
  dictionariesLoaded = true;
}

function dropWhitespace(words: string[]): string[] {
  return words.filter((w) => w.trim() !== '');
}

/** The dictionaries shipped with nodejieba (its typings do not declare its DEFAULT_* paths). */
export function jiebaDictionaryFiles(): {
  dict: string;
  hmmDict: string;
  userDict: string;
  idfDict: string;
  stopWordDict: string;
} {
  const dir = join(dirname(createRequire(import.meta.url).resolve('nodejieba')), 'submodules/cppjieba/dict');
  return {
    dict: join(dir, 'jieba.dict.utf8'),
    hmmDict: join(dir, 'hmm_model.utf8'),
    userDict: join(dir, 'user.dict.utf8'),
    idfDict: join(dir, 'idf.utf8'),
    stopWordDict: join(dir, 'stop_words.utf8'),
  };
}
