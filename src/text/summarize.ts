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
/** A sentence that is only a quotation (“…”) says less out of context: its score is multiplied by this. */
const QUOTE_ONLY_FACTOR = 0.75;
/** A sentence sharing more than this share of its words with a chosen one repeats it. */
const MAX_OVERLAP = 0.5;
/**
 * The first sentence taken must score at least this share of the best one: when none does and
 * fits, the best one is cut at a clause rather than replaced by a weak sentence that fits.
 */
const MIN_LEAD_SCORE = 0.5;
/** Further sentences scoring under this share of the best one are not worth adding. */
const MIN_EXTRA_SCORE = 0.3;
/** A cut at a clause boundary must keep at least this share of the limit, else try smaller marks. */
const MIN_CLAUSE_SHARE = 0.4;

/**
 * Words every news story repeats (“负责人表示”, “今年以来”): they would link unrelated sentences
 * and make boilerplate look central, so sentence similarity ignores them. Not stop words: a
 * reader may still search for them.
 */
const NEWS_BOILERPLATE = new Set(
  (
    '近日 日前 目前 今年 今年以来 近年来 以来 当前 此前 之前 下一步 同时 其中 截至 截至目前 ' +
    '相关 负责人 表示 介绍 指出 说 称 记者 笔者 据 统计 据统计 据悉 据了解 ' +
    '工作 进行 开展 通过 进一步 不断 积极 全力 努力 持续 加快 推进 推动 实现 有效 ' +
    '一 二 三 个 多 余 万 亿 元 年 月 日 名 件 项 次'
  ).split(/\s+/),
);

/** A unit of the summary (a sentence, or a quotation with its attribution) and its content words. */
interface Sentence {
  text: string;
  words: Set<string>;
}

/**
 * One to three whole sentences, at most `maxChars` characters (UTF-16 units, as Telegram counts):
 * TextRank over jieba tokens (sentences are similar when they share non-stop-word tokens), with a
 * lead bias (news puts the gist first) and no repeated content; chosen sentences keep their
 * original order. Only when the best sentence is longer than `maxChars` and no other sentence
 * scoring at least half as well fits, the best one is cut at the last clause boundary (，；：、)
 * that fits, preferring one outside quotes, ending with …; if none fits, it is cut hard.
 * A quotation spanning several sentences counts as one unit, so "three" units may hold more.
 *
 * @example
 * summarize(item.paragraphs, seg, { maxChars: 120 });
 */
export function summarize(paragraphs: string[], seg: Segmenter, options: { maxChars: number }): string {
  return summarizeCut(paragraphs, (_paragraph, _start, _end, text) => seg.cut(text), options);
}

/**
 * Where a summary unit's words come from: the unit is `text`, characters `start`…`end` of paragraph
 * `paragraph`. Returns its jieba words (normalised); whitespace and stop words may be left in.
 */
export type UnitWords = (paragraph: number, start: number, end: number, text: string) => readonly string[];

/**
 * `summarize` with the words supplied by the caller, e.g. from one cut of the whole item sliced at
 * each unit's offsets, instead of one jieba call per sentence.
 *
 * @example summarizeCut(item.paragraphs, (p, start, end) => wordsBetween(p, start, end), { maxChars: 120 });
 */
export function summarizeCut(paragraphs: string[], wordsOf: UnitWords, options: { maxChars: number }): string {
  const maxChars = Math.floor(options.maxChars);
  if (!(maxChars > 0)) return '';
  const sentences = readSentences(paragraphs, wordsOf);
  if (sentences.length === 0) return '';

  const scores = rankSentences(sentences);
  const byScore = sentences.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const best = byScore[0]!;
  const chosen: number[] = [];
  let length = 0;
  for (const i of byScore) {
    if (chosen.length === MAX_SENTENCES) break;
    if (scores[i]! < scores[best]! * (chosen.length === 0 ? MIN_LEAD_SCORE : MIN_EXTRA_SCORE)) break;
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

/**
 * The units a summary is made of: sentences, except that a quotation spanning several sentences
 * stays one unit (a summary never opens a quote it does not close), and so does a quotation with
 * the short attribution after it (“…。”学校相关负责人表示。).
 */
function readSentences(paragraphs: string[], wordsOf: UnitWords): Sentence[] {
  const sentences: Sentence[] = [];
  paragraphs.forEach((paragraph, p) => {
    const units: Array<{ text: string; start: number; end: number }> = [];
    let openQuotes = 0;
    let offset = 0;
    for (const raw of splitSentences(paragraph)) {
      // splitSentences keeps every character, so offsets add up; the unit is the trimmed sentence.
      const start = offset + (raw.length - raw.trimStart().length);
      offset += raw.length;
      const text = raw.trim();
      if (text === '') continue;
      const end = start + text.length;
      const last = units[units.length - 1];
      const joins = last !== undefined && (openQuotes > 0 || /…$/.test(last.text) || isAttribution(last.text, text));
      if (last !== undefined && joins) {
        // A joined unit is cut as one text: the original joined the trimmed sentences.
        last.text += text;
        last.end = end;
      } else units.push({ text, start, end });
      openQuotes = Math.max(0, openQuotes + quoteBalance(text));
    }
    for (const { text, start, end } of units) {
      const words = new Set<string>();
      for (const w of wordsOf(p, start, end, text)) {
        if (w.trim() !== '' && !isStopWord(w) && !NEWS_BOILERPLATE.has(w) && !/^[\d.%]+$/.test(w)) words.add(w);
      }
      sentences.push({ text, words });
    }
  });
  return sentences;
}

/** Opening minus closing double quotes (“ ” and 「 」). */
function quoteBalance(text: string): number {
  let balance = 0;
  for (const ch of text) {
    if (ch === '“' || ch === '「') balance++;
    else if (ch === '”' || ch === '」') balance--;
  }
  return balance;
}

/** A short “who said it” sentence right after a quotation. */
function isAttribution(previous: string, text: string): boolean {
  return /[”」]$/.test(previous) && text.length <= 30 && !/[“「]/.test(text) && ATTRIBUTION.test(text);
}

const ATTRIBUTION = /(说|表示|介绍|指出|称|认为|坦言|直言|说道|告诉记者|感慨道?)[。！]?$/;

/** TextRank scores (weighted PageRank over sentence similarity), times the lead bias. */
function rankSentences(sentences: Sentence[]): number[] {
  const n = sentences.length;
  // Flat typed arrays and each similarity computed once (it is symmetric): indexing runs this for
  // every item. The arithmetic is the same as the textbook form, term for term.
  const weights = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const w = similarity(sentences[i]!.words, sentences[j]!.words);
      weights[i * n + j] = w;
      weights[j * n + i] = w;
    }
  }
  const outSums = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += weights[j * n + i]!;
    outSums[j] = sum;
  }
  let rank = new Float64Array(n).fill(1);
  let next = new Float64Array(n);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    next.fill(1 - DAMPING);
    for (let j = 0; j < n; j++) {
      const out = outSums[j]!;
      if (out === 0) continue;
      const r = rank[j]!;
      for (let i = 0; i < n; i++) next[i]! += (DAMPING * weights[j * n + i]! * r) / out;
    }
    [rank, next] = [next, rank];
  }
  return Array.from(rank, (r, i) => {
    const quoteOnly = /^[“「]/.test(sentences[i]!.text) && /[”」]$/.test(sentences[i]!.text);
    return (r / (1 + LEAD_DECAY * i)) * (quoteOnly ? QUOTE_ONLY_FACTOR : 1);
  });
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
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const w of small) if (large.has(w)) shared++;
  return shared;
}

/** Cuts an over-long sentence at the last clause boundary that fits, ending with …. */
function cutAtClause(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const room = maxChars - 1; // the … takes one character
  if (room <= 0) return '…'.slice(0, maxChars);
  const depth = quoteDepths(text);
  const longEnough = Math.ceil(room * MIN_CLAUSE_SHARE);
  // Best: a strong mark outside quotes; then any strong mark; then 、 (inside a list); then any
  // boundary at all, however early, before giving up and cutting hard.
  const passes: Array<{ marks: RegExp; from: number; outsideQuotes: boolean }> = [
    { marks: /[，；：,;:]/, from: longEnough, outsideQuotes: true },
    { marks: /[，；：,;:]/, from: longEnough, outsideQuotes: false },
    { marks: /[，；：、,;:]/, from: longEnough, outsideQuotes: false },
    { marks: /[，；：、,;:]/, from: 1, outsideQuotes: false },
  ];
  for (const { marks, from, outsideQuotes } of passes) {
    for (let i = room; i >= from; i--) {
      if (marks.test(text[i]!) && (!outsideQuotes || depth[i] === 0)) return text.slice(0, i) + '…';
    }
  }
  // No clause boundary fits: cut hard, without splitting a surrogate pair.
  let end = room;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + '…';
}

/** How many quotations (“…”, 「…」, 《…》) are open at each index. */
function quoteDepths(text: string): number[] {
  const depths: number[] = [];
  let depth = 0;
  for (const ch of text) {
    if (ch === '“' || ch === '「' || ch === '《') depth++;
    if (ch === '”' || ch === '」' || ch === '》') depth = Math.max(0, depth - 1);
    for (let k = 0; k < ch.length; k++) depths.push(depth);
  }
  return depths;
}
