/**
 * End-to-end harness: the Bot API emulator (telegram-test-api) on 127.0.0.1 at a free port, the
 * real news core from the seed pages, the real bot started by `startTelegram` (long polling over
 * HTTP), and helpers to talk to it as a user would and read what the bot stored at the emulator.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Level, type Logger } from 'pino';
import type { Telegraf, Context, Middleware } from 'telegraf';
import { TelegramServer, type StoredBotUpdate } from 'telegram-test-api/lib/telegramServer.js';
import type { TelegramClient } from 'telegram-test-api/lib/modules/telegramClient.js';
import { openNews, type News } from '../../src/news.js';
import { createBot, type CreateBotOptions } from '../../src/telegram/bot.js';
import { startTelegram, type TelegramRunner } from '../../src/telegram/launch.js';

export const TOKEN = '123456:TEST-token_abcdefghijklmnop';

/**
 * The next port of this test worker's own block, below Linux's ephemeral range (32768-60999), where
 * nothing is listening. A port asked of the system (`listen(0)`) and closed again for a server to
 * take later could be handed out meanwhile to a later `listen(0)` of this file or of a test file
 * running beside it (seen once: the bot's webhook port taken, EADDRINUSE). A port of this block is
 * handed out once per file, and other workers have blocks of their own.
 */
let nextPort = 20_000 + (Number(process.env['VITEST_POOL_ID'] ?? 0) % 24) * 500;

export async function freePort(): Promise<number> {
  for (;;) {
    const port = nextPort++;
    if (await canListen(port)) return port;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A pino logger whose JSON lines are kept for assertions. */
export function capturingLogger(level: Level = 'debug'): { log: Logger; lines: string[]; entries: () => Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const log = pino({ level }, stream);
  return { log, lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

export async function openSeedNews(log: Logger): Promise<{ news: News; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tg-e2e-'));
  const news = await openNews({ seedsDir: 'seeds', dataDir, region: '衢州市', summaryMaxChars: 120, pageSize: 5, waitForSummaries: true }, log);
  return { news, dataDir };
}

export interface Harness {
  server: TelegramServer;
  bot: Telegraf;
  runner: TelegramRunner;
  news: News;
  logs: ReturnType<typeof capturingLogger>;
  client(userId: number, options?: { languageCode?: string }): UserClient;
  stop(): Promise<void>;
}

export interface StartOptions {
  extensions?: ReadonlyArray<Middleware<Context>>;
  flood?: CreateBotOptions['flood'];
}

export async function startHarness(options: StartOptions = {}): Promise<Harness> {
  const logs = capturingLogger();
  const port = await freePort();
  const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });
  await server.start();
  const { news, dataDir } = await openSeedNews(logs.log);
  const bot = createBot({ token: TOKEN, apiRoot: server.config.apiURL, answers: news.answers, log: logs.log, ...options });
  const runner = await startTelegram({ bot, log: logs.log, webhookUrl: null, webhookSecret: null, port: 0, pollIdleDelayMs: 10 });
  return {
    server,
    bot,
    runner,
    news,
    logs,
    client: (userId, clientOptions) => new UserClient(server, server.getClient(TOKEN, { userId, chatId: userId, timeout: 5000 }), userId, clientOptions?.languageCode),
    async stop() {
      await runner.stop('test finished');
      await server.stop();
      await news.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface BotMessage {
  messageId: number;
  text: string;
  buttons: Array<{ text: string; data: string }>;
}

function toBotMessage(stored: StoredBotUpdate): BotMessage {
  const markup = stored.message.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
  return {
    messageId: stored.messageId,
    text: String(stored.message.text),
    buttons: (markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data ?? '' })),
  };
}

/** One reader in a private chat (chat id = user id). */
export class UserClient {
  constructor(
    private readonly server: TelegramServer,
    private readonly client: TelegramClient,
    readonly userId: number,
    private readonly languageCode?: string,
  ) {}

  /** Every message the bot sent to this chat, edits applied. */
  messages(): BotMessage[] {
    return this.server.storage.botMessages.filter((m) => String(m.message.chat_id) === String(this.userId)).map(toBotMessage);
  }

  private from() {
    return { from: { id: this.userId, first_name: 'Reader', username: `reader${this.userId}`, is_bot: false, ...(this.languageCode ? { language_code: this.languageCode } : {}) } };
  }

  /** Send a command (with its bot_command entity) and wait for `replies` new messages. */
  async command(text: string, replies = 1): Promise<BotMessage[]> {
    const before = this.messages().length;
    await this.client.sendCommand(this.client.makeCommand(text, this.from()));
    return this.waitForMessages(before + replies).then((all) => all.slice(before));
  }

  /** Send plain text and wait for `replies` new messages. */
  async say(text: string, replies = 1): Promise<BotMessage[]> {
    const before = this.messages().length;
    await this.client.sendMessage(this.client.makeMessage(text, this.from()));
    return this.waitForMessages(before + replies).then((all) => all.slice(before));
  }

  /** Press a button of a message; resolves when the press was sent. */
  async press(message: BotMessage, data: string): Promise<void> {
    const callback = this.client.makeCallbackQuery(data, { ...this.from(), message: { message_id: message.messageId } });
    await this.client.sendCallback(callback);
  }

  async waitForMessages(count: number, timeoutMs = 5000): Promise<BotMessage[]> {
    return waitFor(() => {
      const all = this.messages();
      return all.length >= count ? all : null;
    }, timeoutMs, `${count} bot messages in chat ${this.userId}`);
  }

  /** Wait until the message with this id reads differently. */
  async waitForEdit(message: BotMessage, timeoutMs = 5000): Promise<BotMessage> {
    return waitFor(() => {
      const now = this.messages().find((m) => m.messageId === message.messageId);
      return now && now.text !== message.text ? now : null;
    }, timeoutMs, `an edit of message ${message.messageId}`);
  }
}

export async function waitFor<T>(probe: () => T | null, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
