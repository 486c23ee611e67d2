/**
 * Summary quality against human summaries: `npm run bench:summary [-- --limit N]`.
 *
 * 1. Short news with editors' one-line summaries (`../shared/data/news-briefs-dev.tsv`, 1,800 real
 *    briefs) at 40 characters.
 * 2. Long reports (`../shared/data/cctv-news-dev.jsonl`, texts of at least 600 characters) at
 *    SUMMARY_MAX_CHARS (120), against their headline: no editor wrote a lead box for these, so the
 *    headline is the human summary at hand (a rough one: it is short, so recall matters most).
 *
 * Character ROUGE-1, ROUGE-2 and ROUGE-L (F1, ×100; letters and digits only, punctuation and spaces
 * left out), and ROUGE-1 recall (how much of the reference the summary covers, whatever its length),
 * for Lead-1 and Lead-2 (the first one or two sentences, cut to the budget) beside ours.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitSentences } from '../src/text/sentences.js';
import { createSegmenter } from '../src/text/segmenter.js';
import { summarize } from '../src/text/summarize.js';

const args = process.argv.slice(2);
const at = args.indexOf('--limit');
const limit = at >= 0 ? Number(args[at + 1]) : Infinity;
// The shared data beside the repository (`../shared/data`), or DATA_SETS_DIR (e.g. to run this bench from a scratch clone).
const dataDir = process.env.DATA_SETS_DIR ?? fileURLToPath(new URL('../../shared/data/', import.meta.url));
const data = (name: string) => readFileSync(join(dataDir, name), 'utf8');

const seg = createSegmenter();

interface Case {
  title: string;
  paragraphs: string[];
  reference: string;
}

const briefs: Case[] = data('news-briefs-dev.tsv')
  .split('\n')
  .slice(1)
  .filter((line) => line.includes('\t'))
  .slice(0, limit)
  .map((line) => {
    const [summary, text] = line.split('\t') as [string, string];
    return { title: '', paragraphs: [text.trim()], reference: summary.trim() };
  });

const reports: Case[] = data('cctv-news-dev.jsonl')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { title: string; paragraphs: string[] })
  .filter((a) => a.paragraphs.join('').length >= 600)
  .slice(0, Math.min(limit, 1000))
  .map((a) => ({ title: a.title, paragraphs: a.paragraphs.map((p) => p.trim()), reference: a.title.replace(/^【[^】]*】/u, '') }));

/** Letters and digits: what character ROUGE compares. */
function units(text: string): string[] {
  return [...text].filter((ch) => /[\p{L}\p{N}]/u.test(ch));
}

function f1(overlap: number, candidate: number, reference: number): number {
  if (overlap === 0 || candidate === 0 || reference === 0) return 0;
  const p = overlap / candidate;
  const r = overlap / reference;
  return (2 * p * r) / (p + r);
}

function ngrams(chars: string[], n: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + n <= chars.length; i++) {
    const key = chars.slice(i, i + n).join('');
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

function rougeN(candidate: string[], reference: string[], n: number): number {
  const overlap = ngramOverlap(candidate, reference, n);
  return f1(overlap, Math.max(0, candidate.length - n + 1), Math.max(0, reference.length - n + 1));
}

function ngramOverlap(candidate: string[], reference: string[], n: number): number {
  const c = ngrams(candidate, n);
  const r = ngrams(reference, n);
  let overlap = 0;
  for (const [key, count] of c) overlap += Math.min(count, r.get(key) ?? 0);
  return overlap;
}

function rougeL(candidate: string[], reference: string[]): number {
  const row = new Array<number>(reference.length + 1).fill(0);
  for (let i = 1; i <= candidate.length; i++) {
    let diagonal = 0;
    for (let j = 1; j <= reference.length; j++) {
      const above = row[j]!;
      row[j] = candidate[i - 1] === reference[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
      diagonal = above;
    }
  }
  return f1(row[reference.length]!, candidate.length, reference.length);
}

/** The first `k` sentences, cut to the budget. */
function lead(paragraphs: string[], k: number, maxChars: number): string {
  return paragraphs
    .flatMap((p) => splitSentences(p).map((s) => s.trim()))
    .filter((s) => s !== '')
    .slice(0, k)
    .join('')
    .slice(0, maxChars);
}

type System = (c: Case, maxChars: number) => string;
const systems: Array<[string, System]> = [
  ['Lead-1', (c, max) => lead(c.paragraphs, 1, max)],
  ['Lead-2', (c, max) => lead(c.paragraphs, 2, max)],
  ['ours', (c, max) => summarize(c.paragraphs, seg, { maxChars: max, title: c.title })],
  ['ours, no headline', (c, max) => summarize(c.paragraphs, seg, { maxChars: max })],
];

function table(name: string, cases: Case[], maxChars: number): void {
  console.log(`\n${name}: ${cases.length} texts at ${maxChars} characters (character ROUGE F1 ×100)`);
  console.log('system               R-1    R-2    R-L   R-1 recall   mean length');
  for (const [label, system] of systems) {
    let r1 = 0;
    let r2 = 0;
    let rl = 0;
    let length = 0;
    let recall = 0;
    for (const c of cases) {
      const summary = system(c, maxChars);
      const cand = units(summary);
      const ref = units(c.reference);
      r1 += rougeN(cand, ref, 1);
      r2 += rougeN(cand, ref, 2);
      rl += rougeL(cand, ref);
      recall += ref.length === 0 ? 0 : ngramOverlap(cand, ref, 1) / ref.length;
      length += summary.length;
    }
    const avg = (x: number) => ((100 * x) / cases.length).toFixed(2).padStart(6);
    console.log(`${label.padEnd(18)} ${avg(r1)} ${avg(r2)} ${avg(rl)}   ${avg(recall)}       ${(length / cases.length).toFixed(1)}`);
  }
}

table('News briefs with editors\' summaries (news-briefs-dev.tsv)', briefs, 40);
table('Long reports against their headline (cctv-news-dev.jsonl, ≥ 600 characters)', reports, 120);
