/**
 * The Telegram side of `main.ts`: the subscriptions database, the news core, the bot with the
 * subscription commands, the delivery worker, the digest schedule and the seeds-folder watcher, by
 * long polling or webhook, stopped cleanly by SIGINT/SIGTERM.
 *
 * Startup order matters: the database opens first (a damaged file stops the bot before anything
 * else, and is never reset); the archive is fanned out before the bot takes updates (see
 * `page-fan-out.ts` for why that makes the first start push nothing); what a killed process left
 * half-sent is settled (`recover`) before the worker sends again.
 */
import { existsSync } from 'node:fs';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { openNews, type News } from './news.js';
import { fanOutArchive, fanOutPage, type PageFanOutDeps } from './page-fan-out.js';
import { snapshotPages, watchPages, type PageWatcher } from './pages/watch-pages.js';
import { catalogues } from './i18n/messages.js';
import { createOperatorView } from './operator/operator-view.js';
import { sqliteSubscriptionFigures } from './operator/subscription-figures.js';
import { realSleep, systemClock, type Clock, type Sleep } from './subscriptions/clock.js';
import { DatabaseOpenError, openDatabase, type Database } from './subscriptions/database.js';
import { DeliveryWorker, type DeliveryEvent, type Render, type Sender } from './subscriptions/delivery.js';
import { Outbox } from './subscriptions/outbox.js';
import { RateLimiter } from './subscriptions/rate-limiter.js';
import { DigestScheduler } from './subscriptions/schedule.js';
import { SubscriptionStore } from './subscriptions/store.js';
import { createBot } from './telegram/bot.js';
import { startTelegram, type TelegramRunner } from './telegram/launch.js';
import { renderOutboxContent } from './telegram/render-digest.js';
import { createSubscriptionCommands } from './telegram/subscription-commands.js';
import { createTelegramSender } from './telegram/telegram-sender.js';
import { Telegram, type Telegraf } from 'telegraf';

/** Exit code when the subscriptions database cannot be used (damaged, foreign, too new). */
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
  /** Messages in flight at once. Default 8. */
  deliveryConcurrency?: number;
  /** Replace the Telegram sender (the benchmark or a test wraps it). */
  wrapSender?: (sender: Sender) => Sender;
  sleep?: Sleep;
}

export interface BotService {
  news: News;
  bot: Telegraf;
  db: Database;
  store: SubscriptionStore;
  outbox: Outbox;
  worker: DeliveryWorker;
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
  /** Stop updates, the watcher, the schedule and the worker (letting sends in flight finish), close the database. */
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
 * @throws DatabaseOpenError when the database file cannot be used (nothing else was started).
 */
export async function startBotService(config: Config, log: Logger, options: BotServiceOptions = {}): Promise<BotService> {
  const existed = existsSync(config.dbPath);
  const db = openDatabase(config.dbPath);
  try {
    const initial = config.watchSeeds ? await snapshotPages(config.seedsDir) : undefined;
    const news = await openNews(config, log);
    const store = new SubscriptionStore(db, { digestTime: config.digestTime, timeZone: config.timeZone });
    const outbox = new Outbox(db);
    // Says plainly when the file is new, so a lost database never passes for an empty one unseen.
    const chats = (db.prepare('SELECT COUNT(*) AS n FROM chats').get() as { n: number }).n;
    const topics = (db.prepare('SELECT COUNT(*) AS n FROM topics').get() as { n: number }).n;
    log.info({ path: config.dbPath, created: !existed, chats, topics, outbox: outbox.counts() }, existed ? 'subscriptions database opened' : 'subscriptions database created (new file)');
    const clock = systemClock;
    const sleep = options.sleep ?? realSleep;
    const operator = createOperatorView({ ...config, answers: news.answers, archive: () => news.stats, subscriptions: sqliteSubscriptionFigures(db) });

    // Its own transport, so the worker exists before the bot whose commands wake it.
    const telegram = new Telegram(config.botToken!, { ...(config.telegramApiRoot ? { apiRoot: config.telegramApiRoot } : {}) });
    const baseSender = createTelegramSender(telegram);
    const render: Render = (_chatId, content, chat) =>
      renderOutboxContent(content, {
        messages: catalogues[chat?.language === 'en' ? 'en' : 'zh'],
        lookup: (id) => news.lookup(id),
      });
    const worker = new DeliveryWorker({
      outbox,
      store,
      sender: options.wrapSender ? options.wrapSender(baseSender) : baseSender,
      render,
      limiter: new RateLimiter(config.sendRate),
      clock,
      sleep,
      concurrency: options.deliveryConcurrency,
      onEvent: (event) => (logDelivery(log, event), operator.onDelivery(event)),
    });
    const recovery = worker.recover();
    if (recovery.interrupted > 0) log.warn(recovery, 'delivery: settled what the previous process left half-sent');

    const pageDeps: PageFanOutDeps = { news, fanOut: { store, outbox, match: news.matchTopic }, clock, wake: () => worker.wake(), log };
    // Once every page found at start is in the archive (a cold start syncs while the bot answers).
    const startupFanOut = news.ready.then(() => fanOutArchive(pageDeps));

    const scheduler = new DigestScheduler({
      store,
      outbox,
      clock: options.scheduleClock ?? clock,
      sleep,
      tickMs: options.scheduleTickMs,
      onQueued: (chatIds) => {
        log.info({ chats: chatIds.length }, 'daily digests queued');
        worker.wake();
      },
    });

    const commands = createSubscriptionCommands({
      store,
      outbox,
      parseQuery: news.parseQuery,
      countMatches: news.countMatches,
      wake: () => worker.wake(),
      clock,
      log,
    });
    const bot = createBot({ token: config.botToken!, apiRoot: config.telegramApiRoot, answers: news.answers, log, extensions: [commands], flood: options.flood, ...operator.botOptions });

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
    const workerDone = worker.run(abort.signal).catch((error: unknown) => log.fatal({ err: error }, 'delivery worker stopped'));
    const schedulerDone = scheduler.run(abort.signal).catch((error: unknown) => log.fatal({ err: error }, 'digest schedule stopped'));
    const ingestPage = async (file: string): Promise<void> => void (await fanOutPage(pageDeps, file));
    const watcher = config.watchSeeds
      ? watchPages({ dir: config.seedsDir, initial, log, onPage: ingestPage, ...options.watch })
      : null;

    let stopping: Promise<void> | null = null;
    const stop = (reason: string): Promise<void> =>
      (stopping ??= (async () => {
        await runner.stop(reason);
        await watcher?.close();
        await startupFanOut.catch(() => undefined);
        abort.abort();
        await Promise.all([workerDone, schedulerDone]);
        db.close();
        await news.close();
        log.info({ reason }, 'subscriptions stopped');
      })());
    // A fatal end of receiving (409 after startup) stops the rest too, so the process can exit.
    runner.done.catch(() => void stop('telegram stopped'));

    return { news, bot, db, store, outbox, worker, scheduler, watcher, runner, startupFanOut, ingestPage, done: runner.done, stop };
  } catch (error) {
    db.close();
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
    if (error instanceof DatabaseOpenError) {
      log.fatal({ path: error.path, reason: error.reason }, error.message);
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
