import nodejieba from 'nodejieba';
import type { Segmenter } from './segmenter.js';
import { isStopWord } from './stop-words.js';

/** How much more a word weighs in the headline than in the body. */
const TITLE_BOOST = 3;

/**
 * 3–5 keywords (default 5), most important first: TF-IDF with jieba's IDF table
 * (nodejieba.extract), headline words boosted, no stop words, no numbers, no word that repeats
 * a better one (开化 after 开化县). Fewer only when the text has fewer content words.
 *
 * @example
 * extractKeywords(item.title, item.paragraphs, seg); // ['医保', '医疗机构', '挂联', …]
 */
export function extractKeywords(title: string, paragraphs: string[], seg: Segmenter, count = 5): string[] {
  const wanted = Math.max(0, Math.floor(count));
  if (wanted === 0) return [];
  const headline = seg.normalize(title);
  const body = seg.normalize(paragraphs.join('\n'));
  const candidates = wanted * 4;
  const weights = new Map<string, number>();
  // nodejieba.extract segments with the same process-wide dictionary, so inserted place names count.
  for (const { word, weight } of nodejieba.extract(body, candidates)) add(weights, word, weight);
  for (const { word, weight } of nodejieba.extract(headline, candidates)) add(weights, word, weight * TITLE_BOOST);

  const ranked = [...weights.entries()]
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
