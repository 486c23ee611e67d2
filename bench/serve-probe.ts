/**
 * The process the benchmark starts, as a bot would start: `openNews` on SEEDS_DIR with DATA_DIR,
 * then answers. It reports each milestone as one JSON line on stdout (`{"event": …}`); the parent
 * takes the time of each line's arrival, so times run from process spawn.
 *
 * Environment: SEEDS_DIR, DATA_DIR, PROBE_MODE (`noop`: exit after boot; `start`: until searchable
 * and the resource figures; `full`: also the latency mix and one new page), PROBE_QUERIES (a JSON
 * file of `{category, query}`), PROBE_NEW_PAGE (a page file to copy into SEEDS_DIR and ingest),
 * PROBE_NEW_MARKER (a word only that page has).
 */
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import type { Answers } from '../src/answers/answers.js';
import type { News } from '../src/news.js';

interface QueryCase {
  category: string;
  query: string;
}

const emit = (event: string, data: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ event, at: performance.now(), ...data })}\n`);
};

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`serve-probe: ${name} is not set`);
  return value;
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(times: number[]): { n: number; median: number; p99: number; max: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { n: sorted.length, median: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function resources(): Record<string, number> {
  const heap = getHeapStatistics();
  const usage = process.resourceUsage();
  return {
    maxRssMB: usage.maxRSS / 1024,
    heapUsedMB: heap.used_heap_size / 2 ** 20,
    heapTotalMB: heap.total_heap_size / 2 ** 20,
    externalMB: process.memoryUsage().external / 2 ** 20,
    userCpuMs: usage.userCPUTime / 1000,
    systemCpuMs: usage.systemCPUTime / 1000,
  };
}

async function main(): Promise<void> {
  emit('boot');
  const mode = process.env['PROBE_MODE'] ?? 'start';
  if (mode === 'noop') return;
  const seedsDir = env('SEEDS_DIR');
  const dataDir = env('DATA_DIR');
  // Imported here, not at the top, so their load time is its own milestone.
  const { openNews } = await import('../src/news.js');
  const { createLogger } = await import('../src/logger.js');
  emit('imported');

  let warnings = 0;
  const sink = { write: () => void warnings++ };
  const log = createLogger('warn', sink as unknown as NodeJS.WritableStream);
  const news = await openNews({ seedsDir, dataDir, region: '衢州市', summaryMaxChars: 120, pageSize: 5 }, log);
  emit('opened', { pages: news.stats.pages, items: news.stats.items, skipped: news.stats.skipped.length, readyMs: news.stats.readyMs });

  const first = news.answers.latest();
  emit('first-answer', { kind: first.kind });
  // The first search answer: from the archive as it is (a warm start: all of it; a cold one: what is in).
  const firstSearch = news.answers.search('发展');
  emit('first-search', { kind: firstSearch.kind, total: firstSearch.kind === 'results' ? firstSearch.total : 0 });

  // Searchable: every page is in the archive's full-text index.
  await news.ready;
  const answer = news.answers.search('发展');
  emit('searchable', { total: answer.kind === 'results' ? answer.total : 0, items: news.stats.items, written: news.stats.indexedPages });
  emit('resources', { ...resources(), warnings });
  await news.summarized;
  emit('summarized', { items: news.stats.items });
  emit('resources', { ...resources(), warnings });
  if (mode !== 'full') return;

  const cases = JSON.parse(readFileSync(env('PROBE_QUERIES'), 'utf8')) as QueryCase[];
  measureLatency(news.answers, cases);
  await measureNewPage(news, seedsDir);
  emit('resources', { ...resources(), warnings });
}

function measureLatency(answers: Answers, cases: QueryCase[]): void {
  // Warm-up: the first fifth of the mix, uncounted (JIT, caches).
  for (const c of cases.slice(0, Math.ceil(cases.length / 5))) answers.search(c.query);
  const all: number[] = [];
  const byCategory = new Map<string, { times: number[]; kinds: Record<string, number>; misses: string[] }>();
  for (const c of cases) {
    const t = performance.now();
    const answer = answers.search(c.query);
    const ms = performance.now() - t;
    all.push(ms);
    const entry = byCategory.get(c.category) ?? { times: [], kinds: {}, misses: [] };
    entry.times.push(ms);
    entry.kinds[answer.kind] = (entry.kinds[answer.kind] ?? 0) + 1;
    if (answer.kind !== 'results' && entry.misses.length < 5) entry.misses.push(c.query);
    byCategory.set(c.category, entry);
  }
  const categories = Object.fromEntries([...byCategory].map(([name, e]) => [name, { ...summary(e.times), kinds: e.kinds, misses: e.misses }]));
  emit('search-latency', { ...summary(all), categories });

  const counties = ['江山', '开化县', '柯城', '衢江区', '龙游', '常山县', '杭州'];
  const timed = (run: (i: number) => void, n: number): number[] => {
    for (let i = 0; i < 50; i++) run(i);
    return Array.from({ length: n }, (_, i) => {
      const t = performance.now();
      run(i);
      return performance.now() - t;
    });
  };
  emit('latest-latency', summary(timed((i) => answers.latest({ page: 1 + (i % 3) }), 500)));
  emit('county-latency', summary(timed((i) => answers.county(counties[i % counties.length]!, { page: 1 + (i % 2) }), 500)));
}

async function measureNewPage(news: News, seedsDir: string): Promise<void> {
  const source = process.env['PROBE_NEW_PAGE'];
  const marker = process.env['PROBE_NEW_MARKER'];
  if (!source || !marker) return;
  const file = basename(source);
  const target = join(seedsDir, file);
  copyFileSync(source, target);
  try {
    // From the moment the file is there (as a folder watcher would see it) to a search finding it.
    const started = performance.now();
    const update = await news.updatePage(file);
    const updatedMs = performance.now() - started;
    for (;;) {
      const answer = news.answers.search(marker);
      if (answer.kind === 'results' && answer.results.some((r) => r.item.source.file === file)) break;
      if (performance.now() - started > 30_000) {
        emit('error', { message: `new page not searchable after 30 s (${answer.kind})` });
        return;
      }
      await pause(5);
    }
    emit('new-page', { ms: performance.now() - started, updatedMs, added: update.added.length, skipped: update.skipped?.reason ?? null });
  } finally {
    rmSync(target, { force: true });
  }
}

main().then(
  () => {
    emit('done');
    process.exit(0);
  },
  (error: unknown) => {
    emit('error', { message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  },
);
