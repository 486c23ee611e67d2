/**
 * Parser precision on real, complete articles: `npm run bench:parse [-- --limit N] [-- --per-page K]`.
 *
 * Reads `../shared/data/cctv-news-dev.jsonl` (real news texts, each complete), lays them out as pages
 * in our format (`# 标题`, then one paragraph a line, K articles to a page, no column breaks, nothing
 * displaced) and parses each page. Complete articles must come out unchanged: the same number of
 * items, each with the same text and the same paragraphs, and no "unfinished" warning.
 * Prints the shares, and the first few differences so that a change can be judged by eye.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePage } from '../src/pages/parse-page.js';

interface RealArticle {
  title: string;
  paragraphs: string[];
}

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const limit = flag('limit', 4000);
const perPage = flag('per-page', 8);
const shown = flag('show', 8);

// The shared data beside the repository (`../shared/data`), or DATA_SETS_DIR (e.g. to run this bench from a scratch clone).
const file = join(process.env.DATA_SETS_DIR ?? fileURLToPath(new URL('../../shared/data/', import.meta.url)), 'cctv-news-dev.jsonl');
const articles: RealArticle[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .slice(0, limit)
  .map((line) => {
    const raw = JSON.parse(line) as RealArticle;
    return { title: raw.title.trim(), paragraphs: raw.paragraphs.map((p) => p.trim()).filter((p) => p !== '') };
  });

/** A page in our format: headline, then the paragraphs, a blank line between blocks. */
function layOut(page: readonly RealArticle[]): string {
  return page.map((a) => [`# ${a.title}`, ...a.paragraphs].join('\n\n')).join('\n\n') + '\n';
}

let exactText = 0;
let exactParagraphs = 0;
let unfinished = 0;
let pagesWithWrongCount = 0;
let joined = 0;
let moved = 0;
let otherWarnings = 0;
const examples: string[] = [];
const started = performance.now();

for (let start = 0; start < articles.length; start += perPage) {
  const page = articles.slice(start, start + perPage);
  const parsed = parsePage(layOut(page), `real-${start / perPage}.txt`);
  const items = parsed.items.filter((i) => i.kind === 'article');
  joined += parsed.report.paragraphsJoined;
  moved += parsed.report.blocksMoved;
  if (items.length !== page.length) pagesWithWrongCount++;
  for (const warning of parsed.report.warnings) {
    if (warning.includes('最后一段没有结束')) unfinished++;
    else otherWarnings++;
  }
  page.forEach((article, n) => {
    const item = items.find((i) => i.title === article.title) ?? items[n];
    if (!item) return;
    const text = item.paragraphs.join('') === article.paragraphs.join('');
    const same = text && item.paragraphs.length === article.paragraphs.length && item.paragraphs.every((p, k) => p === article.paragraphs[k]);
    if (text) exactText++;
    if (same) exactParagraphs++;
    else if (examples.length < shown) examples.push(firstDifference(article, item.paragraphs));
  });
}

const n = articles.length;
const pct = (x: number) => `${((100 * x) / n).toFixed(1)}%`;
console.log(`${n} real articles, ${perPage} to a page (${Math.ceil(n / perPage)} pages), parsed in ${(performance.now() - started).toFixed(0)} ms`);
console.log(`exact text        ${exactText} (${pct(exactText)})`);
console.log(`exact paragraphs  ${exactParagraphs} (${pct(exactParagraphs)})`);
console.log(`pages with a wrong item count  ${pagesWithWrongCount}`);
console.log(`"unfinished" warnings  ${unfinished} (${pct(unfinished)} of articles); other warnings ${otherWarnings}`);
console.log(`joins reported ${joined}, blocks moved ${moved} (the truth: none of either)`);
if (examples.length) console.log(`\nfirst differences:\n${examples.join('\n')}`);

function firstDifference(article: RealArticle, got: readonly string[]): string {
  const want = article.paragraphs;
  let k = 0;
  while (k < want.length && want[k] === got[k]) k++;
  const clip = (s: string | undefined) => (s === undefined ? '∅' : s.length > 40 ? `${s.slice(0, 18)}…${s.slice(-18)}` : s);
  return `《${article.title}》 ¶${k}: want ${clip(want[k])} | ${clip(want[k + 1])}\n    got ${clip(got[k])}`;
}
