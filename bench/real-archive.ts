/**
 * The archive on real text: `npm run bench:real [-- --limit N]`. Lays the real news texts of
 * `../shared/data/cctv-news-dev.jsonl` (13,797 complete articles, 2022-09 to 2026-08) out as dated
 * pages in our format (8 articles a page), then measures what `npm run bench` measures on generated
 * archives, in the same child processes: the segmentation yardstick, a cold start (to searchable
 * and to every summary stored) and a warm start with a query mix made of the articles' own words.
 * Prints one markdown table; nothing is written into the project but `bench/out/`.
 *
 * `--copies N` lays the articles out N times, each copy dated four years (the span of the texts)
 * before the last: an archive N times the size whose words are spread as real news spreads them,
 * which the generated archives of `npm run bench` are not (see bench/RESULTS.md).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventOf, runChild, type ChildResult } from './child-run.js';
import { createRandom } from './prng.js';
import { readRealArticles, type RealArticle } from './real-texts.js';

const args = process.argv.slice(2);
const at = args.indexOf('--limit');
const limit = at >= 0 ? Number(args[at + 1]) : Number.POSITIVE_INFINITY;
const copiesAt = args.indexOf('--copies');
const copies = copiesAt >= 0 ? Math.max(1, Math.floor(Number(args[copiesAt + 1]))) : 1;
const PER_PAGE = 8;
/** Years between two copies' dates: the texts span 2022-09 to 2026-08. */
const COPY_YEARS = 4;
const OUT = join('bench', 'out', `real-archive-${Number.isFinite(limit) ? limit : 'all'}${copies > 1 ? `-x${copies}` : ''}`);

/** Page files `YYYY-MM-DD-NN.txt`, the articles of one day eight to a page, `copies` times over. */
function layOut(articles: RealArticle[], dir: string): number {
  const byDate = new Map<string, RealArticle[]>();
  for (let copy = 0; copy < copies; copy++) {
    for (const a of articles) {
      const date = `${Number(a.date.slice(0, 4)) - copy * COPY_YEARS}${a.date.slice(4)}`;
      byDate.set(date, [...(byDate.get(date) ?? []), a]);
    }
  }
  let pages = 0;
  for (const [date, list] of byDate) {
    for (let i = 0; i < list.length; i += PER_PAGE) {
      const text = list
        .slice(i, i + PER_PAGE)
        .map((a) => [`# ${a.title}`, ...a.paragraphs].join('\n\n'))
        .join('\n\n');
      writeFileSync(join(dir, `${date}-${String(i / PER_PAGE + 1).padStart(2, '0')}.txt`), `${text}\n`);
      pages++;
    }
  }
  return pages;
}

/** Reader queries from the articles themselves: headline words, common words, phrases, exclusions, counties. */
function queryMix(articles: RealArticle[]): Array<{ category: string; query: string }> {
  const rnd = createRandom(11);
  const random = () => rnd.next();
  const pick = <T>(list: readonly T[]): T => rnd.pick(list);
  const han = (text: string) => text.match(/\p{Script=Han}{2,}/gu) ?? [];
  const cases: Array<{ category: string; query: string }> = [];
  for (let i = 0; i < 100; i++) {
    const runs = han(pick(articles).title);
    const run = runs.length > 0 ? pick(runs) : '新闻';
    cases.push({ category: 'headline', query: run.slice(0, 2 + Math.floor(random() * 3)) });
  }
  for (const word of ['发展', '经济', '习近平', '人民', '建设', '中国', '合作', '创新', '乡村振兴', '高质量发展']) cases.push({ category: 'common', query: word });
  for (let i = 0; i < 60; i++) {
    const paragraph = pick(pick(articles).paragraphs);
    const runs = han(paragraph).filter((r) => r.length >= 6);
    if (runs.length > 0) cases.push({ category: 'phrase', query: `"${pick(runs).slice(0, 6)}"` });
  }
  for (let i = 0; i < 40; i++) {
    const a = han(pick(articles).title);
    const b = han(pick(articles).title);
    if (a.length > 0 && b.length > 0) cases.push({ category: 'several', query: `${pick(a).slice(0, 2)} ${pick(b).slice(0, 2)}` });
  }
  for (let i = 0; i < 30; i++) cases.push({ category: 'exclusion', query: `${pick(['发展', '经济', '合作', '建设'])} -${pick(['美国', '会议', '企业', '农业'])}` });
  for (const q of ['炒茶', '一带一路倡议合作', '冬奥会金牌', '量子计算', '碳达峰碳中和', '衢州', '开化 茶']) cases.push({ category: 'other', query: q });
  return cases;
}

function figure(run: ChildResult | null, event: string): string {
  const e = run ? eventOf(run, event) : undefined;
  return e ? `${(e.sinceSpawnMs / 1000).toFixed(2)} s` : 'n/a';
}

async function main(): Promise<void> {
  const articles = readRealArticles(limit);
  const pagesDir = join(OUT, 'pages');
  if (!existsSync(join(OUT, 'done'))) {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(pagesDir, { recursive: true });
    layOut(articles, pagesDir);
    writeFileSync(join(OUT, 'done'), '');
  }
  const queriesPath = join(OUT, 'queries.json');
  writeFileSync(queriesPath, JSON.stringify(queryMix(articles)));
  const chars = copies * articles.reduce((n, a) => n + a.title.length + a.paragraphs.reduce((m, p) => m + p.length, 0), 0);
  const count = copies * articles.length;
  process.stderr.write(`[real] ${count} articles, ${(chars / 1e6).toFixed(1)} M characters\n`);

  const yard = await runChild('bench/segment-yardstick.ts', [pagesDir], { timeoutMs: 600_000 });
  const cutMs = Number(yard.events.find((e) => 'cutMs' in e.data)?.data['cutMs'] ?? Number.NaN);
  const dataDir = join(OUT, `data-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  try {
    const env = { SEEDS_DIR: pagesDir, DATA_DIR: dataDir };
    const cold = await runChild('bench/serve-probe.ts', [], { env: { ...env, PROBE_MODE: 'start' }, timeoutMs: 900_000 });
    const warm = await runChild('bench/serve-probe.ts', [], { env: { ...env, PROBE_MODE: 'full', PROBE_QUERIES: queriesPath }, timeoutMs: 600_000 });
    const latency = warm ? eventOf(warm, 'search-latency')?.data : undefined;
    const rss = Math.max(...[cold, warm].flatMap((r) => r.events.filter((e) => e.event === 'resources').map((e) => Number(e.data['maxRssMB']))));
    const searchable = eventOf(cold, 'searchable');
    const lines = [
      `| Real archive (${count.toLocaleString('en-US')} articles${copies > 1 ? `: ${copies} copies of ${articles.length.toLocaleString('en-US')}` : ''}, ${(chars / 1e6).toFixed(1)} M characters) | |`,
      '|---|---:|',
      `| Yardstick: raw jieba cut, 1 core | ${(cutMs / 1000).toFixed(2)} s |`,
      `| Cold start → searchable (items) | ${figure(cold, 'searchable')} (${String(searchable?.data['items'] ?? 'n/a')}) |`,
      `| Cold start → every summary stored | ${figure(cold, 'summarized')} |`,
      `| Warm start → first search answer | ${figure(warm, 'first-search')} |`,
      `| /search median / p99 (${String(latency?.['n'] ?? 0)} queries) | ${Number(latency?.['median']).toFixed(2)} / ${Number(latency?.['p99']).toFixed(2)} ms |`,
      `| Peak RSS (summary worker included) | ${Math.round(rss)} MB |`,
    ];
    if (latency) {
      for (const [name, c] of Object.entries(latency['categories'] as Record<string, { median: number; p99: number; kinds: Record<string, number> }>)) {
        lines.push(`| · ${name} median / p99 | ${c.median.toFixed(2)} / ${c.p99.toFixed(2)} ms (${Object.entries(c.kinds).map(([k, n]) => `${n} ${k}`).join(', ')}) |`);
      }
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:real: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
