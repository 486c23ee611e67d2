/**
 * The Telegram side of `main.ts`: the subscriptions database, the news core, the bot with the
 * subscription commands, deliveries, the digest schedule and the seeds-folder watcher, by long
 * polling or webhook, stopped cleanly by SIGINT/SIGTERM.
 *
 * Two ways to keep state: SQLite at `DB_PATH` with the in-process delivery worker (one process), or
 * PostgreSQL at `DATABASE_URL` with deliveries as pg-boss jobs (any number of replicas; see the
 * README's "Several replicas").
 *
 * Startup order matters: the database opens first (a damaged file stops the bot before anything
 * else, and is never reset); the archive is fanned out before the bot takes updates (see
 * `page-fan-out.ts` for why that makes the first start push nothing); on SQLite, what a killed
 * process left half-sent is settled (`recover`) before the worker sends again (on PostgreSQL a dead
 * replica's jobs expire and a live one settles them).
 */
import { existsSync } from 'node:fs';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { openNews, type News } from './news.js';
import { fanOutArchive, fanOutPage, type PageFanOutDeps } from './page-fan-out.js';
import { snapshotPages, watchPages, type PageWatcher } from './pages/watch-pages.js';
import { catalogues } from './i18n/messages.js';
import { createOperatorView } from './operator/operator-view.js';
import { pgSubscriptionFigures, sqliteSubscriptionFigures } from './operator/subscription-figures.js';
import { realSleep, systemClock, type Clock, type Sleep } from './subscriptions/clock.js';
import { DatabaseOpenError, type Database } from './subscriptions/database.js';
import { DeliveryWorker, type DeliveryEvent, type Render, type Sender } from './subscriptions/delivery.js';
import { JobDelivery } from './subscriptions/job-delivery.js';
import type { Outbox } from './subscriptions/outbox.js';
import { PgOpenError, redactUrl } from './subscriptions/pg-database.js';
import { openPgSubscriptions } from './subscriptions/pg-subscriptions.js';
import { RateLimiter } from './subscriptions/rate-limiter.js';
import { DigestScheduler } from './subscriptions/schedule.js';
import { openSqliteSubscriptions } from './subscriptions/sqlite-subscriptions.js';
import type { SubscriptionStore } from './subscriptions/store.js';
import type { Subscriptions } from './subscriptions/subscriptions.js';
import { createBot, type StoredList } from './telegram/bot.js';
import { startTelegram, type TelegramRunner } from './telegram/launch.js';
import { renderOutboxContent } from './telegram/render-digest.js';
import { createSubscriptionCommands } from './telegram/subscription-commands.js';
import { createTelegramSender } from './telegram/telegram-sender.js';
import { Telegram, type Telegraf } from 'telegraf';

/** Inline suggestions include topics followed by this many chats (never one reader's own), at most this many, read this often. */
const FOLLOWED_TOPIC_MIN_CHATS = 2;
const FOLLOWED_TOPICS_LIMIT = 2_000;
const FOLLOWED_TOPICS_REFRESH_MS = 5 * 60_000;

/** Exit code when the subscriptions database cannot be used (damaged, foreign, too new, unreachable). */
export const EXIT_DATABASE = 3;


export interface BotServiceOptions {
  /** The digest schedule's clock (tests move it); default the system clock. */
  scheduleClock?: Clock;
  /** How often the schedule looks for due digests. Default 30 s. */
  scheduleTickMs?: number;
  /** The seeds watcher's debounce and rescan interval. */
  watch?: { debounceMs?: number; rescanMs?: number };
  /** Polling pause after an early empty answer (the emulator answers at once). */
  pollIdleDelayMs?: number;
  /** Per-user flood control of the bot (see `createBot`). */
  flood?: { burst?: number; perSecond?: number };
  /** Messages in flight at once (per replica on PostgreSQL). Default 8. */
  deliveryConcurrency?: number;
  /** PostgreSQL mode: pg-boss's schema, how soon a dead replica's jobs pass on, its maintenance interval. */
  jobs?: { schema?: string; expireInSeconds?: number; maintenanceIntervalSeconds?: number; sweepMs?: number };
  /** Replace the Telegram sender (the benchmark or a test wraps it). */
  wrapSender?: (sender: Sender) => Sender;
  sleep?: Sleep;
}

/** The SQLite parts, for tests and tools that look inside (null on PostgreSQL). */
export interface SqliteParts {
  db: Database;
  store: SubscriptionStore;
  outbox: Outbox;
  worker: DeliveryWorker;
}

export interface BotService {
  news: News;
  bot: Telegraf;
  subscriptions: Subscriptions;
  sqlite: SqliteParts | null;
  /** The job queue's side on PostgreSQL (null on SQLite). */
  jobs: JobDelivery | null;
  scheduler: DigestScheduler;
  /** Null when `config.watchSeeds` is off. */
  watcher: PageWatcher | null;
  runner: TelegramRunner;
  /** Settles once the pages found at start are in the archive and fanned out. */
  startupFanOut: Promise<unknown>;
  /** Index one page file and fan it out now (what the watcher does). */
  ingestPage(file: string): Promise<void>;
  /** Settles when receiving updates stops (resolves after `stop`, rejects on 409/401 after startup). */
  done: Promise<void>;
  /** Stop updates, the watcher, the schedule and deliveries (letting sends in flight finish), close the database. */
  stop(reason: string): Promise<void>;
}

function logDelivery(log: Logger, event: DeliveryEvent): void {
  switch (event.type) {
    case 'sent':
      return log.debug(event, 'delivery: sent');
    case 'retry':
      return log.info({ outboxId: event.outboxId, chatId: event.chatId, failure: event.failure, notBefore: event.notBefore }, 'delivery: will retry');
    case 'failed':
      return log.warn(event, 'delivery: gave up on a message (kept in the outbox)');
    case 'cancelled':
      return log.info(event, 'delivery: message cancelled');
    case 'deactivated':
      return log.warn(event, 'delivery: chat deactivated');
    case 'migrated':
      return log.info(event, 'delivery: chat moved to a supergroup');
    case 'recovered':
      return log.warn(event, 'delivery: message interrupted by the previous process');
  }
}

/**
 * Start everything; the caller owns signals.
 * @throws DatabaseOpenError / PgOpenError when the database cannot be used (nothing else was started).
 */
export async function startBotService(config: Config, log: Logger, options: BotServiceOptions = {}): Promise<BotService> {
  const defaults = { digestTime: config.digestTime, timeZone: config.timeZone };
  const existed = config.databaseUrl ? true : existsSync(config.dbPath);
  const subscriptions = config.databaseUrl
    ? await openPgSubscriptions(config.databaseUrl, defaults)
    : openSqliteSubscriptions(config.dbPath, defaults);
  try {
    const initial = config.watchSeeds ? await snapshotPages(config.seedsDir) : undefined;
    const news = await openNews(config, log);
    // Says plainly when the file is new, so a lost database never passes for an empty one unseen.
    const counts = await subscriptions.counts();
    const where = config.databaseUrl ? { database: redactUrl(config.databaseUrl) } : { path: config.dbPath, created: !existed };
    log.info({ ...where, ...counts }, existed ? 'subscriptions database opened' : 'subscriptions database created (new file)');
    if (config.databaseUrl && config.webhookUrl && !config.webhookSecret) {
      // Each replica would register a random secret of its own, and refuse the others' updates.
      log.warn('WEBHOOK_SECRET is not set: with several replicas on one DATABASE_URL, give them all the same one');
    }
    const clock = systemClock;
    const sleep = options.sleep ?? realSleep;
    const figures = subscriptions.kind === 'sqlite' ? sqliteSubscriptionFigures(subscriptions.db) : pgSubscriptionFigures(subscriptions.pool);
    const operator = createOperatorView({ ...config, answers: news.answers, archive: () => news.stats, subscriptions: figures });

    // Its own transport, so deliveries exist before the bot whose commands wake them.
    const telegram = new Telegram(config.botToken!, { ...(config.telegramApiRoot ? { apiRoot: config.telegramApiRoot } : {}) });
    const baseSender = createTelegramSender(telegram);
    const sender = options.wrapSender ? options.wrapSender(baseSender) : baseSender;
    const render: Render = (_chatId, content, chat) =>
      renderOutboxContent(content, {
        messages: catalogues[chat?.language === 'en' ? 'en' : 'zh'],
        lookup: (id) => news.lookup(id),
      });
    const onEvent = (event: DeliveryEvent): void => (logDelivery(log, event), operator.onDelivery(event));

    let sqlite: SqliteParts | null = null;
    let jobs: JobDelivery | null = null;
    let wake: () => void = () => undefined;
    if (subscriptions.kind === 'sqlite') {
      const { db, store, outbox } = subscriptions;
      const worker = new DeliveryWorker({
        outbox,
        store,
        sender,
        render,
        limiter: new RateLimiter(config.sendRate),
        clock,
        sleep,
        concurrency: options.deliveryConcurrency,
        onEvent,
      });
      const recovery = worker.recover();
      if (recovery.interrupted > 0) log.warn(recovery, 'delivery: settled what the previous process left half-sent');
      sqlite = { db, store, outbox, worker };
      wake = () => worker.wake();
    } else {
      jobs = new JobDelivery({
        subscriptions,
        url: config.databaseUrl!,
        sender,
        render,
        sendRate: config.sendRate,
        clock,
        sleep,
        concurrency: options.deliveryConcurrency,
        ...options.jobs,
        onEvent,
        onError: (error) => log.error({ err: error }, 'delivery jobs: error'),
      });
      await jobs.start();
      const queue = jobs;
      subscriptions.afterQueued = (ids) => queue.enqueue(ids);
    }

    const pageDeps: PageFanOutDeps = { news, subscriptions, clock, wake: () => wake(), log };
    // Once every page found at start is in the archive (a cold start syncs while the bot answers).
    const startupFanOut = news.ready.then(() => fanOutArchive(pageDeps));

    // Topics two or more chats follow complete what readers type inline; other replicas add topics
    // too, so the list is read again every few minutes.
    const refreshFollowedTopics = () =>
      subscriptions
        .followedTopics(FOLLOWED_TOPIC_MIN_CHATS, FOLLOWED_TOPICS_LIMIT)
        .then((topics) => news.setFollowedTopics(topics))
        .catch((error: unknown) => log.warn({ err: error }, 'followed topics not read (suggestions go without them)'));
    void refreshFollowedTopics();
    const topicsTimer = setInterval(() => void refreshFollowedTopics(), FOLLOWED_TOPICS_REFRESH_MS);
    topicsTimer.unref();

    const scheduler = new DigestScheduler({
      subscriptions,
      clock: options.scheduleClock ?? clock,
      sleep,
      tickMs: options.scheduleTickMs,
      onQueued: (chatIds) => {
        log.info({ chats: chatIds.length }, 'daily digests queued');
        wake();
      },
    });

    const commands = createSubscriptionCommands({
      subscriptions,
      parseQuery: news.parseQuery,
      countMatches: news.countMatches,
      wake: () => wake(),
      clock,
      log,
    });
    const bot = createBot({
      token: config.botToken!,
      apiRoot: config.telegramApiRoot,
      answers: news.answers,
      log,
      extensions: [commands],
      flood: options.flood,
      ...operator.botOptions,
      // In the database: a "next page" works after a restart and whichever replica gets the tap.
      lists: {
        put: (chatId, list) => subscriptions.lists.put(chatId, list, clock.now()),
        get: async (chatId, key) => (await subscriptions.lists.get(chatId, key, clock.now())) as StoredList | undefined,
      },
    });

    const runner = await startTelegram({
      bot,
      log,
      webhookUrl: config.webhookUrl,
      webhookSecret: config.webhookSecret,
      port: config.port,
      pollIdleDelayMs: options.pollIdleDelayMs,
      webhook: operator.webhook,
    });

    const abort = new AbortController();
    const workerDone = sqlite
      ? sqlite.worker.run(abort.signal).catch((error: unknown) => log.fatal({ err: error }, 'delivery worker stopped'))
      : Promise.resolve();
    const schedulerDone = scheduler.run(abort.signal).catch((error: unknown) => log.fatal({ err: error }, 'digest schedule stopped'));
    const ingestPage = async (file: string): Promise<void> => void (await fanOutPage(pageDeps, file));
    const watcher = config.watchSeeds
      ? watchPages({ dir: config.seedsDir, initial, log, onPage: ingestPage, ...options.watch })
      : null;

    let stopping: Promise<void> | null = null;
    const stop = (reason: string): Promise<void> =>
      (stopping ??= (async () => {
        await runner.stop(reason);
        clearInterval(topicsTimer);
        await watcher?.close();
        await startupFanOut.catch(() => undefined);
        abort.abort();
        await Promise.all([workerDone, schedulerDone, jobs?.stop()]);
        await subscriptions.close();
        await news.close();
        log.info({ reason }, 'subscriptions stopped');
      })());
    // A fatal end of receiving (409 after startup) stops the rest too, so the process can exit.
    runner.done.catch(() => void stop('telegram stopped'));

    return { news, bot, subscriptions, sqlite, jobs, scheduler, watcher, runner, startupFanOut, ingestPage, done: runner.done, stop };
  } catch (error) {
    await subscriptions.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Run the bot until SIGINT/SIGTERM. A database that cannot be used is a fatal log line naming the
 * file and exit code `EXIT_DATABASE`; the file is left exactly as it was.
 */
export async function runBot(config: Config, log: Logger): Promise<void> {
  let service: BotService;
  try {
    service = await startBotService(config, log);
  } catch (error) {
    if (error instanceof DatabaseOpenError || error instanceof PgOpenError) {
      log.fatal(error instanceof DatabaseOpenError ? { path: error.path, reason: error.reason } : { database: error.url }, error.message);
      process.exitCode = EXIT_DATABASE;
      return;
    }
    throw error;
  }
  const { news, runner } = service;
  log.info({ mode: runner.mode, pages: news.stats.pages, items: news.stats.items, ms: news.stats.readyMs }, 'bot running');
  const stop = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'stopping');
    void service.stop(signal);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await service.done;
  } catch (error) {
    log.fatal({ err: error }, (error as Error).message);
    process.exitCode = 1;
  }
  await service.stop('done');
}
