import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import nodejieba from 'nodejieba';
import { createNormalizer } from './normalize.js';

/** Chinese word segmentation (jieba), applied to normalised text. */
export interface Segmenter {
  /** Coarse words, for queries: nodejieba.cut(text, true) (HMM on, so unknown words are not split into single chars). Returns normalised words, whitespace dropped. */
  cut(text: string): string[];
  /** Finer words, for indexing: nodejieba.cutForSearch(text, true): long words plus their sub-words. */
  cutForSearch(text: string): string[];
  /** The normaliser it applies to its input before cutting. */
  normalize(s: string): string;
}

/*
 * nodejieba keeps one dictionary per process (a native singleton), and `load()` rebuilds it from
 * files, dropping words inserted before. These two module-level values mirror that process-wide
 * native state, so that creating several segmenters (tests, CLI) loads the dictionaries once and
 * never loses inserted words. They are not configuration and have no effect at import.
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
    cutForSearch: (text) =>
      dropWhitespace(text === '' ? [] : nodejieba.cutForSearch(normalize(text), true)),
  };
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
function jiebaDictionaryFiles(): {
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
