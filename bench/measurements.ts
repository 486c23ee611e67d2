/**
 * The rows of the benchmark table: each a named measurement with its target, reading the figures
 * gathered for one archive size. Measurements that need their own run (the Telegram emulator, the
 * digest fan-out) have a `measure` function; `null` prints "n/a — not yet built". To add one, give
 * it a `measure` that returns a cell (see `Cell`), and run.ts calls it for every archive size.
 */
import type { ArchiveMeta } from './archive-generator.js';
import { eventOf, type ChildResult } from './child-run.js';

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
  /** Why a figure is missing (skipped for the time budget, timed out, failed). */
  notes: string[];
  /** Cells of measurements with their own `measure`, by name. */
  extra: Record<string, Cell>;
}

export interface Cell {
  text: string;
  /** Target met (true), missed (false), or no target at this size (null). */
  ok: boolean | null;
}

export interface Measurement {
  name: string;
  label: string;
  target: string;
  /** Reads the gathered figures; the default for rows fed by the probe runs. */
  cell?: (f: SizeFigures) => Cell;
  /** Runs its own measurement for one archive size; null: not built yet. */
  measure?: ((f: SizeFigures) => Promise<Cell>) | null;
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
  return { text: `${seconds(value)}${ratio(value, f.yardstick?.cutMs)}`, ok: max === null ? null : value < max };
}

/** Per-request figures, with the ratio to one item's share of the raw segmentation. */
function latencyCell(f: SizeFigures, event: string, limit: number | null): Cell {
  const d = data(f.warm, event);
  if (!d) return f.warm ? { text: 'failed (see notes)', ok: false } : NA;
  const perItem = f.yardstick ? f.yardstick.cutMs / f.yardstick.items : null;
  const median = Number(d['median']);
  const p99 = Number(d['p99']);
  return { text: `${millis(median)} / ${millis(p99)}${ratio(p99, perItem)}`, ok: limit === null ? null : p99 < limit };
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
    label: 'Yardstick: raw `nodejieba.cut(text, true)` of every item, 1 core',
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
    label: 'Cold start: spawn → searchable',
    target: '< 2 × yardstick (10k)',
    cell: (f) => startCell(f.cold, 'searchable', (g) => (g.size === 10_000 && g.yardstick ? 2 * g.yardstick.cutMs : null), f),
  },
  {
    name: 'warm-first-answer',
    label: 'Warm start: spawn → first answer (`/latest`)',
    target: '< 1 s at any size',
    cell: (f) => startCell(f.warm, 'first-answer', () => 1000, f),
  },
  {
    name: 'warm-searchable',
    label: 'Warm start: spawn → searchable',
    target: '< 2 s (10k)',
    cell: (f) => startCell(f.warm, 'searchable', (g) => (g.size === 10_000 ? 2000 : null), f),
  },
  {
    name: 'new-page',
    label: 'One new page (14 items) added to the running bot → searchable',
    target: '—',
    cell: (f) => {
      const d = data(f.warm, 'new-page');
      if (!d) return f.warm ? { text: 'failed (see notes)', ok: false } : NA;
      const perPage = f.yardstick ? (f.yardstick.cutMs / f.yardstick.items) * 14 : null;
      return { text: `${millis(Number(d['ms']))}${ratio(Number(d['ms']), perPage)}`, ok: null };
    },
  },
  {
    name: 'search-latency',
    label: '`/search` latency, median / p99 (500-query mix)',
    target: 'p99 < 10 ms (10k), < 30 ms (50k)',
    cell: (f) => latencyCell(f, 'search-latency', f.size === 10_000 ? 10 : f.size === 50_000 ? 30 : null),
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
    label: 'Peak RSS of the bot process (cold or warm)',
    target: '< 1 GB (50k)',
    cell: (f) => {
      const rss = peakRss(f);
      const stopped = [f.cold, f.warm].map((run) => run?.peakRssMBAtStop ?? null).find((v) => v !== null);
      if (rss === null && stopped != null) return { text: `≥ ${Math.round(stopped)} MB when stopped`, ok: f.size === 50_000 && stopped >= 1024 ? false : null };
      if (rss === null) return NA;
      return { text: `${Math.round(rss)} MB`, ok: f.size === 50_000 ? rss < 1024 : null };
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
    label: '`/search` reply time through the Telegram emulator',
    target: '—',
    measure: null,
  },
  {
    name: 'digest-fan-out',
    label: 'Digest fan-out to 10,000 subscribers (limiter off: msgs/s; on: achieved vs configured rate)',
    target: '—',
    measure: null,
  },
];

/** The cell of one measurement for one archive size. */
export function cellOf(m: Measurement, f: SizeFigures): Cell {
  if (m.cell) return m.cell(f);
  return f.extra[m.name] ?? NOT_BUILT;
}
