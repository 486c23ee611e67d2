/**
 * jieba's own cut (its dictionary's word graph and the most probable route through it, without the
 * HMM for unknown words) in plain JavaScript, for the few places outside the analysis worker that
 * need words: a search that found nothing tries the query's words one by one. nodejieba would do
 * the same, but it keeps ~240 MB of dictionaries per thread for the life of the process; this keeps
 * the word frequencies only (~30 MB), loaded on first use.
 */
import { readFileSync } from 'node:fs';
import { jiebaDictionaryFiles } from './segmenter.js';

export type DictionaryCut = (text: string) => string[];

/**
 * @param userWords words to know besides jieba's (the gazetteer's place names), at a frequency that
 *   keeps them whole.
 * @example createDictionaryCut(['星新社区'])('推进医保服务') // ['推进', '医保', '服务']
 */
export function createDictionaryCut(userWords: readonly string[] = []): DictionaryCut {
  let tables: { freq: Map<string, number>; logTotal: number; maxLength: number } | null = null;
  const load = () => {
    const freq = new Map<string, number>();
    let total = 0;
    let maxLength = 1;
    for (const line of readFileSync(jiebaDictionaryFiles().dict, 'utf8').split('\n')) {
      const [word, count] = line.split(' ', 2);
      const n = Number(count);
      if (!word || !(n > 0)) continue;
      freq.set(word, n);
      total += n;
      maxLength = Math.max(maxLength, word.length);
    }
    // cppjieba gives inserted user words its dictionary's median weight; a generous fixed count does the same job.
    for (const word of userWords) {
      if (word.length < 2 || freq.has(word)) continue;
      freq.set(word, 1000);
      total += 1000;
      maxLength = Math.max(maxLength, word.length);
    }
    return { freq, logTotal: Math.log(total), maxLength };
  };

  return (text) => {
    tables ??= load();
    const { freq, logTotal, maxLength } = tables;
    const words: string[] = [];
    // Han runs are cut; other runs (letters, digits) and separators pass as they are.
    for (const part of text.match(/\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu) ?? []) {
      if (!/\p{Script=Han}/u.test(part)) {
        words.push(part);
        continue;
      }
      const n = part.length;
      // best[i]: the best log probability of cutting part[i…]; next[i]: where its first word ends.
      const best = new Float64Array(n + 1);
      const next = new Int32Array(n + 1);
      for (let i = n - 1; i >= 0; i--) {
        best[i] = -Infinity;
        for (let j = i + 1; j <= Math.min(n, i + maxLength); j++) {
          const count = freq.get(part.slice(i, j));
          if (count === undefined && j > i + 1) continue;
          const score = Math.log(count ?? 1) - logTotal + best[j]!;
          if (score > best[i]!) {
            best[i] = score;
            next[i] = j;
          }
        }
      }
      for (let i = 0; i < n; i = next[i]!) words.push(part.slice(i, next[i]!));
    }
    return words;
  };
}
