/**
 * Reads jieba's own dictionary (shipped with @node-rs/jieba) to learn which place names are also ordinary
 * words (大桥, 白云, 湖南) and which ordinary words contain a place name (半壁江山, 公开化).
 * One pass over ~350,000 lines; the gazetteer caches what it learns.
 */
import { readFileSync } from 'node:fs';
import { jiebaFiles } from '../text/jieba-files.js';

export interface DictionaryWord {
  word: string;
  frequency: number;
  /** jieba's part-of-speech tag: `ns` place, `i` idiom, `v` verb… */
  tag: string;
}

export interface DictionaryScan {
  /** Frequency of each looked-up string that is a dictionary word (absent: not a word). */
  frequency: Map<string, number>;
  /** Dictionary words, other than the looked-up names themselves, that contain one of `containing`. */
  containing: Array<DictionaryWord & { part: string; at: number }>;
}

/**
 * Look strings up in the dictionary and collect the words that contain any of `containing`.
 * @example scanDictionary(['大桥', '池淮'], ['江山']).frequency.get('大桥') // 3288
 * @throws Error if the dictionary file cannot be read.
 */
export function scanDictionary(
  lookup: Iterable<string>,
  containing: Iterable<string>,
  path: string = jiebaFiles().dict,
): DictionaryScan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`places: 无法读取分词词典 ${path}（${(error as Error).message}）`);
  }
  const wanted = new Set(lookup);
  const parts = new Set(containing);
  const partLengths = [...new Set([...parts].map((p) => p.length))].sort((a, b) => b - a);
  const firstChars = new Set([...parts].map((p) => p.charCodeAt(0)));
  const frequency = new Map<string, number>();
  const found: DictionaryScan['containing'] = [];
  // Lines are `word frequency tag`; parse a line's numbers only for the few words we keep.
  const lineOf = (start: number, wordEnd: number): { frequency: number; tag: string } => {
    let end = text.indexOf('\n', wordEnd);
    if (end < 0) end = text.length;
    const [freq = '0', tag = ''] = text.slice(wordEnd + 1, end).trim().split(' ');
    return { frequency: Number(freq), tag };
  };
  let start = 0;
  while (start < text.length) {
    const space = text.indexOf(' ', start);
    let next = text.indexOf('\n', start);
    if (next < 0) next = text.length;
    if (space < 0 || space > next) {
      start = next + 1;
      continue;
    }
    const word = text.slice(start, space);
    if (wanted.has(word)) frequency.set(word, lineOf(start, space).frequency);
    if (!parts.has(word)) {
      for (let at = 0; at < word.length; at++) {
        if (!firstChars.has(word.charCodeAt(at))) continue;
        for (const len of partLengths) {
          if (at + len > word.length) continue;
          const part = word.slice(at, at + len);
          if (parts.has(part)) found.push({ word, ...lineOf(start, space), part, at });
        }
      }
    }
    start = next + 1;
  }
  return { frequency, containing: found };
}
