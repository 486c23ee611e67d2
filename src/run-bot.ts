/**
 * The Telegram side of `main.ts`: the news core behind the real bot, by long polling or webhook,
 * stopped cleanly by SIGINT/SIGTERM.
 */
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { openNews } from './news.js';
import { createBot } from './telegram/bot.js';
import { startTelegram } from './telegram/launch.js';

export async function runBot(config: Config, log: Logger): Promise<void> {
  const news = await openNews(config, log);
  const bot = createBot({ token: config.botToken!, apiRoot: config.telegramApiRoot, answers: news.answers, log });
  const runner = await startTelegram({
    bot,
    log,
    webhookUrl: config.webhookUrl,
    webhookSecret: config.webhookSecret,
    port: config.port,
  });
  log.info({ mode: runner.mode, pages: news.stats.pages, items: news.stats.items, ms: news.stats.readyMs }, 'bot running');
  const stop = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'stopping');
    void runner.stop(signal);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await runner.done;
  } catch (error) {
    log.fatal({ err: error }, (error as Error).message);
    process.exitCode = 1;
  }
}
