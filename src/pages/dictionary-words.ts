/**
 * Words of jieba's dictionary (the text file @node-rs/jieba ships; jieba itself is not loaded), for
 * the layout repair's question "does a word span this column break?" (`主战|场` → 战场). Only words
 * of 2–4 characters seen at least a few times in jieba's corpus: rare entries (names, idioms) span
 * true paragraph ends too often to count as evidence.
 */
import { readFileSync } from 'node:fs';
import { jiebaFiles } from '../text/jieba-files.js';

export interface WordList {
  has(word: string): boolean;
}

/** Fewer than this many occurrences in jieba's corpus and a word says little. */
const MIN_FREQUENCY = 5;
const MAX_WORD = 4;

let shared: WordList | null = null;

/**
 * jieba's common short words, read once per process on first use (about 0.2 s, some 15 MB): the
 * list is read-only and the same for every page, so every parse shares it. An empty list when the
 * file cannot be read: the repair then goes by the text alone.
 * @example dictionaryWords().has('战场') // true
 */
export function dictionaryWords(): WordList {
  if (shared) return shared;
  const words = new Set<string>();
  try {
    // Line by line without splitting the 5 MB text into an array of 350,000 lines first.
    const text = readFileSync(jiebaFiles().dict, 'utf8');
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const space = text.indexOf(' ', start);
      if (space > start && space < end) {
        const length = space - start;
        // 2–4 characters (BMP Han: one UTF-16 unit each; the rare longer units only shorten the list).
        if (length >= 2 && length <= MAX_WORD && Number(text.slice(space + 1, text.indexOf(' ', space + 1))) >= MIN_FREQUENCY) {
          words.add(text.slice(start, space));
        }
      }
      start = end + 1;
    }
  } catch {
    // No dictionary: no word evidence, never a crash.
  }
  return (shared = words);
}

/**
 * Whether a word of the list spans the junction of `before` and `after`: a few characters before
 * it and a few after it make a word (`主战` + `场、` → 战场; `村` + `委汪` → 村委).
 * @example spansWord('作为衢州市工业的主战', '场、主平台', dictionaryWords()) // true
 */
export function spansWord(before: string, after: string, words: WordList): boolean {
  // Up to three characters each side (a word of up to four spans the junction), letters and digits only.
  const head: string[] = [];
  for (let i = before.length - 1; i >= 0 && head.length < MAX_WORD - 1; i--) {
    if (!isWordChar(before.charCodeAt(i))) break;
    head.unshift(before[i]!);
  }
  if (head.length === 0) return false;
  const tail: string[] = [];
  for (let i = 0; i < after.length && tail.length < MAX_WORD - 1; i++) {
    if (!isWordChar(after.charCodeAt(i))) break;
    tail.push(after[i]!);
  }
  for (let k = 1; k <= head.length; k++) {
    const left = head.slice(head.length - k).join('');
    for (let m = 1; m + k <= MAX_WORD && m <= tail.length; m++) {
      if (words.has(left + tail.slice(0, m).join(''))) return true;
    }
  }
  return false;
}

/** BMP letters and digits the dictionary's words are made of: CJK, ASCII, full-width. */
function isWordChar(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0xff10 && c <= 0xff5a)
  );
}
