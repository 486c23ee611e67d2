/**
 * Long polling, owned here rather than by `bot.launch()`: it tells a 409 Conflict (another process
 * polls the same token) apart from passing trouble, backs off on network errors and 429/5xx, waits
 * between empty answers from a server that ignores the long-poll timeout (the emulator, some
 * self-hosted servers) instead of spinning a core, and confirms the last update when stopped.
 */
import { TelegramError, type Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';

/** Another instance is receiving this bot's updates. */
export class TelegramConflictError extends Error {
  constructor(readonly description: string) {
    super(
      '另一个进程正在用同一个机器人令牌接收更新（409 Conflict），请确保只运行一个实例。' +
        ' / Another process is polling with the same bot token (409 Conflict); run only one instance.',
    );
    this.name = 'TelegramConflictError';
  }
}

/** The token was refused. */
export class TelegramUnauthorizedError extends Error {
  constructor(readonly description: string) {
    super('Telegram 拒绝了机器人令牌（401），请检查 BOT_TOKEN。 / Telegram rejected the bot token (401); check BOT_TOKEN.');
    this.name = 'TelegramUnauthorizedError';
  }
}

export interface PollingOptions {
  bot: Telegraf;
  log: Logger;
  clock: Clock;
  /** Long-poll timeout asked of the server, in seconds. */
  timeoutSeconds?: number;
  /** Pause after an empty answer that came back early (the server ignored the timeout). */
  idleDelayMs?: number;
  allowedUpdates?: readonly string[];
}

export interface Polling {
  /** Settles when polling ends: resolves after `stop()`, rejects on a fatal error (409, 401). */
  done: Promise<void>;
  /** Resolves once the first `getUpdates` has answered: with the fatal error if it ended polling, else null. */
  firstPoll: Promise<Error | null>;
  stop(): Promise<void>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export function startPolling(options: PollingOptions): Polling {
  const { bot, log, clock } = options;
  const timeout = options.timeoutSeconds ?? 30;
  const idleDelayMs = options.idleDelayMs ?? 200;
  const abort = new AbortController();
  let offset = 0;
  let markFirstPoll: (fatal: Error | null) => void = () => undefined;
  const firstPoll = new Promise<Error | null>((resolve) => (markFirstPoll = resolve));

  async function loop(): Promise<void> {
    let failures = 0;
    while (!abort.signal.aborted) {
      const started = clock();
      let updates: Update[];
      try {
        updates = await bot.telegram.callApi(
          'getUpdates',
          { timeout, offset, ...(options.allowedUpdates ? { allowed_updates: options.allowedUpdates as never } : {}) },
          { signal: abort.signal as never },
        );
        failures = 0;
      } catch (error) {
        if (abort.signal.aborted) return markFirstPoll(null);
        const fatal =
          error instanceof TelegramError && error.code === 409
            ? new TelegramConflictError(error.description)
            : error instanceof TelegramError && error.code === 401
              ? new TelegramUnauthorizedError(error.description)
              : null;
        markFirstPoll(fatal);
        if (fatal) throw fatal;
        const retryAfter = error instanceof TelegramError ? error.parameters?.retry_after : undefined;
        const wait = retryAfter ? retryAfter * 1000 : Math.min(30_000, 500 * 2 ** failures);
        failures += 1;
        log.warn({ err: error, retryInMs: wait }, 'telegram: getUpdates failed, retrying');
        await sleep(wait, abort.signal);
        continue;
      }
      markFirstPoll(null);
      const last = updates[updates.length - 1];
      if (last) {
        offset = last.update_id + 1;
        // As telegraf does: one batch together. Errors end in bot.catch, which never rethrows.
        await Promise.all(updates.map((update) => bot.handleUpdate(update)));
      } else if (clock() - started < Math.min(1000, timeout * 1000)) {
        await sleep(idleDelayMs, abort.signal);
      }
    }
  }

  const done = loop();
  done.catch(() => undefined); // the caller gets the rejection through `done`; never unhandled

  return {
    done,
    firstPoll,
    async stop() {
      abort.abort();
      await done.catch(() => undefined);
      // Confirm what was handled, so a restart does not get it again.
      if (offset > 0) await bot.telegram.callApi('getUpdates', { offset, limit: 1, timeout: 0 }).catch(() => undefined);
    },
  };
}
