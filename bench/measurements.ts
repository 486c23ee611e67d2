/**
 * The rows of the benchmark table: each a named measurement with its target, reading the figures
 * gathered for one archive size. Measurements that need their own run have a `measure` function (run
 * for every archive size, after its warm start, while that start's DATA_DIR is still there) or a
 * `once` function (does not depend on the archive: run once before the archives, shown in the first
 * column); neither prints "n/a — not yet built". Each returns a cell (see `Cell`).
 */
import type { ArchiveMeta } from './archive-generator.js';
import { eventOf, runChild, type ChildResult } from './child-run.js';
import type { FanOutMeasurement } from './measure-fan-out.js';
import { replicasFanOut } from './replicas-fan-out.js';

export interface Yardstick {
  items: number;
  chars: number;
  tokens: number;
  distinctWords: number;
  loadMs: number;
  cutMs: number;
}

export interface SizeFigures {
  size: number;
  meta: ArchiveMeta;
  pagesDir: string;
  yardstick: Yardstick | null;
  cold: ChildResult | null;
  warm: ChildResult | null;
  /** The warm start's DATA_DIR while this size's own measurements run; null once removed or never made. */
  dataDir: string | null;
  /** The query mix of this archive (a JSON file of `{category, query}`), once written. */
  queriesPath: string | null;
  /** Why a figure is missing (skipped for the time budget, timed out, failed). */
  notes: string[];
  /** Cells of measurements with their own `measure`, by name. */
  extra: Record<string, Cell>;
}

export interface Cell {
  text: string;
  /** Target met (true), missed (false), or no target at this size (null). */
  ok: boolean | null;
  /** Lines for the report's notes: the figures behind the cell, or why it is missing. */
  notes?: string[];
}

/** What a measurement with its own run may ask of the benchmark run. */
export interface MeasureContext {
  /** Milliseconds left of the whole run's time budget. */
  remainingMs(): number;
  /** `--full-fan-out`: the limiter-on fan-out goes to all 10,000 subscribers (~400 s at 25/s). */
  fullFanOut: boolean;
  log(line: string): void;
}

export interface Measurement {
  name: string;
  label: string;
  target: string;
  /** Reads the gathered figures; the default for rows fed by the probe runs. */
  cell?: (f: SizeFigures) => Cell;
  /** Runs its own measurement for one archive size; null: not built yet. */
  measure?: ((f: SizeFigures, context: MeasureContext) => Promise<Cell>) | null;
  /** Runs its own measurement once for the whole run (it does not depend on the archive). */
  once?: (context: MeasureContext) => Promise<Cell>;
}

const NA: Cell = { text: 'n/a', ok: null };
const NOT_BUILT: Cell = { text: 'n/a — not yet built', ok: null };

export function seconds(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function millis(ms: number): string {
  return ms >= 100 ? `${Math.round(ms)} ms` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(3)} ms`;
}

function ratio(value: number, base: number | null | undefined): string {
  if (!base) return '';
  const r = value / base;
  return ` (${r >= 10 ? r.toFixed(0) : r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)}×)`;
}

/** Time since spawn of a probe event, or a cell saying why there is none. */
function since(run: ChildResult | null, event: string, what: string): number | Cell {
  if (!run) return NA;
  const e = eventOf(run, event);
  if (e) return e.sinceSpawnMs;
  if (run.timedOut) return { text: `> ${seconds(run.wallMs)} (stopped: ${what} not reached)`, ok: false };
  return { text: 'failed (see notes)', ok: false };
}

function data(run: ChildResult | null, event: string): Record<string, unknown> | null {
  return run ? (eventOf(run, event)?.data ?? null) : null;
}

/** Start-up figures: the time and its ratio to the whole archive's raw segmentation. */
function startCell(run: ChildResult | null, event: string, limit: (f: SizeFigures) => number | null, f: SizeFigures): Cell {
  const value = since(run, event, event);
  if (typeof value !== 'number') return value;
  const max = limit(f);
  return { text: `${seconds(value)}${ratio(value, f.yardstick?.cutMs)}`, ok: max === null ? null : value <= max };
}

/** Per-request figures, with the ratio to one item's share of the raw segmentation. */
function latencyCell(f: SizeFigures, event: string, limit: number | null): Cell {
  const d = data(f.warm, event);
  if (!d) return f.warm ? { text: 'failed (see notes)', ok: false } : NA;
  const perItem = f.yardstick ? f.yardstick.cutMs / f.yardstick.items : null;
  const median = Number(d['median']);
  const p99 = Number(d['p99']);
  return { text: `${millis(median)} / ${millis(p99)}${ratio(p99, perItem)}`, ok: limit === null ? null : p99 <= limit };
}

function peakRss(f: SizeFigures): number | null {
  const values = [f.cold, f.warm]
    .flatMap((run) => (run ? run.events.filter((e) => e.event === 'resources') : []))
    .map((e) => Number(e.data['maxRssMB']));
  return values.length > 0 ? Math.max(...values) : null;
}

export const MEASUREMENTS: Measurement[] = [
  {
    name: 'yardstick',
    label: 'Yardstick: raw `nodejieba.cut(text, true)` of every item, 1 core (the faster of two runs)',
    target: '—',
    cell: (f) => (f.yardstick ? { text: `${seconds(f.yardstick.cutMs)} (1×)`, ok: null } : NA),
  },
  {
    name: 'cold-first-answer',
    label: 'Cold start: spawn → first answer (`/latest`)',
    target: '< 1 s at any size',
    cell: (f) => startCell(f.cold, 'first-answer', () => 1000, f),
  },
  {
    name: 'cold-searchable',
    label: 'Cold start: spawn → searchable (every page in the FTS index)',
    target: '≤ 1.5 × yardstick (50k)',
    cell: (f) => startCell(f.cold, 'searchable', (g) => (g.size === 50_000 && g.yardstick ? 1.5 * g.yardstick.cutMs : null), f),
  },
  {
    name: 'cold-summarized',
    label: 'Cold start: spawn → every summary and keyword stored',
    target: '≤ 3 × yardstick (50k)',
    cell: (f) => startCell(f.cold, 'summarized', (g) => (g.size === 50_000 && g.yardstick ? 3 * g.yardstick.cutMs : null), f),
  },
  {
    name: 'warm-first-answer',
    label: 'Warm start: spawn → first answer (`/latest`)',
    target: '< 1 s at any size',
    cell: (f) => startCell(f.warm, 'first-answer', () => 1000, f),
  },
  {
    name: 'warm-first-search',
    label: 'Warm start: spawn → first search answer',
    target: '≤ 0.5 s at any size',
    cell: (f) => startCell(f.warm, 'first-search', () => 500, f),
  },
  {
    name: 'warm-searchable',
    label: 'Warm start: spawn → pages checked against the archive',
    target: '—',
    cell: (f) => startCell(f.warm, 'searchable', () => null, f),
  },
  {
    name: 'new-page',
    label: 'One new page (14 items) added to the running bot → searchable',
    target: '≤ 200 ms',
    cell: (f) => {
      const d = data(f.warm, 'new-page');
      if (!d) return f.warm ? { text: 'failed (see notes)', ok: false } : NA;
      const perPage = f.yardstick ? (f.yardstick.cutMs / f.yardstick.items) * 14 : null;
      return { text: `${millis(Number(d['ms']))}${ratio(Number(d['ms']), perPage)}`, ok: Number(d['ms']) <= 200 };
    },
  },
  {
    name: 'search-latency',
    label: '`/search` latency, median / p99 (500-query mix)',
    target: 'p99 ≤ 5 ms (50k), ≤ 10 ms (200k)',
    cell: (f) => latencyCell(f, 'search-latency', f.size === 50_000 ? 5 : f.size === 200_000 ? 10 : null),
  },
  {
    name: 'latest-latency',
    label: '`/latest` latency, median / p99',
    target: '< 1 ms',
    cell: (f) => latencyCell(f, 'latest-latency', 1),
  },
  {
    name: 'county-latency',
    label: '`/county` latency, median / p99',
    target: '< 1 ms',
    cell: (f) => latencyCell(f, 'county-latency', 1),
  },
  {
    name: 'peak-rss',
    label: 'Peak RSS of the bot process (cold or warm, summary worker included)',
    target: '≤ 500 MB (50k)',
    cell: (f) => {
      const rss = peakRss(f);
      const stopped = [f.cold, f.warm].map((run) => run?.peakRssMBAtStop ?? null).find((v) => v !== null);
      if (rss === null && stopped != null) return { text: `≥ ${Math.round(stopped)} MB when stopped`, ok: f.size === 50_000 && stopped > 500 ? false : null };
      if (rss === null) return NA;
      return { text: `${Math.round(rss)} MB`, ok: f.size === 50_000 ? rss <= 500 : null };
    },
  },
  {
    name: 'heap',
    label: 'V8 heap used / total when searchable (cold)',
    target: '—',
    cell: (f) => {
      const d = data(f.cold, 'resources');
      return d ? { text: `${Math.round(Number(d['heapUsedMB']))} / ${Math.round(Number(d['heapTotalMB']))} MB`, ok: null } : NA;
    },
  },
  {
    name: 'emulator-search-reply',
    label: '`/search` reply time through the Telegram emulator, median / p99 (50 queries of the mix, warm `DATA_DIR`)',
    target: '—',
    measure: measureSearchReply,
  },
  {
    name: 'digest-fan-out',
    label: 'Digest fan-out to 10,000 subscribers through the emulator (limiter off: msgs/s; on: achieved vs configured rate; duplicates / losses)',
    target: '0 duplicates, 0 losses; ≤ 25 msg/s with the limiter',
    once: measureDigestFanOut,
  },
  replicasFanOut,
];

/** Room a reply-time run needs beyond a warm start: the emulator, the bot, 55 replies. */
const REPLY_RUN_EXTRA_MS = 20_000;

/**
 * `/search` through the emulator against the archive of this size, started from the warm start's
 * DATA_DIR (a cold start would only repeat the cold-start row and cost its time again).
 */
async function measureSearchReply(f: SizeFigures, context: MeasureContext): Promise<Cell> {
  const searchable = f.warm ? eventOf(f.warm, 'searchable')?.sinceSpawnMs : undefined;
  if (!f.dataDir || !f.queriesPath || searchable === undefined) return { text: 'n/a (no warm start at this size)', ok: null };
  const needed = searchable + REPLY_RUN_EXTRA_MS;
  if (needed > context.remainingMs()) {
    const why = `${f.size}: /search reply time skipped: about ${seconds(needed)} needed (a warm start and the replies), ${seconds(Math.max(0, context.remainingMs()))} left`;
    return { text: 'skipped (time budget)', ok: null, notes: [why] };
  }
  const run = await runChild('bench/search-reply-probe.ts', [], {
    env: { SEEDS_DIR: f.pagesDir, DATA_DIR: f.dataDir, PROBE_QUERIES: f.queriesPath, LOG_LEVEL: 'warn' },
    timeoutMs: Math.max(1000, context.remainingMs()),
  });
  const d = data(run, 'search-reply');
  if (!d) {
    const error = data(run, 'error');
    const why = run.timedOut ? `stopped after ${seconds(run.wallMs)} (time budget)` : String(error?.['message'] ?? run.stderrTail).slice(0, 400);
    return { text: 'failed (see notes)', ok: false, notes: [`${f.size}: /search reply time: ${why}`] };
  }
  const kinds = Object.entries(d['kinds'] as Record<string, number>).map(([k, n]) => `${n} ${k}`).join(', ');
  const notReady = Number(d['notReady']);
  const opened = data(run, 'opened');
  return {
    text: `${millis(Number(d['median']))} / ${millis(Number(d['p99']))}`,
    // A "still indexing" reply is not a search reply: the figure would flatter.
    ok: notReady > 0 ? false : null,
    notes: [
      `${f.size}: /search reply time through the emulator: ${d['n']} queries one after another (${kinds}${notReady > 0 ? `, ${notReady} answered "still indexing"` : ''}), ` +
        `median ${millis(Number(d['median']))}, p99 ${millis(Number(d['p99']))} (with 50 queries, the slowest), ` +
        `${opened ? `${opened['items']} items, ` : ''}the bot polling with a ${d['pollIdleMs']} ms pause after an empty poll`,
    ],
  };
}

/** Telegram's limits as the bot configures them by default (SEND_RATE_GLOBAL, SEND_INTERVAL_CHAT_MS). */
const CONFIGURED_RATE = 25;
const FAN_OUT_SUBSCRIBERS = 10_000;
/** With the limiter on, 10,000 messages take 400 s: more than the whole run may. These many stand in. */
const LIMITED_SUBSCRIBERS = 1_000;

/** What a fan-out child prints: `measureFanOut`'s result. */
type FanOutFigures = FanOutMeasurement;

async function fanOutRun(subscribers: number, limiter: 'on' | 'off', timeoutMs: number): Promise<FanOutFigures | string> {
  const run = await runChild('bench/measure-fan-out.ts', [String(subscribers), limiter], { timeoutMs: Math.max(1000, timeoutMs) });
  const d = data(run, 'fan-out');
  if (d) return d as unknown as FanOutFigures;
  return run.timedOut ? `stopped after ${seconds(run.wallMs)}` : `exit ${run.exitCode}: ${run.stderrTail.slice(-400)}`;
}

function fanOutNote(what: string, r: FanOutFigures): string {
  const outbox = Object.entries(r.outbox).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
  return (
    `${what}: ${r.queued.toLocaleString('en-US')} messages queued for ${r.subscribers.toLocaleString('en-US')} subscribers in ${millis(r.fanOutMs)} (topic matching + outbox), ` +
    `delivered in ${seconds(r.deliveryMs)} = ${r.perSecond} msg/s (sends started per whole second from the first: ${r.startsPerSecond ?? 'n/a'}); ` +
    `most sends started in any one second ${r.maxStartsInAnySecond}, ` +
    `most stored by the emulator in any one second ${r.maxInAnySecond}; duplicates ${r.duplicates}, losses ${r.losses}; outbox ${outbox}`
  );
}

/**
 * The digest fan-out of issue 5 through the emulator (bench/measure-fan-out.ts, each run its own
 * process): 10,000 subscribers with the limiter off (pipeline throughput), then with it on at the
 * configured 25/s, on 1,000 subscribers unless `--full-fan-out`.
 */
async function measureDigestFanOut(context: MeasureContext): Promise<Cell> {
  const notes: string[] = [];
  context.log(`digest fan-out: ${FAN_OUT_SUBSCRIBERS} subscribers, limiter off`);
  const off = await fanOutRun(FAN_OUT_SUBSCRIBERS, 'off', Math.min(context.remainingMs(), 240_000));
  const limited = context.fullFanOut ? FAN_OUT_SUBSCRIBERS : LIMITED_SUBSCRIBERS;
  const expectedOnMs = (limited / CONFIGURED_RATE) * 1000;
  context.log(`digest fan-out: ${limited} subscribers, limiter on (about ${seconds(expectedOnMs)})`);
  // The full run is asked for on purpose: it gets its time whatever the budget says.
  const on = await fanOutRun(limited, 'on', context.fullFanOut ? expectedOnMs + 300_000 : Math.min(context.remainingMs(), expectedOnMs + 120_000));

  const parts: string[] = [];
  let ok = true;
  if (typeof off === 'string') {
    ok = false;
    parts.push('off: failed');
    notes.push(`digest fan-out, limiter off: ${off}`);
  } else {
    ok &&= off.duplicates === 0 && off.losses === 0;
    parts.push(`off: ${Math.round(off.perSecond)} msg/s (${off.queued.toLocaleString('en-US')} in ${seconds(off.deliveryMs)}; fan-out ${millis(off.fanOutMs)}), ${off.duplicates} dup / ${off.losses} lost`);
    notes.push(fanOutNote('Digest fan-out, limiter off', off));
  }
  if (typeof on === 'string') {
    ok = false;
    parts.push('on: failed');
    notes.push(`digest fan-out, limiter on: ${on}`);
  } else {
    // One start beyond the limit in a one-second window is the 1 ms clock: the limiter records a send
    // and the sender stamps its start, sometimes a millisecond apart. More would be a real burst.
    ok &&= on.duplicates === 0 && on.losses === 0 && on.maxStartsInAnySecond <= CONFIGURED_RATE + 1;
    const rate = on.startsPerSecond ?? on.perSecond;
    parts.push(
      `on${on.subscribers === FAN_OUT_SUBSCRIBERS ? '' : ` (${on.subscribers.toLocaleString('en-US')} subscribers)`}: ${rate.toFixed(1)} of ${CONFIGURED_RATE} msg/s ` +
        `(${on.subscribers.toLocaleString('en-US')} in ${seconds(on.deliveryMs)}; max ${on.maxStartsInAnySecond} starts in 1 s), ${on.duplicates} dup / ${on.losses} lost`,
    );
    notes.push(fanOutNote(`Digest fan-out, limiter on (${CONFIGURED_RATE}/s overall, 1/s per chat)`, on));
  }
  if (!context.fullFanOut) {
    notes.push(
      `With the limiter on, ${LIMITED_SUBSCRIBERS.toLocaleString('en-US')} subscribers (about ${seconds((LIMITED_SUBSCRIBERS / CONFIGURED_RATE) * 1000)}) stand in for ${FAN_OUT_SUBSCRIBERS.toLocaleString('en-US')} ` +
        `(about ${seconds((FAN_OUT_SUBSCRIBERS / CONFIGURED_RATE) * 1000)}, more than the whole 10-minute run); \`npm run bench -- --full-fan-out\` sends to all ${FAN_OUT_SUBSCRIBERS.toLocaleString('en-US')} ` +
        '(beyond the time budget). Measured once that way, before this run: 400.1 s, 25.0 msg/s, 0 duplicates, 0 losses.',
    );
  }
  return { text: parts.join(' · '), ok, notes };
}

/** The cell of one measurement for one archive size. */
export function cellOf(m: Measurement, f: SizeFigures): Cell {
  if (m.cell) return m.cell(f);
  return f.extra[m.name] ?? NOT_BUILT;
}
