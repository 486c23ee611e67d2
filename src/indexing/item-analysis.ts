/**
 * Everything indexing needs from an item's text, from ONE normalisation and ONE jieba cut: the
 * summary's sentence words, the keywords (TF-IDF from jieba's tables) and the index's fine words
 * (cutForSearch's sub-words derived from the coarse words). Before, each item was normalised and cut
 * about four times (per-sentence cuts, two nodejieba.extract, cut for compounds, cutForSearch).
 */
import type { Item } from '../pages/item.js';
import { countTerms, type WordTerms } from '../search/document-terms.js';
import { contentWords } from '../search/query-terms.js';
import { extractKeywordsFromWords } from '../text/keywords.js';
import { createSegmenter, cutNormalized, loadJiebaTables, runeLength, type JiebaTables, type Segmenter } from '../text/segmenter.js';
import { summarizeCut } from '../text/summarize.js';

/** A segmenter plus the tables that let one cut per item stand in for the others. */
export interface ItemAnalyzer {
  seg: Segmenter;
  tables: JiebaTables;
}

export interface ItemAnalysis {
  summary: string;
  keywords: string[];
  words: WordTerms;
  /** Normalised headline + subheadline and body, for `documentTerms` (so it does not normalise again). */
  heading: string;
  body: string;
}

/** @example const analyzer = createItemAnalyzer(placeWords(gazetteer)); */
export function createItemAnalyzer(words: readonly string[]): ItemAnalyzer {
  const seg = createSegmenter({ words: [...words] });
  return { seg, tables: loadJiebaTables() };
}

/**
 * One item analysed. The text cut is `title \n subtitle \n body` (paragraphs joined by \n): jieba
 * cuts each line on its own (\n is one of its separators), so this equals cutting them apart.
 */
export function analyzeItem(item: Item, analyzer: ItemAnalyzer, summaryMaxChars: number): ItemAnalysis {
  const { seg, tables } = analyzer;
  const subtitle = item.subtitle ?? '';
  const raw = `${item.title}\n${subtitle}\n${item.paragraphs.join('\n')}`;
  // The normaliser keeps every offset, so ranges in `text` are ranges in the item's strings.
  const text = seg.normalize(raw);
  const tokens = cutNormalized(text);
  const starts = tokenStarts(text, tokens);

  const subtitleStart = item.title.length + 1;
  const bodyStart = subtitleStart + subtitle.length + 1;
  const between = (from: number, to: number): string[] => {
    const out: string[] = [];
    for (let i = lowerBound(starts, from); i < tokens.length && starts[i]! < to; i++) out.push(tokens[i]!);
    return out;
  };
  const titleWords = between(0, item.title.length);
  const subtitleWords = between(subtitleStart, subtitleStart + subtitle.length);
  const bodyWords = between(bodyStart, text.length);

  const paragraphStarts: number[] = [];
  let at = bodyStart;
  for (const p of item.paragraphs) {
    paragraphStarts.push(at);
    at += p.length + 1;
  }
  const summary = summarizeCut(
    item.paragraphs,
    (p, start, end) => between(paragraphStarts[p]! + start, paragraphStarts[p]! + end),
    { maxChars: summaryMaxChars },
  );
  const keywords = extractKeywordsFromWords(titleWords, bodyWords, tables);
  const fine = (words: string[]) => countTerms(contentWords(searchWords(words, tables)));
  return {
    summary,
    keywords,
    words: [fine(titleWords), fine(subtitleWords), fine(bodyWords)],
    heading: text.slice(0, bodyStart - 1),
    body: text.slice(bodyStart),
  };
}

/**
 * cppjieba's CutForSearch from the words of its cut: before each word longer than two characters,
 * its 2-character sub-words that are in the dictionary, and for words longer than three, its
 * 3-character ones; whitespace dropped (as `Segmenter.cutForSearch`).
 */
export function searchWords(words: readonly string[], tables: Pick<JiebaTables, 'hasShortWord'>): string[] {
  const out: string[] = [];
  for (const word of words) {
    if (word.trim() === '') continue;
    const n = runeLength(word);
    if (n > 2) {
      const runes = n === word.length ? null : Array.from(word);
      const sub = (i: number, len: number): string => (runes ? runes.slice(i, i + len).join('') : word.slice(i, i + len));
      for (let i = 0; i + 1 < n; i++) {
        const w = sub(i, 2);
        if (tables.hasShortWord(w)) out.push(w);
      }
      if (n > 3) {
        for (let i = 0; i + 2 < n; i++) {
          const w = sub(i, 3);
          if (tables.hasShortWord(w)) out.push(w);
        }
      }
    }
    out.push(word);
  }
  return out;
}

/** Where each token starts in `text` (tokens normally tile it; a mismatch is searched for). */
function tokenStarts(text: string, tokens: readonly string[]): number[] {
  const starts: number[] = new Array<number>(tokens.length);
  let pos = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    let start = pos;
    if (!text.startsWith(token, pos)) {
      // jieba replaced something (a lone surrogate): find the token further on, or keep the place.
      const found = text.indexOf(token, pos);
      start = found < 0 ? pos : found;
    }
    starts[i] = start;
    pos = start + token.length;
  }
  return starts;
}

/** The first index whose start is at least `value` (starts ascend). */
function lowerBound(starts: readonly number[], value: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
