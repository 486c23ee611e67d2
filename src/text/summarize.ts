import type { Segmenter } from './segmenter.js';
import { splitSentences } from './sentences.js';
import { isStopWord } from './stop-words.js';

export { extractKeywords } from './keywords.js';

/** At most this many sentences in a summary. */
const MAX_SENTENCES = 3;
/** TextRank damping factor (the usual PageRank value). */
const DAMPING = 0.85;
const ITERATIONS = 40;
/** Lead bias: the score of the sentence at position i is multiplied by 1 / (1 + LEAD_DECAY * i). */
const LEAD_DECAY = 0.25;
/** A sentence sharing more than this share of its words with a chosen one repeats it. */
const MAX_OVERLAP = 0.5;
/** Sentences scoring under this share of the best one are not worth adding. */
const MIN_RELATIVE_SCORE = 0.3;
/** A cut at a clause boundary must keep at least this share of the limit, else try smaller marks. */
const MIN_CLAUSE_SHARE = 0.4;

interface Sentence {
  text: string;
  position: number;
  words: Set<string>;
}

/**
 * One to three whole sentences, at most `maxChars` characters (UTF-16 units, as Telegram counts):
 * TextRank over jieba tokens (sentences are similar when they share non-stop-word tokens), with a
 * lead bias (news puts the gist first) and no repeated content; chosen sentences keep their
 * original order. Only when even the best sentence is longer than `maxChars` is it cut, at the
 * last clause boundary (，；：、) that fits, ending with …; if none fits, it is cut hard.
 *
 * @example
 * summarize(item.paragraphs, seg, { maxChars: 120 });
 */
export function summarize(paragraphs: string[], seg: Segmenter, options: { maxChars: number }): string {
  const maxChars = Math.floor(options.maxChars);
  if (!(maxChars > 0)) return '';
  const sentences = readSentences(paragraphs, seg);
  if (sentences.length === 0) return '';

  const scores = rankSentences(sentences);
  const byScore = sentences.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const best = byScore[0]!;
  const chosen: number[] = [];
  let length = 0;
  for (const i of byScore) {
    if (chosen.length === MAX_SENTENCES) break;
    if (scores[i]! < scores[best]! * MIN_RELATIVE_SCORE) break;
    const sentence = sentences[i]!;
    if (length + sentence.text.length > maxChars) continue;
    if (chosen.some((j) => overlap(sentence.words, sentences[j]!.words) > MAX_OVERLAP)) continue;
    chosen.push(i);
    length += sentence.text.length;
  }
  if (chosen.length === 0) return cutAtClause(sentences[best]!.text, maxChars);
  return chosen
    .sort((a, b) => a - b)
    .map((i) => sentences[i]!.text)
    .join('');
}

function readSentences(paragraphs: string[], seg: Segmenter): Sentence[] {
  const sentences: Sentence[] = [];
  for (const paragraph of paragraphs) {
    for (const raw of splitSentences(paragraph)) {
      const text = raw.trim();
      if (text === '') continue;
      const words = new Set(seg.cut(text).filter((w) => !isStopWord(w)));
      sentences.push({ text, position: sentences.length, words });
    }
  }
  return sentences;
}

/** TextRank scores (weighted PageRank over sentence similarity), times the lead bias. */
function rankSentences(sentences: Sentence[]): number[] {
  const n = sentences.length;
  const weights = sentences.map((a, i) => sentences.map((b, j) => (i === j ? 0 : similarity(a.words, b.words))));
  const outSums = weights.map((row) => row.reduce((sum, w) => sum + w, 0));
  let rank: number[] = new Array<number>(n).fill(1);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const next = new Array<number>(n).fill(1 - DAMPING);
    for (let j = 0; j < n; j++) {
      if (outSums[j] === 0) continue;
      for (let i = 0; i < n; i++) next[i]! += (DAMPING * weights[j]![i]! * rank[j]!) / outSums[j]!;
    }
    rank = next;
  }
  return rank.map((r, i) => r / (1 + LEAD_DECAY * i));
}

/** TextRank's sentence similarity: shared words over the log of the sentence lengths. */
function similarity(a: Set<string>, b: Set<string>): number {
  const shared = countShared(a, b);
  if (shared === 0) return 0;
  const norm = Math.log(a.size + 1) + Math.log(b.size + 1);
  return shared / norm;
}

/** Share of the smaller sentence's words found in the other one. */
function overlap(a: Set<string>, b: Set<string>): number {
  const smaller = Math.min(a.size, b.size);
  return smaller === 0 ? 0 : countShared(a, b) / smaller;
}

function countShared(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared;
}

/** Cuts an over-long sentence at the last clause boundary that fits, ending with …. */
function cutAtClause(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const room = maxChars - 1; // the … takes one character
  if (room <= 0) return '…'.slice(0, maxChars);
  // Strong clause marks first; 、 (inside a list) only when no strong mark keeps enough text.
  for (const marks of [/[，；：,;:]/, /[，；：、,;:]/]) {
    for (let i = room; i >= Math.ceil(room * MIN_CLAUSE_SHARE); i--) {
      if (marks.test(text[i]!)) return text.slice(0, i) + '…';
    }
  }
  for (let i = Math.ceil(room * MIN_CLAUSE_SHARE) - 1; i > 0; i--) {
    if (/[，；：、,;:]/.test(text[i]!)) return text.slice(0, i) + '…';
  }
  // No clause boundary fits: cut hard, without splitting a surrogate pair.
  let end = room;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + '…';
}
