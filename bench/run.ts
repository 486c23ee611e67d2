/**
 * `npm run bench`: builds (or reuses) the generated archives, measures what `openNews` does in real
 * child processes, prints one markdown table and writes it with the machine to bench/RESULTS.md.
 *
 * Flags: --sizes 1000,10000,50000 (default all three) · --budget-min 9.5 (the whole run's time
 * budget: steps that would not fit are skipped or stopped, and the table says so) ·
 * --full (adds 200,000 items, ten years of a daily, and the time it needs) · --archives-only (skips
 * the fan-out rows, which do not depend on the archive) · --out bench/RESULTS.md ·
 * --full-fan-out (the limiter-on digest fan-out to all 10,000 subscribers, ~400 s on top of the budget,
 * instead of 1,000 standing in for them) · --text news|templates (what the articles' bodies are
 * written from, see archive-generator.ts; default news where ../shared/data has the real texts)
 *
 * Order: the measurements that do not depend on the archive (the digest fan-out) run first, so the
 * budget cannot starve them; then per archive size the yardstick, cold and warm start, and that size's
 * own measurements (the `/search` reply time through the emulator, from the warm DATA_DIR).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ensureArchive, type ArchiveText } from './archive-generator.js';
import { eventOf, runChild, type ChildResult } from './child-run.js';
import { MEASUREMENTS, cellOf, millis, seconds, type Cell, type MeasureContext, type SizeFigures, type Yardstick } from './measurements.js';
import { buildQueryMix } from './query-mix.js';

interface Args {
  sizes: number[];
  budgetMs: number;
  full: boolean;
  /** Skip the measurements that do not depend on the archive (the fan-outs). */
  archivesOnly: boolean;
  out: string;
  fullFanOut: boolean;
  text: ArchiveText | undefined;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { sizes: [1000, 10_000, 50_000], budgetMs: 9.5 * 60_000, full: false, archivesOnly: false, out: 'bench/RESULTS.md', fullFanOut: false, text: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1] ?? '';
    if (flag === '--sizes') {
      args.sizes = value.split(',').map((s) => Number(s.trim().replace(/_/g, '')));
      if (args.sizes.some((n) => !Number.isInteger(n) || n < 14)) throw new Error(`bench: --sizes wants whole numbers ≥ 14, got "${value}"`);
      i++;
    } else if (flag === '--budget-min') {
      args.budgetMs = Number(value) * 60_000;
      if (!(args.budgetMs > 0)) throw new Error(`bench: --budget-min wants minutes, got "${value}"`);
      i++;
    } else if (flag === '--archives-only') args.archivesOnly = true;
    else if (flag === '--full') {
      args.full = true;
      args.sizes = [...new Set([...args.sizes, 200_000])];
      args.budgetMs += 20 * 60_000;
    }
    else if (flag === '--full-fan-out') args.fullFanOut = true;
    else if (flag === '--text') {
      if (value !== 'news' && value !== 'templates') throw new Error(`bench: --text wants news or templates, got "${value}"`);
      args.text = value;
      i++;
    } else if (flag === '--out') {
      args.out = value;
      i++;
    } else throw new Error(`bench: unknown flag ${flag}`);
  }
  return args;
}

const OUT_DIR = join('bench', 'out');
const PROBE = 'bench/serve-probe.ts';
const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  let deadline = started + args.budgetMs;
  const remaining = (): number => deadline - Date.now();
  const loadBefore = os.loadavg();
  mkdirSync(OUT_DIR, { recursive: true });

  const noop = await runChild(PROBE, [], { env: { PROBE_MODE: 'noop' }, timeoutMs: 60_000 });
  const bootMs = eventOf(noop, 'boot')?.sinceSpawnMs ?? Number.NaN;
  log(`bot process start (no work): ${seconds(bootMs)}`);

  const context: MeasureContext = { remainingMs: remaining, fullFanOut: args.fullFanOut, log };
  // First, so the time budget cannot starve them; shown in the first column, the same for every size.
  const onceCells: Record<string, Cell> = {};
  const sameCells: Record<string, Cell> = {};
  for (const m of MEASUREMENTS) {
    if (!m.once || args.archivesOnly) continue;
    const t = Date.now();
    onceCells[m.name] = await m.once(context);
    sameCells[m.name] = { text: '= (one run, the same for every size)', ok: null };
    log(`${m.name}: ${onceCells[m.name]!.text} (${seconds(Date.now() - t)})`);
    // --full-fan-out asks for ~400 s beyond the budget on purpose: the archives get the whole budget after it.
    if (args.fullFanOut) deadline += Date.now() - t;
  }

  const figures: SizeFigures[] = [];
  let lastCold: { size: number; ms: number } | null = null;
  for (const size of [...args.sizes].sort((a, b) => a - b)) {
    const t = performance.now();
    const archive = ensureArchive(size, { outDir: OUT_DIR, text: args.text });
    log(`${size} items: archive ${archive.cached ? 'cached' : `generated in ${seconds(performance.now() - t)}`} (${archive.meta.pages} pages, ${(archive.meta.bytes / 2 ** 20).toFixed(0)} MB)`);
    const f: SizeFigures = {
      size,
      meta: archive.meta,
      pagesDir: archive.pagesDir,
      yardstick: null,
      cold: null,
      warm: null,
      dataDir: null,
      queriesPath: null,
      notes: [],
      extra: { ...(figures.length === 0 ? onceCells : sameCells) },
    };
    figures.push(f);

    // Twice, before the starts and after this size's measurements, and the faster run kept: on a
    // shared machine one run of the same cut took 10.5 s and another 19.9 s, which made every ratio
    // of that size look twice as good as it was.
    const yardsticks: Yardstick[] = [];
    const measureYardstick = async (): Promise<void> => {
      const ys = await runChild('bench/segment-yardstick.ts', [archive.pagesDir], { timeoutMs: Math.max(1000, remaining()) });
      const line = ys.events.find((e) => e.event === 'line' || 'cutMs' in e.data);
      if (line) yardsticks.push(line.data as unknown as Yardstick);
      else f.notes.push(`yardstick failed: ${ys.timedOut ? 'out of time' : ys.stderrTail.slice(-300)}`);
      f.yardstick = yardsticks.reduce<Yardstick | null>((best, y) => (best === null || y.cutMs < best.cutMs ? y : best), null);
      log(`${size}: yardstick ${line ? seconds((line.data as unknown as Yardstick).cutMs) : 'failed'}`);
    };
    await measureYardstick();

    const dataDir = join(OUT_DIR, `data-${size}-${process.pid}`);
    try {
      const cold = await measureStarts(f, archive, dataDir, remaining, lastCold);
      if (cold !== null) lastCold = { size, ms: cold };
      // This size's own measurements, while the warm start's DATA_DIR is still there.
      for (const m of MEASUREMENTS) {
        if (!m.measure) continue;
        const cell = await m.measure(f, context);
        f.extra[m.name] = cell;
        log(`${size}: ${m.name}: ${cell.text}`);
      }
      if (remaining() > (f.yardstick?.cutMs ?? 0) * 2) await measureYardstick();
      if (yardsticks.length > 1) f.notes.push(`${size}: yardstick ${yardsticks.map((y) => seconds(y.cutMs)).join(' and ')} (the faster is the 1×)`);
    } finally {
      // The probe removes the new page itself; this is for a probe that was stopped.
      rmSync(join(archive.pagesDir, archive.meta.nextPage.file), { force: true });
      rmSync(dataDir, { recursive: true, force: true });
      f.dataDir = null;
    }
  }

  const report = renderReport(figures, { bootMs, started, loadBefore, loadAfter: os.loadavg(), wallMs: Date.now() - started });
  process.stdout.write(`${report.table}\n`);
  writeFileSync(args.out, report.markdown);
  log(`written to ${args.out} in ${seconds(Date.now() - started)}`);
}

/**
 * Cold then warm start of one archive in DATA_DIR `dataDir` (left in place for the size's own
 * measurements); the time to searchable of the cold start, or null when there was none.
 */
async function measureStarts(
  f: SizeFigures,
  archive: ReturnType<typeof ensureArchive>,
  dataDir: string,
  remaining: () => number,
  lastCold: { size: number; ms: number } | null,
): Promise<number | null> {
  const { size } = f;
  // Skip what cannot fit: a cold start is assumed to grow linearly with the archive.
  const estimate = lastCold ? (lastCold.ms * size) / lastCold.size : 0;
  if (estimate > remaining()) {
    f.notes.push(`${size}: cold and warm start skipped: about ${seconds(estimate)} expected (linear from ${lastCold!.size} items), ${seconds(Math.max(0, remaining()))} left of the budget`);
    log(f.notes[f.notes.length - 1]!);
    return null;
  }
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  f.dataDir = dataDir;
  const env = { SEEDS_DIR: archive.pagesDir, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  f.cold = await runChild(PROBE, [], { env: { ...env, PROBE_MODE: 'start' }, timeoutMs: Math.max(1000, remaining()) });
  noteFailure(f, 'cold', f.cold);
  const coldReady = eventOf(f.cold, 'searchable')?.sinceSpawnMs;
  log(`${size}: cold start → searchable ${coldReady !== undefined ? seconds(coldReady) : 'not reached'}`);
  if (coldReady === undefined) return null;

  const queriesPath = join(OUT_DIR, `queries-${size}.json`);
  writeFileSync(queriesPath, JSON.stringify(buildQueryMix(archive.meta.samples)));
  f.queriesPath = queriesPath;
  if (coldReady > remaining()) {
    f.notes.push(`${size}: warm start skipped: it would take about ${seconds(coldReady)} with ${seconds(Math.max(0, remaining()))} left`);
    log(f.notes[f.notes.length - 1]!);
    return coldReady;
  }
  f.warm = await runChild(PROBE, [], {
    env: { ...env, PROBE_MODE: 'full', PROBE_QUERIES: queriesPath, PROBE_NEW_PAGE: archive.meta.nextPage.path, PROBE_NEW_MARKER: archive.meta.nextPage.marker },
    timeoutMs: Math.max(1000, remaining()),
  });
  noteFailure(f, 'warm', f.warm);
  log(`${size}: warm start → searchable ${seconds(eventOf(f.warm, 'searchable')?.sinceSpawnMs ?? Number.NaN)}`);
  return coldReady;
}

function noteFailure(f: SizeFigures, which: string, run: ChildResult): void {
  const error = eventOf(run, 'error');
  if (run.timedOut) f.notes.push(`${f.size}: ${which} start stopped after ${seconds(run.wallMs)} (time budget)`);
  else if (error || run.exitCode !== 0) {
    f.notes.push(`${f.size}: ${which} probe failed (exit ${run.exitCode}): ${String(error?.data['message'] ?? run.stderrTail).slice(0, 400)}`);
  }
}

interface CategoryFigures {
  median: number;
  p99: number;
  n: number;
  kinds: Record<string, number>;
  misses: string[];
}

function categoriesOf(f: SizeFigures): Record<string, CategoryFigures> {
  const e = f.warm ? eventOf(f.warm, 'search-latency') : undefined;
  return (e?.data['categories'] ?? {}) as Record<string, CategoryFigures>;
}

/** Items in the archive once searchable (openNews resolves earlier, with only the newest pages in). */
function parsedItems(f: SizeFigures): string {
  const run = f.cold ?? f.warm;
  const searchable = run ? eventOf(run, 'searchable') : undefined;
  return searchable ? String(searchable.data['items']) : 'n/a';
}

interface ReportContext {
  bootMs: number;
  started: number;
  loadBefore: number[];
  loadAfter: number[];
  wallMs: number;
}

function renderReport(figures: SizeFigures[], ctx: ReportContext): { table: string; markdown: string } {
  const mark = (ok: boolean | null): string => (ok === null ? '' : ok ? ' ✅' : ' ❌');
  const header = `| Measurement | ${figures.map((f) => `${f.size.toLocaleString('en-US')} items`).join(' | ')} | Target |`;
  const rule = `|---|${figures.map(() => '---:').join('|')}|---|`;
  const rows = MEASUREMENTS.map((m) => {
    const cells = figures.map((f) => {
      const cell = cellOf(m, f);
      return `${cell.text}${mark(cell.ok)}`;
    });
    return `| ${m.label} | ${cells.join(' | ')} | ${m.target} |`;
  });
  const table = [header, rule, ...rows].join('\n');

  const cpu = os.cpus();
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const lines: string[] = [
    '# Benchmark results',
    '',
    `Run ${new Date(ctx.started).toISOString()} by \`npm run bench\` in ${seconds(ctx.wallMs)}.`,
    '',
    `Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB memory, ` +
      `Node ${process.version}, ${os.type()} ${os.release()}. Load average (1/5/15 min) at start ${load(ctx.loadBefore)}, at end ${load(ctx.loadAfter)}` +
      ' (other processes share the machine: wall-clock figures are inflated by that much contention).',
    '',
    table,
    '',
    'How to read it: start-up times run from spawning `bench/serve-probe.ts` the way `npm start` runs the bot (`node scripts/start.mjs`,',
    'the esbuild bundle, built before the clock starts) to the probe\'s JSON line arriving, so they include process start-up ' +
      `(${seconds(ctx.bootMs)} with no work at all). The ratio after a start-up time is to the yardstick of the same archive;`,
    'after the new page, to one page\'s share of it (14 items); after a latency (its p99), to one item\'s share. Cold: empty `DATA_DIR`;',
    'warm: a second process on the same `DATA_DIR` with nothing changed. ✅/❌ only where the issue sets a target for that size.',
    'The two emulator rows run the real bot and core against telegram-test-api over HTTP, each in its own process: the `/search`',
    'reply time per archive from the warm `DATA_DIR`; the digest fan-out once, over `seeds/` plus one new page (it does not depend',
    'on the archive). Their details are in the notes.',
    '',
    '## Archives',
    '',
    '| | ' + figures.map((f) => `${f.size.toLocaleString('en-US')}`).join(' | ') + ' |',
    '|---|' + figures.map(() => '---:').join('|') + '|',
    `| Articles' bodies written from | ${figures.map((f) => (f.meta.text === 'news' ? 'real news' : 'templates')).join(' | ')} |`,
    `| Pages (12 articles + 2 captions each, 5 a day) | ${figures.map((f) => f.meta.pages).join(' | ')} |`,
    `| Items parsed by \`openNews\` | ${figures.map(parsedItems).join(' | ')} |`,
    `| Characters / UTF-8 size | ${figures.map((f) => `${(f.meta.chars / 1e6).toFixed(1)} M / ${(f.meta.bytes / 2 ** 20).toFixed(0)} MB`).join(' | ')} |`,
    `| Pages with column breaks | ${figures.map((f) => f.meta.pagesWithBreaks).join(' | ')} |`,
    `| Distinct words (jieba, HMM on) | ${figures.map((f) => (f.yardstick ? f.yardstick.distinctWords.toLocaleString('en-US') : 'n/a')).join(' | ')} |`,
    `| Minted terms / people | ${figures.map((f) => `${f.meta.mintedTerms.toLocaleString('en-US')} / ${f.meta.persons.toLocaleString('en-US')}`).join(' | ')} |`,
    `| jieba dictionary load (yardstick process) | ${figures.map((f) => (f.yardstick ? seconds(f.yardstick.loadMs) : 'n/a')).join(' | ')} |`,
    '',
  ];
  const detail = figures.filter((f) => f.warm && eventOf(f.warm, 'search-latency'));
  if (detail.length > 0) {
    lines.push('## Search latency by kind of query (median / p99, answer kinds)', '');
    const categories = Object.keys(eventOf(detail[0]!.warm!, 'search-latency')!.data['categories'] as object);
    lines.push(`| Kind | ${detail.map((f) => f.size.toLocaleString('en-US')).join(' | ')} |`, `|---|${detail.map(() => '---').join('|')}|`);
    for (const c of categories) {
      const cells = detail.map((f) => {
        const cat = categoriesOf(f)[c];
        if (!cat) return 'n/a';
        const kinds = Object.entries(cat.kinds).map(([k, n]) => `${n} ${k}`).join(', ');
        return `${millis(cat.median)} / ${millis(cat.p99)} (${kinds})`;
      });
      lines.push(`| ${c} | ${cells.join(' | ')} |`);
    }
    lines.push('');
    const misses = detail.flatMap((f) =>
      Object.entries(categoriesOf(f))
        .filter(([c, cat]) => c !== 'no-hit' && cat.misses.length > 0)
        .map(([c, cat]) => `${f.size.toLocaleString('en-US')} · ${c}: ${cat.misses.join('，')}`),
    );
    if (misses.length > 0) lines.push('Queries that found nothing though they were built from the archive (first five per kind; an exclusion may exclude everything):', '', ...misses.map((m) => `- ${m}`), '');
  }
  const cellNotes = figures.flatMap((f) => Object.values(f.extra).flatMap((cell) => cell.notes ?? []));
  const notes = [...figures.flatMap((f) => f.notes), ...cellNotes];
  if (notes.length > 0) lines.push('## Notes', '', ...notes.map((n) => `- ${n}`), '');
  return { table, markdown: `${lines.join('\n')}\n` };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
