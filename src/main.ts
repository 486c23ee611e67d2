/**
 * The composition root: the only place that reads the environment. Settings → news core →
 * the Telegram bot (with BOT_TOKEN) or the terminal chat (without). Handles signals.
 * What only one side needs (telegraf, the terminal chat, dotenv without a .env) is imported when
 * chosen, so neither pays for the other at start.
 */
import { existsSync } from 'node:fs';
import { ConfigError, parseConfig, type Config } from './config.js';
import { messagesFor } from './i18n/messages.js';
import { createLogger, createTerminalLogger, type Logger } from './logger.js';
import { openNews } from './news.js';

async function readSettings(): Promise<Config> {
  const fromFile: Record<string, string> = {};
  if (existsSync('.env')) {
    const { default: dotenv } = await import('dotenv');
    dotenv.config({ path: '.env', processEnv: fromFile, quiet: true });
  }
  // The real environment wins over .env, as with dotenv's default.
  return parseConfig({ ...fromFile, ...process.env });
}

async function runTerminal(config: Config, log: Logger): Promise<void> {
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  // Piped commands run at once, searches included: wait for the index. A person at the terminal can read /latest meanwhile.
  const [news, { runTerminalChat }] = await Promise.all([openNews({ ...config, waitForSearch: !interactive }, log), import('./terminal/chat.js')]);
  const { pages, items, readyMs } = news.stats;
  const intro = interactive ? [`已载入 ${pages} 个版面、${items} 篇稿件（${readyMs} 毫秒）。`] : [];
  await runTerminalChat({ answers: news.answers, messages: messagesFor('zh'), input: process.stdin, output: process.stdout, interactive, intro });
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = await readSettings();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n请检查环境变量或 .env 文件（参见 .env.example）。\n`);
      process.exit(2);
    }
    throw error;
  }
  if (config.botToken === null) {
    const log = createTerminalLogger(config.logLevel);
    await runTerminal(config, log);
    return;
  }
  const log = createLogger(config.logLevel);
  const { runBot } = await import('./run-bot.js');
  await runBot(config, log);
}

main().catch((error: unknown) => {
  process.stderr.write(`启动失败：${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
