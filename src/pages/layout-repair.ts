/**
 * Layout repair: undo what the page layout did to an article's paragraphs.
 *
 * 1. Column breaks cut a paragraph mid-sentence; a block that does not end a sentence (nor close
 *    with credits, `news-ending.ts`) continues in the next block of the same article, joined with
 *    no space, when the junction reads as a cut (`paragraph-break.ts`): real articles have subheads
 *    and list lines without a final mark, and those stay paragraphs of their own.
 * 2. A run of another article's paragraphs can stand between the two halves of such a cut paragraph
 *    (the end of an earlier article that did not fit its columns). When an article has a dangling
 *    paragraph, the blocks after it are candidates for such a run. Each candidate run (the next k
 *    blocks, ending a sentence, with at least one block left to complete the cut paragraph) is scored
 *    against every earlier article by the distinctive character bigrams it shares with that article
 *    minus those it shares with the rest of its host (credit lines count for nothing: they name people),
 *    doubled by each piece of evidence of layout: a word across the gap the run leaves, credits at
 *    the run's end, a first block that continues the target's cut paragraph. Only a clear winner is moved; otherwise the text
 *    stays in place (with a warning when the evidence was suggestive), because a wrong move is worse
 *    than a missed one. Nothing is ever dropped or copied: blocks are only re-ordered and concatenated.
 */

import { dictionaryWords, spansWord, type WordList } from './dictionary-words.js';
import { endsWithCredit, isCreditLine } from './news-ending.js';
import { readJunction } from './paragraph-break.js';

/** Closing quotes and brackets that may follow a sentence's final mark: `……。”` ends a sentence. */
const CLOSER = /[”’」』）)】》〉"'\s\u3000]/u;
const SENTENCE_END = /[。！？!?…]/u;

/**
 * True if the text ends a sentence (its last mark, closing quotes/brackets aside, is 。！？… etc.), or
 * ends the way news ends (`（完）`, a credit line): nothing continues it.
 */
export function endsSentence(text: string): boolean {
  // Read back from the end (the layout repair asks this of every block and growing paragraph: an
  // anchored pattern would be tried at every position of the text).
  let end = text.length;
  while (end > 0 && CLOSER.test(text[end - 1]!)) end--;
  return (end > 0 && SENTENCE_END.test(text[end - 1]!)) || endsWithCredit(text);
}

export interface ArticleBlocks {
  /** Headline and subheadline: part of what an article is about, so they count as its vocabulary. */
  heading: string;
  /** Body blocks in page order (one per non-blank line), captions and markup already removed. */
  blocks: readonly string[];
  /** For warnings. */
  label: string;
}

export interface RepairOptions {
  /** Longest run of blocks considered displaced. */
  maxRun?: number;
  /** Minimum evidence (weighted shared bigrams, net of the host's) to move a run. */
  minScore?: number;
  /** Minimum ratio of evidence for the target article to evidence for the host. */
  minRatio?: number;
  /** A bigram used by h texts counts 1/h^sharing: words common to several articles say little. */
  sharing?: number;
  /** The host's own text, run excluded, must be at least this share of the run's length. */
  minHostShare?: number;
  /** Evidence for an article other than the one right before the host is divided by this. */
  distantPenalty?: number;
  /** Words that may span a column break (default: jieba's dictionary, `dictionaryWords`). */
  words?: WordList;
}

export interface RepairResult {
  /** Paragraphs per article, same order as the input. */
  paragraphs: string[][];
  /** Column-break joins made (each joins two pieces into one paragraph). */
  paragraphsJoined: number;
  /** Blocks moved back into the article they belong to. */
  blocksMoved: number;
  warnings: string[];
}

const DEFAULTS: Required<Omit<RepairOptions, 'words'>> = { maxRun: 12, minScore: 7, minRatio: 2, sharing: 4, distantPenalty: 3, minHostShare: 0.5 };

/** Letters and digits, CJK included; tested by code point because this runs on every character. */
function isWordChar(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0xff10 && code <= 0xff5a) ||
    (code >= 0x20000 && code <= 0x3134f) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code > 0xbf && code < 0x2000 && /\p{L}/u.test(String.fromCodePoint(code)))
  );
}

interface Candidate {
  count: number;
  target: number;
  score: number;
  /** Evidence for the target article and for the host. */
  pos: number;
  neg: number;
}

/**
 * Joins cut paragraphs and moves displaced runs back, over all the articles of one page.
 * @example repairLayout([{ heading: 'T', blocks: ['今年以来，作为主战', '场、主平台。'], label: 'T' }]).paragraphs
 * // [['今年以来，作为主战场、主平台。']]
 */
export function repairLayout(articles: readonly ArticleBlocks[], options: RepairOptions = {}): RepairResult {
  const opts = { ...DEFAULTS, ...options };
  const words = options.words ?? dictionaryWords();
  /** Whether `before`, unfinished, goes on in `after` (a column break) rather than ending there (a subhead). */
  const continues = (before: string, after: string): boolean => readJunction(before, after, words).join;
  // The bigram tables cost more than the rest of parsing and only a cut paragraph in an article
  // after the first needs them (about half the pages): built on first use (`gramsOf`).
  let pageGrams: PageGrams | null = null;
  const gramsOf = (): PageGrams => (pageGrams ??= readPageGrams(articles, finished, asking));
  /** The article being laid out. */
  let asking = 0;

  const paragraphs: string[][] = articles.map(() => []);
  // Vocabulary of each finished article, grown as runs are moved into it (null until the grams are read).
  const finished: Array<Set<number> | null> = articles.map(() => null);
  let paragraphsJoined = 0;
  let blocksMoved = 0;
  const warnings: string[] = [];

  /** Appends blocks to an article, continuing its last paragraph if that one was cut. */
  const append = (target: number, blocks: readonly string[]): void => {
    const out = paragraphs[target]!;
    for (const block of blocks) {
      const last = out[out.length - 1];
      if (last !== undefined && !endsSentence(last) && continues(last, block)) {
        out[out.length - 1] = last + block;
        paragraphsJoined++;
      } else out.push(block);
    }
  };

  const knownPair = (before: string, text: string): boolean => {
    const after = firstChar(text);
    if (!isWordChar(before.codePointAt(0) ?? 0) || !isWordChar(after.codePointAt(0) ?? 0)) return false;
    const { chars, docGrams } = gramsOf();
    const key = chars.pairKey(before.codePointAt(0)!, after.codePointAt(0)!);
    return key !== null && docGrams.some((grams) => grams.has(key));
  };

  articles.forEach((article, a) => {
    asking = a;
    const blocks = article.blocks;
    /** The host's block bigrams and their counts over its heading and blocks (so "the rest of the host" is a subtraction). */
    let host: { grams: Set<number>[]; counts: Map<number, number> } | null = null;
    const hostOf = () => {
      if (host) return host;
      const { blockGrams, headingGrams } = gramsOf();
      const grams = blockGrams[a]!;
      const counts = new Map<number, number>();
      for (const set of [headingGrams[a]!, ...grams]) for (const g of set) counts.set(g, (counts.get(g) ?? 0) + 1);
      return (host = { grams, counts });
    };

    // Which other articles use a bigram (earlier ones as finished, with what was moved into them).
    let holdersCache = new Map<number, number[]>();
    const holdersOf = (g: number): number[] => {
      let list = holdersCache.get(g);
      if (!list) {
        list = [];
        const { docGrams } = gramsOf();
        for (let t = 0; t < articles.length; t++) {
          if (t !== a && (t < a ? finished[t]! : docGrams[t]!).has(g)) list.push(t);
        }
        holdersCache.set(g, list);
      }
      return list;
    };

    const out = paragraphs[a]!;
    let i = 0;
    while (i < blocks.length) {
      let current = blocks[i]!;
      i++;
      while (!endsSentence(current) && i < blocks.length) {
        const found = a > 0 ? findDisplacedRun(current, i) : null;
        if (found) {
          const run = blocks.slice(i, i + found.count);
          append(found.target, run);
          // Shared with the page's tables until something is moved into it.
          const grown = finished[found.target] === gramsOf().docGrams[found.target] ? new Set(finished[found.target]) : finished[found.target]!;
          finished[found.target] = grown;
          for (const set of hostOf().grams.slice(i, i + found.count)) for (const g of set) grown.add(g);
          blocksMoved += found.count;
          holdersCache = new Map();
          i += found.count;
        } else {
          const junction = readJunction(current, blocks[i]!, words);
          if (junction.weak) {
            const tail = [...current].slice(-10).join('');
            warnings.push(
              junction.join
                ? `《${article.label}》“…${tail}”按栏断与下一段接续，证据不足，请核对`
                : `《${article.label}》“…${tail}”没有句末标点，按独立段落（小标题）保留，证据不足，请核对`,
            );
          }
          if (!junction.join) break;
        }
        current += blocks[i]!;
        i++;
        paragraphsJoined++;
      }
      out.push(current);
    }
    if (pageGrams) finished[a] = pageGrams.docGrams[a]!;

    /** The best run starting at block `start` that belongs to an earlier article, if the evidence is clear. */
    function findDisplacedRun(dangling: string, start: number): Candidate | null {
      const { grams, counts: hostCounts } = hostOf();
      let best: Candidate | null = null;
      // Where a paragraph is cut mid-word, its two halves form a pair seen elsewhere on the page
      // (主战|场 → 战场). If the block right after the cut completes such a pair, the text is in place.
      const tail = lastChar(dangling);
      const joinsWord = (after: string): boolean => knownPair(tail, after) || spansWord(dangling, after, words);
      const naturalJoin = joinsWord(blocks[start]!);
      const runCounts = new Map<number, number>();
      // The run's paragraphs so far (block ranges), each closed by a block that ends a sentence.
      const runParagraphs: number[][] = [];
      let open: number[] = [];
      let runChars = 0;
      const hostChars = blocks.reduce((sum, block) => sum + block.length, 0);
      for (let count = 1; count <= opts.maxRun && start + count < blocks.length; count++) {
        const b = start + count - 1;
        // Credits name people, not the topic: no evidence either way.
        const credit = isCreditLine(blocks[b]!);
        if (!credit) for (const g of grams[b]!) runCounts.set(g, (runCounts.get(g) ?? 0) + 1);
        open.push(b);
        runChars += blocks[b]!.length;
        if (!endsSentence(blocks[b]!)) continue;
        runParagraphs.push(open);
        // Credits close an article: a run that ends just before them takes them along.
        if (isCreditLine(blocks[start + count]!)) {
          open = [];
          continue;
        }
        // The host keeps a body of its own around a displaced run; a "run" that would leave the
        // host nearly empty is the host itself.
        if (hostChars - runChars < opts.minHostShare * runChars) {
          open = [];
          continue;
        }
        const wordAfter = joinsWord(blocks[start + count]!);
        if (naturalJoin && !wordAfter) {
          open = [];
          continue;
        }
        open = [];
        // Evidence per earlier article (pos) and for the rest of the host (neg): over the whole run
        // and per paragraph of the run. A bigram used by h texts counts 1/h^sharing.
        const weightOf = new Map<number, number>();
        const hostHas = new Set<number>();
        for (const [g, n] of runCounts) {
          const inHost = (hostCounts.get(g) ?? 0) > n; // used by the host outside this run
          const holders = holdersOf(g).length + (inHost ? 1 : 0);
          if (holders === 0) continue;
          weightOf.set(g, 1 / holders ** opts.sharing);
          if (inHost) hostHas.add(g);
        }
        const tally = (sets: Iterable<Set<number>>): { pos: Map<number, number>; neg: number } => {
          const pos = new Map<number, number>();
          let neg = 0;
          const seen = new Set<number>();
          for (const set of sets) {
            for (const g of set) {
              const w = weightOf.get(g);
              if (w === undefined || seen.has(g)) continue;
              seen.add(g);
              if (hostHas.has(g)) neg += w;
              for (const t of holdersOf(g)) if (t < a) pos.set(t, (pos.get(t) ?? 0) + w);
            }
          }
          return { pos, neg };
        };
        const topical = runParagraphs.filter((p) => !(p.length === 1 && isCreditLine(blocks[p[0]!]!)));
        const whole = tally(topical.flatMap((p) => p.map((i) => grams[i]!)));
        // Paragraphs of the run, and their blocks one by one: a host fragment must not ride along
        // inside a moved paragraph either.
        const each = topical.map((p) => tally(p.map((i) => grams[i]!)));
        // A run opening with an unfinished block may just be the host's own continuation followed
        // by the moved text: that first block must lean to the target by itself.
        const opening = runParagraphs[0]!.length > 1 ? tally([grams[start]!]) : null;
        for (const [t, pos] of whole.pos) {
          // Layout locality: a run that did not fit usually belongs to the article just before its
          // host; one further back must bring correspondingly stronger evidence.
          const distance = t === a - 1 ? 1 : opts.distantPenalty;
          // Every paragraph of the run must lean to the target on its own: a strong moved paragraph
          // must not drag the host's own paragraphs along with it.
          if (opening && (opening.pos.get(t) ?? 0) <= opening.neg) continue;
          if (!each.every((e) => (e.pos.get(t) ?? 0) >= e.neg)) continue;
          // Evidence beyond shared words, each doubling it: a word across the gap the run leaves
          // (`村` + `委汪水玉`); credits at the run's end (they close an article, and the host goes on
          // after them); the target's last paragraph cut and the run's first block continuing it.
          const targetLast = paragraphs[t]![paragraphs[t]!.length - 1];
          const continuesTarget = targetLast !== undefined && !endsSentence(targetLast) && readJunction(targetLast, blocks[start]!, words).score < 0;
          const boost = (wordAfter && !naturalJoin ? 2 : 1) * (credit ? 2 : 1) * (continuesTarget ? 2 : 1);
          const score = ((pos - whole.neg) / distance) * boost;
          if (best && (score < best.score || (score === best.score && t < best.target))) continue;
          best = { count, target: t, score, pos: pos * boost, neg: whole.neg };
        }
      }

      if (!best || best.score <= 0) return null;
      if (best.score >= opts.minScore && best.pos >= opts.minRatio * best.neg) return best;
      if (best.score >= opts.minScore / 2 && best.pos >= 1.5 * best.neg) {
        warnings.push(
          `《${article.label}》中断的段落后有 ${best.count} 段文字可能属于《${articles[best.target]!.label}》，证据不足，保留原位`,
        );
      }
      return null;
    }
  });

  // Only now: a tail displaced into a later article has been moved back.
  paragraphs.forEach((out, a) => {
    const last = out[out.length - 1];
    if (last !== undefined && !endsSentence(last)) {
      warnings.push(`《${articles[a]!.label}》最后一段没有结束（可能缺少下文）：…${[...last].slice(-12).join('')}`);
    }
  });
  return { paragraphs, paragraphsJoined, blocksMoved, warnings };
}

/** A page's bigrams, each numbered (`PageChars.pairKey`), per block, heading and article. */
interface PageGrams {
  chars: PageChars;
  blockGrams: Set<number>[][];
  headingGrams: Set<number>[];
  docGrams: Set<number>[];
}

/**
 * The page's bigram sets, and `finished` filled for the articles before the one `asking` (nothing
 * has been moved into them yet: a move needs these tables first; later ones fill theirs when done).
 */
function readPageGrams(articles: readonly ArticleBlocks[], finished: Array<Set<number> | null>, asking: number): PageGrams {
  const chars = new PageChars(articles.flatMap((a) => [a.heading, ...a.blocks]));
  const blockGrams = articles.map((a) => a.blocks.map((b) => chars.bigrams(b)));
  const headingGrams = articles.map((a) => chars.bigrams(a.heading));
  const docGrams = articles.map((_, i) => union([headingGrams[i]!, ...blockGrams[i]!]));
  for (let t = 0; t < asking; t++) finished[t] = docGrams[t]!;
  return { chars, blockGrams, headingGrams, docGrams };
}

/**
 * The word characters of a page numbered 0… (as code points), so that a bigram is one number,
 * `first * size + second`: sets of small numbers instead of two-character strings. Equal bigrams,
 * equal numbers, and they come in the same order, so sets iterate as the strings' did.
 */
class PageChars {
  /** Per BMP code unit its number + 1 (0: not a word character of the page): a look-up per character of every text. */
  private readonly bmp = new Int32Array(0x10000);
  /** Characters outside the BMP, by code point. */
  private readonly astral = new Map<number, number>();
  private size = 0;

  constructor(texts: readonly string[]) {
    for (const text of texts) {
      for (let i = 0; i < text.length; i++) {
        const code = text.codePointAt(i)!;
        if (code > 0xffff) {
          i++;
          if (!this.astral.has(code) && isWordChar(code)) this.astral.set(code, this.size++);
        } else if (this.bmp[code] === 0 && isWordChar(code)) this.bmp[code] = ++this.size;
      }
    }
  }

  private id(code: number): number | undefined {
    if (code > 0xffff) return this.astral.get(code);
    const n = this.bmp[code]!;
    return n === 0 ? undefined : n - 1;
  }

  /** Adjacent letter/digit pairs of `text` (a text of the page): a cheap, dictionary-free stand-in for Chinese words. */
  bigrams(text: string): Set<number> {
    const set = new Set<number>();
    const size = this.size;
    let prev = -1;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let id: number;
      if (code >= 0xd800 && code <= 0xdbff) {
        const point = text.codePointAt(i)!;
        if (point > 0xffff) i++;
        id = this.id(point) ?? -1;
      } else id = this.bmp[code]! - 1;
      if (id >= 0) {
        if (prev >= 0) set.add(prev * size + id);
        prev = id;
      } else prev = -1;
    }
    return set;
  }

  /** The number of the bigram of two word characters, or null when either is not on the page. */
  pairKey(first: number, second: number): number | null {
    const a = this.id(first);
    const b = this.id(second);
    return a === undefined || b === undefined ? null : a * this.size + b;
  }
}

function union<T>(sets: readonly Set<T>[]): Set<T> {
  const out = new Set<T>();
  for (const s of sets) for (const g of s) out.add(g);
  return out;
}

function lastChar(text: string): string {
  const chars = [...text.trimEnd()];
  return chars[chars.length - 1] ?? '';
}

function firstChar(text: string): string {
  return [...text.trimStart()][0] ?? '';
}
