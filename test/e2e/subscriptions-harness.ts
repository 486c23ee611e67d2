/**
 * The whole bot as `run-bot.ts` wires it (database file, news core, commands, worker, schedule,
 * seeds watcher) against the emulator, through a fault-injecting proxy, with a temp seeds folder,
 * a temp database and a schedule clock the test moves.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { parseConfig, type Config } from '../../src/config.js';
import { startBotService, type BotService } from '../../src/run-bot.js';
import { capturingLogger, freePort, TOKEN, UserClient, type BotMessage } from './harness.js';
import { startFaultProxy, type FaultProxy } from './subscriptions-fault-proxy.js';

export { TOKEN };

/** A clock the test sets; only the digest schedule reads it. */
export class ScheduleClock {
  constructor(public time: number) {}
  now(): number {
    return this.time;
  }
}

export interface SubscriptionsHarness {
  server: TelegramServer;
  proxy: FaultProxy;
  service: BotService;
  config: Config;
  dir: string;
  seedsDir: string;
  scheduleClock: ScheduleClock;
  logs: ReturnType<typeof capturingLogger>;
  client(userId: number, options?: { languageCode?: string }): UserClient;
  /** Every message the bot sent to a chat (edits applied). */
  messagesTo(chatId: number): BotMessage[];
  /** Write a page file into the watched folder. */
  writePage(file: string, text: string): void;
  stop(): Promise<void>;
}

/** Copy the seed pages into a fresh folder (the watched SEEDS_DIR of one test file). */
export function copySeeds(dir: string): string {
  const seedsDir = join(dir, 'seeds');
  mkdirSync(seedsDir, { recursive: true });
  for (const file of readdirSync('seeds').filter((f) => f.endsWith('.txt'))) copyFileSync(join('seeds', file), join(seedsDir, file));
  return seedsDir;
}

export async function startSubscriptionsHarness(env: Record<string, string> = {}): Promise<SubscriptionsHarness> {
  const logs = capturingLogger('debug');
  const dir = mkdtempSync(join(tmpdir(), 'subs-e2e-'));
  const seedsDir = copySeeds(dir);
  const server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 600 });
  await server.start();
  const proxy = await startFaultProxy(server.config.apiURL, await freePort());
  const config = parseConfig({
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: proxy.url,
    SEEDS_DIR: seedsDir,
    DATA_DIR: join(dir, 'data'),
    DB_PATH: join(dir, 'data', 'bot.db'),
    WATCH_SEEDS: 'true',
    SEND_INTERVAL_CHAT_MS: '100',
    ...env,
  });
  const scheduleClock = new ScheduleClock(Date.now());
  const service = await startBotService(config, logs.log, {
    scheduleClock,
    scheduleTickMs: 25,
    watch: { debounceMs: 40, rescanMs: 250 },
    pollIdleDelayMs: 10,
    flood: { burst: 50, perSecond: 50 }, // flood control has its own tests; readers here type fast
  });
  // The pages found at start are synced and fanned out in the background: the tests start after.
  await service.startupFanOut;
  const botMessages = (chatId: number) =>
    server.storage.botMessages
      .filter((m) => String(m.message.chat_id) === String(chatId))
      .map((m) => {
        const markup = m.message.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
        return {
          messageId: m.messageId,
          text: String(m.message.text),
          buttons: (markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data ?? '' })),
        };
      });
  return {
    server,
    proxy,
    service,
    config,
    dir,
    seedsDir,
    scheduleClock,
    logs,
    client: (userId, options) =>
      new UserClient(server, server.getClient(TOKEN, { userId, chatId: userId, timeout: 5000 }), userId, options?.languageCode),
    messagesTo: botMessages,
    writePage(file, text) {
      // Written under another name and renamed, as a copy tool would: the watcher never reads half a page.
      const temp = join(dir, `.${file}.part`);
      writeFileSync(temp, text);
      renameSync(temp, join(seedsDir, file));
    },
    async stop() {
      await service.stop('test finished');
      await proxy.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
