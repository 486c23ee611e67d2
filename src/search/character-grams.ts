/**
 * Character bigrams: the fallback that lets a query meet the text whatever jieba made of either.
 * 池淮镇星新社区 gives 池淮 淮镇 镇星 星新 新社 社区, so the query 星新社区 (星新 新社 社区) finds it even
 * though the words do not line up.
 */

/** Han ideographs (incl. extension A and compatibility ideographs); surrogate pairs count as letters below. */
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

/** Latin, digits and other letters that are not Han: kept together as one term. */
const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * The terms of already normalised text: overlapping bigrams of each run of Han characters, plus the
 * run's last character alone (so a one-character query can find it by prefix), and each run of
 * other letters or digits as one term (`drgs`, `1190`). Punctuation and spaces break runs.
 *
 * @example
 * characterGrams('池淮镇 drgs'); // ['池淮', '淮镇', '镇', 'drgs']
 */
export function characterGrams(text: string): string[] {
  const out: string[] = [];
  let hanRun = '';
  let wordRun = '';
  const flushHan = (): void => {
    if (hanRun === '') return;
    for (let i = 0; i + 1 < hanRun.length; i++) out.push(hanRun.slice(i, i + 2));
    out.push(hanRun.slice(-1));
    hanRun = '';
  };
  const flushWord = (): void => {
    if (wordRun !== '') out.push(wordRun);
    wordRun = '';
  };
  for (const ch of text) {
    if (HAN.test(ch)) {
      flushWord();
      hanRun += ch;
    } else if (WORD_CHAR.test(ch)) {
      flushHan();
      wordRun += ch;
    } else {
      flushHan();
      flushWord();
    }
  }
  flushHan();
  flushWord();
  return out;
}

/**
 * The grams a query word must all have to be found in a text: its bigrams, or the single Han
 * character of a one-character word (searched by prefix), or its letter/digit runs.
 *
 * @example
 * queryGrams('星新社区'); // ['星新', '新社', '社区']
 * queryGrams('茶'); // ['茶']
 */
export function queryGrams(word: string): string[] {
  const grams = characterGrams(word);
  // characterGrams adds each Han run's last character for the index side; a query needs it only
  // when the run is that one character.
  const out: string[] = [];
  for (let i = 0; i < grams.length; i++) {
    const gram = grams[i]!;
    const previous = grams[i - 1];
    const isRunTail = gram.length === 1 && HAN.test(gram) && previous !== undefined && previous.length === 2 && previous[1] === gram && HAN.test(previous);
    if (!isRunTail) out.push(gram);
  }
  return out;
}

/** True for a single Han character: the one case searched by prefix among the grams. */
export function isSingleHan(term: string): boolean {
  return term.length === 1 && HAN.test(term);
}
