/**
 * The operator's view as plain data (`/stats`): the archive, the readers, the pushes of the last
 * 24 hours and the last errors. Gathered from small interfaces, so it knows nothing of how the
 * archive or the subscriptions are stored; rendered by the catalogue (`operator.stats`).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecentError, RecentErrors } from './recent-errors.js';
import type { Audience, PushCounts, SubscriptionFigures } from './subscription-figures.js';

export interface ArchiveFigures {
  pages: number;
  items: number;
  /** Pages that could not be read, with why. */
  skipped: ReadonlyArray<{ file: string; message: string }>;
  /** Date (`YYYY-MM-DD`) of the newest item, if any is dated. */
  newestDate: string | null;
}

export interface NewestPage {
  file: string;
  /** When the file was last written (ms since the epoch): when it arrived in the seeds folder. */
  arrivedAt: number;
}

export interface OperatorStats {
  pages: number;
  items: number;
  /** Pages that could not be read (the first `ERRORS_SHOWN` of them). */
  skipped: ReadonlyArray<{ file: string; message: string }>;
  skippedPages: number;
  newestPage: NewestPage | null;
  newestDate: string | null;
  audience: Audience;
  /** The last 24 hours. */
  pushes: PushCounts;
  queueDepth: number;
  /** Newest first, at most `ERRORS_SHOWN`. */
  errors: RecentError[];
  /** When these figures were taken (ms since the epoch). */
  at: number;
}

export interface StatsSources {
  archive: () => ArchiveFigures;
  subscriptions: SubscriptionFigures;
  seedsDir: string;
  errors: RecentErrors;
  now: () => number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
export const ERRORS_SHOWN = 5;

/** The page file written last, or null for an empty or missing folder. */
export async function newestPageFile(dir: string): Promise<NewestPage | null> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.txt'));
  } catch {
    return null;
  }
  let newest: NewestPage | null = null;
  for (const file of names) {
    try {
      const { mtimeMs } = await stat(join(dir, file));
      if (!newest || mtimeMs > newest.arrivedAt) newest = { file, arrivedAt: Math.round(mtimeMs) };
    } catch {
      // Deleted between the listing and now: not the newest page.
    }
  }
  return newest;
}

/** @example const stats = await collectStats({ archive, subscriptions, seedsDir, errors, now: Date.now }); */
export async function collectStats(sources: StatsSources): Promise<OperatorStats> {
  const at = sources.now();
  const archive = sources.archive();
  const [audience, pushes, queueDepth, deliveryErrors, newestPage] = await Promise.all([
    sources.subscriptions.audience(),
    sources.subscriptions.pushes(at - DAY_MS),
    sources.subscriptions.queueDepth(),
    sources.subscriptions.deliveryErrors(ERRORS_SHOWN),
    newestPageFile(sources.seedsDir),
  ]);
  const errors = [...sources.errors.list(), ...deliveryErrors].sort((a, b) => b.at - a.at).slice(0, ERRORS_SHOWN);
  return {
    pages: archive.pages,
    items: archive.items,
    skipped: archive.skipped.slice(0, ERRORS_SHOWN).map(({ file, message }) => ({ file, message })),
    skippedPages: archive.skipped.length,
    newestPage,
    newestDate: archive.newestDate,
    audience,
    pushes,
    queueDepth,
    errors,
    at,
  };
}
