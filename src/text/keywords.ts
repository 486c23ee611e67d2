import nodejieba from 'nodejieba';
import type { Segmenter } from './segmenter.js';
import { isStopWord } from './stop-words.js';

/** How much more a word weighs in the headline than in the body. */
const TITLE_BOOST = 3;
/** A compound is at most this long (智造新城, 湖镇派出所), so it stays a name, not a phrase. */
const MAX_COMPOUND_CHARS = 6;
/** Two words make a compound when at least this share of the uses of each are inside it. */
const COMPOUND_SHARE = 0.7;
/** …and the compound is used at least this many times. */
const COMPOUND_MIN_COUNT = 3;

/**
 * 3–5 keywords (default 5), most important first: TF-IDF with jieba's IDF table
 * (nodejieba.extract), headline words boosted, no stop words, no numbers, no word that repeats
 * a better one (开化 after 开化县). A word jieba splits off a name the article keeps repeating is
 * given back whole (智造 + 新城 → 智造新城, 开放 + 大学 → 开放大学). Fewer only when the text has
 * fewer content words.
 *
 * @example
 * extractKeywords(item.title, item.paragraphs, seg); // ['医保', '衢州市', '挂联', '医疗', '服务']
 */
export function extractKeywords(title: string, paragraphs: string[], seg: Segmenter, count = 5): string[] {
  if (Math.max(0, Math.floor(count)) === 0) return [];
  const headline = seg.normalize(title);
  const body = seg.normalize(paragraphs.join('\n'));
  const candidates = Math.max(0, Math.floor(count)) * 4;
  const weights = new Map<string, number>();
  // nodejieba.extract segments with the same process-wide dictionary, so inserted place names count.
  for (const { word, weight } of nodejieba.extract(body, candidates)) add(weights, word, weight);
  for (const { word, weight } of nodejieba.extract(headline, candidates)) add(weights, word, weight * TITLE_BOOST);
  return rankKeywords(weights, seg.cut(`${headline}\n${body}`), count);
}

/** What `extractKeywordsFromWords` needs of jieba's tables (see `JiebaTables`). */
export interface KeywordTables {
  idf(word: string): number;
  isExtractStopWord(word: string): boolean;
}

/**
 * `extractKeywords` from words already cut (jieba `cut`, HMM on, of the normalised headline and
 * body), with nodejieba.extract's TF-IDF done here from its own tables instead of cutting again.
 *
 * @example extractKeywordsFromWords(titleWords, bodyWords, loadJiebaTables());
 */
export function extractKeywordsFromWords(
  titleWords: readonly string[],
  bodyWords: readonly string[],
  tables: KeywordTables,
  count = 5,
): string[] {
  const wanted = Math.max(0, Math.floor(count));
  if (wanted === 0) return [];
  const candidates = wanted * 4;
  const weights = new Map<string, number>();
  for (const { word, weight } of tfIdf(bodyWords, candidates, tables)) add(weights, word, weight);
  for (const { word, weight } of tfIdf(titleWords, candidates, tables)) add(weights, word, weight * TITLE_BOOST);
  const words = [...titleWords, ...bodyWords].filter((w) => w.trim() !== '');
  return rankKeywords(weights, words, count);
}

/**
 * cppjieba's KeywordExtractor::Extract over given words: single characters and its stop words
 * dropped, term count times IDF, the best `top` (ties by code-unit order, as its std::map feeds them).
 */
function tfIdf(words: readonly string[], top: number, tables: KeywordTables): Array<{ word: string; weight: number }> {
  const counts = new Map<string, number>();
  for (const word of words) {
    if (isSingleRune(word) || tables.isExtractStopWord(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const weighted = [...counts].map(([word, n]) => ({ word, weight: n * tables.idf(word) }));
  weighted.sort((a, b) => b.weight - a.weight || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  return weighted.slice(0, top);
}

function isSingleRune(word: string): boolean {
  return word.length === 1 || (word.length === 2 && word.charCodeAt(0) >= 0xd800 && word.charCodeAt(0) <= 0xdbff);
}

/** Candidates by weight, compounds given back whole, 3–5 of them without repeats. */
function rankKeywords(weights: Map<string, number>, words: readonly string[], count: number): string[] {
  const wanted = Math.max(0, Math.floor(count));
  const compounds = findCompounds(words);
  const merged = new Map<string, number>();
  for (const [word, weight] of weights) {
    const compound = compounds.get(word);
    const key = compound?.word ?? word;
    // A compound weighs what its best part weighs, plus the other part's weight when it has one.
    const partner = compound === undefined ? 0 : (weights.get(compound.partner) ?? 0);
    merged.set(key, Math.max(merged.get(key) ?? 0, weight + partner));
  }

  const ranked = [...merged.entries()]
    .filter(([word]) => isKeyword(word))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const keywords: string[] = [];
  for (const [word] of ranked) {
    if (keywords.length === wanted) break;
    if (keywords.some((k) => k.includes(word) || word.includes(k))) continue;
    keywords.push(word);
  }
  return keywords;
}

function add(weights: Map<string, number>, word: string, weight: number): void {
  const key = word.trim();
  weights.set(key, (weights.get(key) ?? 0) + weight);
}

function isKeyword(word: string): boolean {
  if (word.length < 2 || isStopWord(word)) return false;
  // Pure numbers, amounts and percentages (1190.1, 4.8%, 30%) say nothing on their own.
  if (/^[\d.,，%％+\-]+$/.test(word)) return false;
  return /[\p{L}]/u.test(word);
}

/**
 * For each word, the two-word compound it and its partner nearly always appear in, if any: jieba splits names it
 * does not know (智造新城 → 智造/新城, 汪周村 → 汪/周村), and the parts make poor keywords.
 */
function findCompounds(words: readonly string[]): Map<string, { word: string; partner: string }> {
  const counts = new Map<string, number>();
  const pairs = new Map<string, { left: string; right: string; count: number }>();
  // Words repeat: test each one once.
  const nameParts = new Map<string, boolean>();
  const isNamePart = (word: string): boolean => {
    let known = nameParts.get(word);
    if (known === undefined) nameParts.set(word, (known = isNamePartWord(word)));
    return known;
  };
  for (let i = 0; i < words.length; i++) {
    const left = words[i]!;
    counts.set(left, (counts.get(left) ?? 0) + 1);
    const right = words[i + 1];
    if (right === undefined || !isNamePart(left) || !isNamePart(right)) continue;
    if (left.length + right.length > MAX_COMPOUND_CHARS) continue;
    const key = `${left}\u0000${right}`;
    const pair = pairs.get(key) ?? { left, right, count: 0 };
    pair.count++;
    pairs.set(key, pair);
  }
  const compounds = new Map<string, { word: string; partner: string; count: number }>();
  for (const { left, right, count } of pairs.values()) {
    if (count < COMPOUND_MIN_COUNT) continue;
    // Both parts must belong to the compound: 实现 + 产值 is a phrase, 实现 is used everywhere.
    if (count < COMPOUND_SHARE * (counts.get(left) ?? 0) || count < COMPOUND_SHARE * (counts.get(right) ?? 0)) continue;
    for (const [part, partner] of [
      [left, right],
      [right, left],
    ] as const) {
      const best = compounds.get(part);
      if (best === undefined || count > best.count) compounds.set(part, { word: left + right, partner, count });
    }
  }
  return compounds;
}

/** A token that can be part of a name: Han characters only, not a function word. */
function isNamePartWord(word: string): boolean {
  return /^\p{Script=Han}+$/u.test(word) && !isStopWord(word);
}
