import type { Segmenter } from './segmenter.js';
import { splitSentences } from './sentences.js';
import { isStopWord } from './stop-words.js';

export { extractKeywords } from './keywords.js';

export interface SummaryOptions {
  /** Longest summary, in UTF-16 units (as Telegram counts). */
  maxChars: number;
  /** The headline: its words mark the sentences that carry the news. */
  title?: string;
}

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
/** A text this short (characters) is a news brief: its lead is the news. */
const SHORT_NEWS = 600;
/** In a longer text the lead still comes first when it scores at least this share of the best sentence. */
const LEAD_HOLDS = 0.6;
/** A sentence with every headline word scores this much more (1 + TITLE_WEIGHT times). */
const TITLE_WEIGHT = 2;
/** A sentence that points back to the one before it (他…, 此外…) is worth this share out of context. */
const DANGLING_FACTOR = 0.3;
/** Words that open a sentence leaning on the one before: pronouns, 该/此 + noun, connectives. */
const DANGLING = /^(?:他|她|它|其|该|此|这|那|此外|另外|同时|其中|对此|为此|因此|所以|但|而|并|然而|不过|与此同时|随后|此前|之后)/u;
/**
 * Lead-ins that say how the news arrived, not what it is: datelines (`新华社北京10月1日电（记者 张三）`,
 * `央视网消息（新闻联播）：`, `本报讯`), `近日，记者从…获悉，`, `据悉，`. Taken off a summary's sentences.
 */
const LEAD_INS: RegExp[] = [
  /^[^，。：:]{0,16}消息[（(][^）)]{0,16}[）)][：:]\s*/u,
  /^[^，。]{0,16}\d{1,2}月\d{1,2}日(?:电|讯)(?:[（(][^）)]{0,24}[）)])?[\s\u3000]*/u,
  /^(?:本报讯|本报消息)(?:[（(][^）)]{0,24}[）)])?[\s\u3000：:]*/u,
  /^(?:近日|日前|近期|今日|今天|昨日|昨天|目前)[，,]/u,
  /^(?:当地时间)?(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日(?:晚间?|上午|下午|凌晨|早间)?[，,]/u,
  /^据[^，。“”]{2,30}?报道[，,]/u,
  /^(?:据悉|据了解|据介绍|记者获悉|记者了解到)[，,]/u,
  /^记者(?:近日|今天|日前)?从[^，。]{2,40}?(?:获悉|了解到|得知)[，,]/u,
];

const CREDIT_ONLY = /^[（(【][^（）()【】，。]{1,24}[）)】]$/u;

/**
 * `招商证券认为，…`, `兰花科创公告，…`, `药明生物发布声明称，…`: who said it, then what, written the way
 * editors write a one-line summary (`招商证券：…`). Only for a short subject at the very start.
 */
const ATTRIBUTION_LEAD =
  /^([^，。：:“”《》\s]{2,24}?)(?:(?:发表|发布)(?:研究报告|研报|报告|公告|声明)(?:称|指出|指)?|(?:研究报告|研报|报告)(?:称|指出|指)|发布公告称|公告称?|声明称|在互动平台表示|发布消息称?|消息称|显示|表示|认为|指出|称|宣布|公布|透露)[，,：:]\s*/u;

/** The sentence without its lead-ins (several may follow each other: `近日，记者从…获悉，`). */
export function trimLeadIn(text: string): string {
  let out = withoutLeadIns(text);
  const attribution = ATTRIBUTION_LEAD.exec(out);
  if (attribution && attribution[0].length < out.length - 4) {
    // `兰花科创公告，公司近日收到…` → `兰花科创：收到…`: the company is named already, the date is beside the summary.
    const said = withoutLeadIns(out.slice(attribution[0].length)).replace(/^(?:公司|本公司|该公司)(?=[\p{Script=Han}])/u, '');
    out = `${attribution[1]}：${said}`;
  }
  // Asides in brackets (`LPR（贷款市场报价利率）`, `(IMF)`) explain; a summary has no room for them.
  const bare = out.replace(/(?<=[^\s])[（(][^（）()，。,]{1,16}[）)](?=[^。！？]*[\p{L}\p{N}])/gu, '');
  return bare.length >= 4 ? bare : out;
}

function withoutLeadIns(text: string): string {
  let out = text;
  for (let changed = true; changed; ) {
    changed = false;
    for (const lead of LEAD_INS) {
      const m = lead.exec(out);
      // Never down to nothing: a sentence that is all lead-in stays as it is.
      if (m && m[0].length > 0 && m[0].length < out.length - 4) {
        out = out.slice(m[0].length);
        changed = true;
      }
    }
  }
  return out;
}

/** A cut at a clause boundary must keep at least this share of the limit, else try smaller marks. */
const MIN_CLAUSE_SHARE = 0.8;

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
  /** The unit as shown: boilerplate lead-ins (datelines, `近日，记者从…获悉，`) taken off. */
  text: string;
  /** It opens with a word that points back (他, 该公司, 此外): it reads right only after the one before. */
  dangling: boolean;
  /** Its distinct content words, as ids. */
  words: number[];
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
export function summarize(paragraphs: string[], seg: Segmenter, options: SummaryOptions): string {
  const titleWords = options.title ? seg.cut(options.title) : [];
  return summarizeCut(paragraphs, (_paragraph, _start, _end, text) => seg.cut(text), { maxChars: options.maxChars, titleWords });
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
export function summarizeCut(
  paragraphs: string[],
  wordsOf: UnitWords,
  options: { maxChars: number; titleWords?: readonly string[] },
): string {
  const ids = new Map<string, number>();
  const idsOf: UnitWordIds = (paragraph, start, end, text) => {
    const out: number[] = [];
    for (const w of wordsOf(paragraph, start, end, text)) {
      if (!isSummaryWord(w)) continue;
      let id = ids.get(w);
      if (id === undefined) ids.set(w, (id = ids.size));
      out.push(id);
    }
    return out;
  };
  // The headline's words numbered like the body's, so that a sentence's share of them is a count.
  const titleIds: number[] = [];
  for (const w of options.titleWords ?? []) {
    if (!isSummaryWord(w)) continue;
    let id = ids.get(w);
    if (id === undefined) ids.set(w, (id = ids.size));
    titleIds.push(id);
  }
  return summarizeWordIds(paragraphs, idsOf, { maxChars: options.maxChars, titleIds });
}

/**
 * Where a unit's content words come from when the caller has already numbered the words: the ids
 * of the unit's words that pass `isSummaryWord`, equal words with equal ids, in any order, repeats
 * allowed. Ids are small non-negative integers (below the number of distinct words, say): they
 * index arrays.
 */
export type UnitWordIds = (paragraph: number, start: number, end: number, text: string) => ArrayLike<number>;

/**
 * Whether a word links sentences in a summary: not whitespace, a stop word, news boilerplate or a number.
 * @example isSummaryWord('医保'); // true
 */
export function isSummaryWord(w: string): boolean {
  return w.trim() !== '' && !isStopWord(w) && !NEWS_BOILERPLATE.has(w) && !/^[\d.%]+$/.test(w);
}

/**
 * `summarizeCut` with the words already filtered and numbered, e.g. by a word cache shared by
 * many items (no string is hashed here).
 *
 * @example summarizeWordIds(item.paragraphs, (p, start, end) => idsBetween(p, start, end), { maxChars: 120 });
 */
export function summarizeWordIds(
  paragraphs: string[],
  wordsOf: UnitWordIds,
  options: { maxChars: number; titleIds?: ArrayLike<number> },
): string {
  const maxChars = Math.floor(options.maxChars);
  if (!(maxChars > 0)) return '';
  const sentences = readSentences(paragraphs, wordsOf);
  if (sentences.length === 0) return '';

  const shared = sharedWords(sentences);
  const titleHits = headlineWords(sentences, options.titleIds ?? []);
  const scores = rankSentences(sentences, shared, titleHits);
  const byScore = sentences.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  // Short news puts the news in its lead: there the lead comes first whatever the ranking says,
  // unless it is a scene-setting opening (few of the headline's words, which another sentence carries).
  const textLength = sentences.reduce((sum, s) => sum + s.text.length, 0);
  const sceneSetting = titleHits[0]! < 0.5 * Math.max(...titleHits);
  const leadIsNews = !sceneSetting && (textLength <= SHORT_NEWS || scores[0]! >= scores[byScore[0]!]! * LEAD_HOLDS);
  // After a scene-setting opening, the first sentence that carries the headline is the news.
  const newsAt = leadIsNews ? 0 : sceneSetting ? titleHits.indexOf(Math.max(...titleHits)) : byScore[0]!;
  const order = [newsAt, ...byScore.filter((i) => i !== newsAt)];
  const best = order[0]!;
  // A lead that is the news but longer than the budget is cut, not traded for a later detail.
  if (newsAt !== byScore[0] || leadIsNews) {
    if (sentences[newsAt]!.text.length > maxChars) return cutAtClause(sentences[newsAt]!.text, maxChars);
  }
  const chosen: number[] = [];
  let length = 0;
  for (const i of order) {
    if (chosen.length === MAX_SENTENCES) break;
    if (i !== best && scores[i]! < scores[byScore[0]!]! * (chosen.length === 0 ? MIN_LEAD_SCORE : MIN_EXTRA_SCORE)) continue;
    const sentence = sentences[i]!;
    if (length + sentence.text.length > maxChars) continue;
    // A sentence that leans on the one before it (他…, 该公司…, 此外…) stands only right after it.
    if (sentence.dangling && !chosen.includes(i - 1)) continue;
    if (chosen.some((j) => overlap(sentences, shared, i, j) > MAX_OVERLAP)) continue;
    chosen.push(i);
    length += sentence.text.length;
  }
  if (chosen.length === 0) {
    // Nothing fits whole: the best sentence that stands alone, cut at a clause.
    const alone = order.find((i) => !sentences[i]!.dangling) ?? best;
    return cutAtClause(sentences[alone]!.text, maxChars);
  }
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
function readSentences(paragraphs: string[], wordsOf: UnitWordIds): Sentence[] {
  const sentences: Sentence[] = [];
  const seen = new Stamps();
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
      const ids = wordsOf(p, start, end, text);
      const stamp = seen.next();
      const words: number[] = [];
      for (let k = 0; k < ids.length; k++) if (seen.mark(ids[k]!, stamp)) words.push(ids[k]!);
      const shown = trimLeadIn(text);
      // A credit in brackets (`（央视新闻）`, `（记者 张三）`) is no sentence of the story.
      if (shown === '' || CREDIT_ONLY.test(shown)) continue;
      sentences.push({ text: shown, dangling: DANGLING.test(shown), words });
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

/** Per-id marks, so that sets of small integer ids need no hashing. */
class Stamps {
  private marks = new Int32Array(64);
  private last = 0;

  /** A stamp no id carries yet. */
  next(): number {
    return ++this.last;
  }

  /** Marks `id` with `stamp`; false if it carried that stamp already. */
  mark(id: number, stamp: number): boolean {
    if (id >= this.marks.length) {
      const grown = new Int32Array(Math.max(id + 1, this.marks.length * 2));
      grown.set(this.marks);
      this.marks = grown;
    }
    if (this.marks[id] === stamp) return false;
    this.marks[id] = stamp;
    return true;
  }

  has(id: number, stamp: number): boolean {
    return id < this.marks.length && this.marks[id] === stamp;
  }
}

/** How many words each two sentences share (n × n, symmetric). */
function sharedWords(sentences: readonly Sentence[]): Int32Array {
  const n = sentences.length;
  const shared = new Int32Array(n * n);
  const marks = new Stamps();
  for (let i = 0; i < n; i++) {
    const stamp = marks.next();
    for (const w of sentences[i]!.words) marks.mark(w, stamp);
    for (let j = i + 1; j < n; j++) {
      let count = 0;
      for (const w of sentences[j]!.words) if (marks.has(w, stamp)) count++;
      shared[i * n + j] = count;
      shared[j * n + i] = count;
    }
  }
  return shared;
}

/** TextRank scores (weighted PageRank over sentence similarity), times the lead bias. */
/** For each sentence, the share of the headline's distinct words it holds (all 0 without a headline). */
function headlineWords(sentences: readonly Sentence[], titleIds: ArrayLike<number>): number[] {
  const title = new Stamps();
  const stamp = title.next();
  let size = 0;
  for (let k = 0; k < titleIds.length; k++) if (title.mark(titleIds[k]!, stamp)) size++;
  return sentences.map((sentence) => {
    if (size === 0) return 0;
    let hits = 0;
    for (const w of sentence.words) if (title.has(w, stamp)) hits++;
    return hits / size;
  });
}

function rankSentences(sentences: readonly Sentence[], shared: Int32Array, titleHits: readonly number[]): number[] {
  const n = sentences.length;
  // Indexing runs this for every item: each similarity computed once (it is symmetric), and only
  // the links of sentences that share a word are kept (a zero link adds +0, which changes no sum),
  // each sentence's in ascending order, so the arithmetic is the textbook form's, term for term.
  const logSizes = sentences.map((s) => Math.log(s.words.length + 1));
  const firstLink = new Int32Array(n + 1);
  const linkTo = new Int32Array(n * n);
  const linkWeight = new Float64Array(n * n);
  let links = 0;
  for (let j = 0; j < n; j++) {
    firstLink[j] = links;
    for (let i = 0; i < n; i++) {
      const count = shared[j * n + i]!;
      if (count === 0 || i === j) continue;
      linkTo[links] = i;
      // TextRank's sentence similarity: shared words over the log of the sentence lengths.
      linkWeight[links] = count / (logSizes[i]! + logSizes[j]!);
      links++;
    }
  }
  firstLink[n] = links;
  // DAMPING × weight, the first product of each step's (DAMPING * weight * r) / out, worked out once.
  const dampedWeight = new Float64Array(links);
  for (let l = 0; l < links; l++) dampedWeight[l] = DAMPING * linkWeight[l]!;
  const outSums = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let l = firstLink[j]!; l < firstLink[j + 1]!; l++) sum += linkWeight[l]!;
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
      for (let l = firstLink[j]!, end = firstLink[j + 1]!; l < end; l++) next[linkTo[l]!]! += (dampedWeight[l]! * r) / out;
    }
    [rank, next] = [next, rank];
  }
  return Array.from(rank, (r, i) => {
    const sentence = sentences[i]!;
    const quoteOnly = /^[“「]/.test(sentence.text) && /[”」]$/.test(sentence.text);
    // The headline says what the story is about: a sentence with its words carries the news.
    const headline = 1 + TITLE_WEIGHT * titleHits[i]!;
    return (r / (1 + LEAD_DECAY * i)) * (quoteOnly ? QUOTE_ONLY_FACTOR : 1) * headline * (sentence.dangling ? DANGLING_FACTOR : 1);
  });
}

/** Share of the smaller sentence's words found in the other one. */
function overlap(sentences: readonly Sentence[], shared: Int32Array, i: number, j: number): number {
  const smaller = Math.min(sentences[i]!.words.length, sentences[j]!.words.length);
  return smaller === 0 ? 0 : shared[i * sentences.length + j]! / smaller;
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
  ];
  for (const { marks, from, outsideQuotes } of passes) {
    for (let i = room; i >= from; i--) {
      if (marks.test(text[i]!) && (!outsideQuotes || depth[i] === 0)) return text.slice(0, i) + '…';
    }
  }
  // No clause boundary late enough (a clause of a few characters says nothing): cut hard, but not
  // inside a number or a Latin word, nor a surrogate pair.
  let end = room;
  while (end > longEnough && /[\p{N}\p{Script=Latin}.%]/u.test(text[end - 1]!) && /[\p{N}\p{Script=Latin}.%]/u.test(text[end]!)) end--;
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
