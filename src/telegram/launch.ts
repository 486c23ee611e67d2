/**
 * Start the bot: check the token, set the command menu, then receive updates by long polling
 * (default) or by webhook (when a webhook URL is set). `main.ts` calls this and, on SIGINT or
 * SIGTERM, `stop()`.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { TelegramError, type Telegraf } from 'telegraf';
import type { Logger } from 'pino';
import { systemClock, type Clock } from './clock.js';
import { setCommandMenus } from './command-menu.js';
import { startPolling, TelegramConflictError, TelegramUnauthorizedError, type Polling } from './polling.js';
import { tokenSafeLogger } from './safe-log.js';
import { startWebhookServer, type WebhookServerOptions } from './webhook-server.js';

export { TelegramConflictError, TelegramUnauthorizedError } from './polling.js';

export interface StartTelegramOptions {
  bot: Telegraf;
  log: Logger;
  /** Public HTTPS URL Telegram posts updates to; null uses long polling. */
  webhookUrl: string | null;
  /** Webhook secret token; when null a random one is made for this run (every request is checked either way). */
  webhookSecret: string | null;
  /** Port the webhook server listens on (webhook mode only). */
  port: number;
  host?: string;
  /** Only these commands go in the menu (default: every command in the catalogue). */
  menuCommands?: readonly string[];
  /** Polling: how long a first `getUpdates` may take before startup goes on (a 409 shows within it). */
  conflictGraceMs?: number;
  /** Polling: pause after an early empty answer (a server that ignores the long-poll timeout). */
  pollIdleDelayMs?: number;
  /** Webhook mode: the operator's `/readyz` and `/metrics`, and the update size limit. */
  webhook?: Pick<WebhookServerOptions, 'ready' | 'metrics' | 'maxBodyBytes'>;
  /** Pauses between tries of a startup call that failed on the network or with a 5xx/429 (default 250, 750, 1500 ms). */
  startRetryDelaysMs?: readonly number[];
  /** Called once if receiving updates fails for good after startup (409 Conflict, 401). */
  onFatal?: (error: Error) => void;
  clock?: Clock;
}

export interface TelegramRunner {
  mode: 'polling' | 'webhook';
  /** Settles when the bot stops: resolves after `stop()`, rejects with the error that stopped it (409 …). */
  done: Promise<void>;
  /** Stop receiving updates and wait for the handlers in flight. Safe to call twice. */
  stop(reason: string): Promise<void>;
}

/** A failure that may pass: the network, a 5xx or a 429; not a 401 or a 409. */
function isTransient(error: unknown): boolean {
  if (error instanceof TelegramError) return error.code >= 500 || error.code === 429;
  return true;
}

/**
 * A startup call, tried again after each pause while it fails transiently: a restart racing the
 * old process's sockets, or a Bot API server restarting, should not stop the bot.
 */
async function withStartRetries<T>(call: () => Promise<T>, delays: readonly number[], log: Logger, what: string): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const delay = delays[attempt];
      if (delay === undefined || !isTransient(error)) throw error;
      log.warn({ err: error, attempt: attempt + 1, retryInMs: delay }, `telegram: ${what} failed, trying again`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

const START_RETRY_DELAYS_MS = [250, 750, 1500];

function describeStartError(error: unknown): Error {
  if (error instanceof TelegramError && error.code === 401) return new TelegramUnauthorizedError(error.description);
  if (error instanceof TelegramError && error.code === 409) return new TelegramConflictError(error.description);
  const detail = error instanceof Error ? error.message : String(error);
  return new Error(`无法连接 Telegram Bot API / cannot reach the Telegram Bot API: ${detail}`);
}

/**
 * @example
 * const runner = await startTelegram({ bot, log, webhookUrl: null, webhookSecret: null, port: 8080 });
 * process.once('SIGTERM', () => void runner.stop('SIGTERM'));
 * runner.done.catch((error) => { log.fatal({ err: error }, error.message); process.exitCode = 1; });
 */
export async function startTelegram(options: StartTelegramOptions): Promise<TelegramRunner> {
  const { bot } = options;
  const log = tokenSafeLogger(options.log, bot.telegram.token);
  const clock = options.clock ?? systemClock;
  const apiRoot = bot.telegram.options.apiRoot;
  const delays = options.startRetryDelaysMs ?? START_RETRY_DELAYS_MS;

  try {
    bot.botInfo = await withStartRetries(() => bot.telegram.getMe(), delays, log, 'getMe');
  } catch (error) {
    const startError = describeStartError(error);
    log.error({ err: error, apiRoot }, startError.message);
    throw startError;
  }
  log.info({ username: bot.botInfo.username, apiRoot }, 'telegram: connected');
  await setCommandMenus(bot.telegram, log, options.menuCommands);

  if (options.webhookUrl) return startWebhookMode(options, log, options.webhookUrl);

  try {
    await withStartRetries(() => bot.telegram.deleteWebhook({ drop_pending_updates: false }), delays, log, 'deleteWebhook');
  } catch (error) {
    const startError = describeStartError(error);
    log.error({ err: error }, startError.message);
    throw startError;
  }
  const polling: Polling = startPolling({ bot, log, clock, idleDelayMs: options.pollIdleDelayMs });
  let stopping = false;
  let running = false;
  const done = polling.done.catch((error: unknown) => {
    if (stopping) return;
    const fatal = error instanceof Error ? error : new Error(String(error));
    log.fatal({ err: fatal }, fatal.message);
    if (running) options.onFatal?.(fatal);
    throw fatal;
  });
  done.catch(() => undefined);

  // A conflicting instance usually answers the first poll at once: report it as a startup failure.
  let grace: NodeJS.Timeout | undefined;
  const early = await Promise.race([
    polling.firstPoll,
    new Promise<null>((resolve) => (grace = setTimeout(() => resolve(null), options.conflictGraceMs ?? 2000))),
  ]);
  clearTimeout(grace);
  if (early) {
    await done.catch(() => undefined);
    throw early;
  }
  running = true;

  log.info({ mode: 'polling' }, 'telegram: receiving updates by long polling');
  return {
    mode: 'polling',
    done,
    async stop(reason) {
      if (stopping) return done.catch(() => undefined);
      stopping = true;
      log.info({ reason }, 'telegram: stopping');
      await polling.stop();
      log.info('telegram: stopped');
    },
  };
}

async function startWebhookMode(options: StartTelegramOptions, log: Logger, webhookUrl: string): Promise<TelegramRunner> {
  const { bot } = options;
  const url = new URL(webhookUrl);
  const path = url.pathname === '/' ? '/telegram' : url.pathname;
  if (url.pathname === '/') url.pathname = path;
  const secretToken = options.webhookSecret ?? randomBytes(24).toString('hex');
  const server: Server = await startWebhookServer({ bot, log, path, secretToken, port: options.port, host: options.host, ...options.webhook });
  try {
    await withStartRetries(() => bot.telegram.setWebhook(url.toString(), { secret_token: secretToken, drop_pending_updates: false }), options.startRetryDelaysMs ?? START_RETRY_DELAYS_MS, log, 'setWebhook');
  } catch (error) {
    server.close();
    const startError = describeStartError(error);
    log.error({ err: error }, startError.message);
    throw startError;
  }
  // The URL may carry the token in its path (a common habit): log only the host.
  log.info({ mode: 'webhook', host: url.host, port: options.port }, 'telegram: receiving updates by webhook');
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  let stopping: Promise<void> | null = null;
  return {
    mode: 'webhook',
    done,
    stop(reason) {
      stopping ??= (async () => {
        log.info({ reason }, 'telegram: stopping');
        // The webhook stays registered: updates wait at Telegram for the next start.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections(); // keep-alive sockets would hold close() open; requests in flight finish
        await closed;
        log.info('telegram: stopped');
        resolveDone();
      })();
      return stopping;
    },
  };
}
