/**
 * Layout repair: undo what the page layout did to an article's paragraphs.
 *
 * 1. Column breaks cut a paragraph mid-sentence; a block that does not end a sentence continues in
 *    the next block of the same article, joined with no space.
 * 2. A run of another article's paragraphs can stand between the two halves of such a cut paragraph
 *    (the end of an earlier article that did not fit its columns). When an article has a dangling
 *    paragraph, the blocks after it are candidates for such a run. Each candidate run (the next k
 *    blocks, ending a sentence, with at least one block left to complete the cut paragraph) is scored
 *    against every earlier article by the distinctive character bigrams it shares with that article
 *    minus those it shares with the rest of its host. Only a clear winner is moved; otherwise the text
 *    stays in place (with a warning when the evidence was suggestive), because a wrong move is worse
 *    than a missed one. Nothing is ever dropped or copied: blocks are only re-ordered and concatenated.
 */

/** Closing quotes and brackets that may follow a sentence's final mark: `……。”` ends a sentence. */
const CLOSERS = /[”’」』）)】》〉"'\s\u3000]+$/u;
const SENTENCE_END = /[。！？!?…]$/u;

/** True if the text ends a sentence (its last mark, closing quotes/brackets aside, is 。！？… etc.). */
export function endsSentence(text: string): boolean {
  return SENTENCE_END.test(text.replace(CLOSERS, ''));
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

const DEFAULTS: Required<RepairOptions> = { maxRun: 12, minScore: 6, minRatio: 2 };

const WORD = /[\p{L}\p{N}]/u;

/** Adjacent letter/digit pairs: a cheap, dictionary-free stand-in for Chinese words. */
export function bigrams(text: string): Set<string> {
  const set = new Set<string>();
  let prev = '';
  for (const ch of text) {
    if (WORD.test(ch)) {
      if (prev) set.add(prev + ch);
      prev = ch;
    } else prev = '';
  }
  return set;
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
  const blockGrams = articles.map((a) => a.blocks.map(bigrams));
  const headingGrams = articles.map((a) => bigrams(a.heading));
  const docGrams = articles.map((_, i) => union([headingGrams[i]!, ...blockGrams[i]!]));
  const df = new Map<string, number>();
  for (const doc of docGrams) for (const g of doc) df.set(g, (df.get(g) ?? 0) + 1);
  const weight = (g: string): number => Math.log(1 + articles.length / (df.get(g) ?? 1));

  const paragraphs: string[][] = articles.map(() => []);
  // Vocabulary of each finished article, grown as runs are moved into it.
  const finished: Set<string>[] = [];
  let paragraphsJoined = 0;
  let blocksMoved = 0;
  const warnings: string[] = [];

  /** Appends blocks to an article, continuing its last paragraph if that one was cut. */
  const append = (target: number, blocks: readonly string[]): void => {
    const out = paragraphs[target]!;
    for (const block of blocks) {
      const last = out[out.length - 1];
      if (last !== undefined && !endsSentence(last)) {
        out[out.length - 1] = last + block;
        paragraphsJoined++;
      } else out.push(block);
    }
  };

  articles.forEach((article, a) => {
    const blocks = article.blocks;
    const grams = blockGrams[a]!;
    // Bigram counts over the host's heading and blocks, so "the rest of the host" is a subtraction.
    const hostCounts = new Map<string, number>();
    for (const set of [headingGrams[a]!, ...grams]) for (const g of set) hostCounts.set(g, (hostCounts.get(g) ?? 0) + 1);

    const out = paragraphs[a]!;
    let i = 0;
    while (i < blocks.length) {
      let current = blocks[i]!;
      i++;
      while (!endsSentence(current) && i < blocks.length) {
        const found = a > 0 ? findDisplacedRun(i) : null;
        if (found) {
          const run = blocks.slice(i, i + found.count);
          append(found.target, run);
          for (const set of grams.slice(i, i + found.count)) for (const g of set) finished[found.target]!.add(g);
          blocksMoved += found.count;
          i += found.count;
        }
        current += blocks[i]!;
        i++;
        paragraphsJoined++;
      }
      out.push(current);
    }
    const last = out[out.length - 1];
    if (last !== undefined && !endsSentence(last)) {
      warnings.push(`《${article.label}》最后一段没有结束（可能缺少下文）：…${[...last].slice(-12).join('')}`);
    }
    finished[a] = new Set(docGrams[a]);

    /** The best run starting at block `start` that belongs to an earlier article, if the evidence is clear. */
    function findDisplacedRun(start: number): Candidate | null {
      let best: Candidate | null = null;
      const runCounts = new Map<string, number>();
      for (let count = 1; count <= opts.maxRun && start + count < blocks.length; count++) {
        for (const g of grams[start + count - 1]!) runCounts.set(g, (runCounts.get(g) ?? 0) + 1);
        if (!endsSentence(blocks[start + count - 1]!)) continue;
        const pos = new Array<number>(a).fill(0);
        const neg = new Array<number>(a).fill(0);
        for (const [g, n] of runCounts) {
          const w = weight(g);
          // Present in the host outside this run?
          const inHost = (hostCounts.get(g) ?? 0) > n;
          for (let t = 0; t < a; t++) {
            const inTarget = finished[t]!.has(g);
            if (inTarget && !inHost) pos[t]! += w;
            else if (inHost && !inTarget) neg[t]! += w;
          }
        }
        for (let t = 0; t < a; t++) {
          const score = pos[t]! - neg[t]!;
          if (!best || score > best.score || (score === best.score && t > best.target)) {
            best = { count, target: t, score, pos: pos[t]!, neg: neg[t]! };
          }
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

  return { paragraphs, paragraphsJoined, blocksMoved, warnings };
}

function union(sets: readonly Set<string>[]): Set<string> {
  const out = new Set<string>();
  for (const s of sets) for (const g of s) out.add(g);
  return out;
}
