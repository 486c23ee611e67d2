/**
 * The operator's view put together for `run-bot.ts`: /stats for ADMIN_IDS, the webhook's `/readyz`
 * and `/metrics`, and the hooks that feed them (updates handled, delivery events, handler errors).
 * One call gives the options to spread into `createBot` and `startTelegram`, so wiring it in is a
 * few lines.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Answers } from '../answers/answers.js';
import type { ReadinessCheck } from '../telegram/webhook-server.js';
import { createMetrics, type BotMetrics } from './metrics.js';
import { createRecentErrors, type RecentErrors } from './recent-errors.js';
import { collectStats, type ArchiveFigures, type OperatorStats } from './stats.js';
import { describeStorageError } from './storage-errors.js';
import type { SubscriptionFigures } from './subscription-figures.js';

export interface OperatorViewOptions {
  adminIds: readonly number[];
  timeZone: string;
  seedsDir: string;
  dataDir: string;
  /** The subscriptions database file, named in what a failed write says. */
  dbPath: string;
  answers: Answers;
  /** The archive's counts now (`news.stats`). */
  archive: () => { pages: number; items: number; skipped: ReadonlyArray<{ file: string; message: string }> };
  subscriptions: SubscriptionFigures;
  now?: () => number;
}

export interface OperatorView {
  metrics: BotMetrics;
  errors: RecentErrors;
  stats(): Promise<OperatorStats>;
  ready(): Promise<ReadinessCheck[]>;
  /** For a delivery worker's `onEvent`. */
  onDelivery(event: { type: string }): void;
  /** Spread into `createBot`. */
  botOptions: {
    operator: { adminIds: ReadonlySet<number>; stats: () => Promise<OperatorStats>; timeZone: string };
    onUpdateHandled: (label: string, seconds: number) => void;
    recentErrors: RecentErrors;
    describeError: (error: unknown) => string | null;
  };
  /** Pass as `startTelegram({ webhook })`. */
  webhook: { ready: () => Promise<ReadinessCheck[]>; metrics: () => Promise<{ contentType: string; body: string }> };
}

async function check(name: string, run: () => Promise<void> | void): Promise<ReadinessCheck> {
  try {
    await run();
    return { name, ok: true };
  } catch (error) {
    return { name, ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * @example
 * const operator = createOperatorView({ adminIds: config.adminIds, timeZone: config.timeZone, seedsDir: config.seedsDir,
 *   dataDir: config.dataDir, answers: news.answers, archive: () => news.stats, subscriptions: sqliteSubscriptionFigures(db) });
 * createBot({ ..., ...operator.botOptions }); startTelegram({ ..., webhook: operator.webhook });
 */
export function createOperatorView(options: OperatorViewOptions): OperatorView {
  const now = options.now ?? Date.now;
  const errors = createRecentErrors();
  const archiveFigures = (): ArchiveFigures => {
    const { pages, items, skipped } = options.archive();
    const newest = options.answers.latest({ pageSize: 1 });
    const newestDate = newest.kind === 'results' ? (newest.results[0]?.item.date ?? null) : null;
    return { pages, items, skipped, newestDate };
  };
  const metrics = createMetrics({ queueDepth: () => options.subscriptions.queueDepth(), archive: options.archive });
  const stats = () => collectStats({ archive: archiveFigures, subscriptions: options.subscriptions, seedsDir: options.seedsDir, errors, now });
  const ready = async () =>
    Promise.all([
      check('archive', () => void options.answers.latest({ pageSize: 1 })),
      check('database', () => options.subscriptions.checkWritable()),
      check('data-dir', () => access(options.dataDir, constants.W_OK)),
    ]);
  return {
    metrics,
    errors,
    stats,
    ready,
    onDelivery: (event) => metrics.observePush(event.type),
    botOptions: {
      operator: { adminIds: new Set(options.adminIds), stats, timeZone: options.timeZone },
      onUpdateHandled: (label, seconds) => metrics.observeUpdate(label, seconds),
      recentErrors: errors,
      describeError: (error) => describeStorageError(error, options.dbPath),
    },
    webhook: { ready, metrics: () => metrics.render() },
  };
}
