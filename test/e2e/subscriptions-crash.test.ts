/**
 * The bot process killed (SIGKILL) in the middle of a large fan-out and started again, against the
 * emulator: every subscriber gets the push, none twice. The only messages that may be missing are
 * the few that were with Telegram at the instant of the kill; those are recorded as uncertain in the
 * outbox (see delivery.ts), never dropped silently.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { pino } from 'pino';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { openNews } from '../../src/news.js';
import { openDatabase } from '../../src/subscriptions/database.js';
import { fanOut, toFanOutItems } from '../../src/subscriptions/fan-out.js';
import { Outbox } from '../../src/subscriptions/outbox.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import { freePort, TOKEN, waitFor } from './harness.js';
import { copySeeds } from './subscriptions-harness.js';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const CHATS = 1500;
const CHILD = join(import.meta.dirname, 'subscriptions-bot-child.ts');
const PAGE = `# 开化根缘小镇开园迎客

开化根缘小镇昨日正式开园，首日接待游客两万多人次。
`;

const dir = mkdtempSync(join(tmpdir(), 'subs-crash-'));
const dbPath = join(dir, 'data', 'bot.db');
let seedsDir: string;
let server: TelegramServer;
const children: ChildProcess[] = [];

function startChild(): { child: ChildProcess; ready: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: server.config.apiURL, SEEDS_DIR: seedsDir, DATA_DIR: join(dir, 'data'), DB_PATH: dbPath, WATCH_SEEDS: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('READY') && resolve());
    void exited.then((code) => reject(new Error(`bot process exited (${code}) before it was ready: ${stderr}`)));
  });
  return { child, ready, exited };
}

const perChat = () => {
  const counts = new Map<number, number>();
  for (const m of server.storage.botMessages) counts.set(Number(m.message.chat_id), (counts.get(Number(m.message.chat_id)) ?? 0) + 1);
  return counts;
};

beforeAll(async () => {
  seedsDir = copySeeds(dir);
  server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 600 });
  await server.start();
  // As after the first start: the archive is seen; then many readers subscribe.
  const news = await openNews({ seedsDir, dataDir: join(dir, 'data'), region: '衢州市', summaryMaxChars: 120, pageSize: 5, waitForSearch: true }, pino({ level: 'silent' }));
  const db = openDatabase(dbPath);
  const store = new SubscriptionStore(db, { digestTime: '08:00', timeZone: 'Asia/Shanghai' });
  fanOut({ store, outbox: new Outbox(db), match: news.matchTopic }, toFanOutItems(news.allItems()), Date.now());
  db.transaction(() => {
    for (let c = 1; c <= CHATS; c++) {
      store.registerChat({ id: c, type: 'private' }, Date.now());
      store.addTopic(c, c % 2 ? '开化' : '根缘小镇', Date.now());
    }
  })();
  db.close();
  await news.close();
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the bot killed in the middle of a large fan-out', () => {
  it('after a restart every subscriber has the push once; only the in-flight ones are uncertain, and recorded so', async () => {
    const first = startChild();
    await first.ready;
    writeFileSync(join(dir, 'page.part'), PAGE);
    renameSync(join(dir, 'page.part'), join(seedsDir, '100_new.txt'));
    await waitFor(() => (server.storage.botMessages.length >= CHATS / 4 ? true : null), 20_000, 'a quarter of the fan-out');
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = server.storage.botMessages.length;
    expect(atKill).toBeLessThan(CHATS);

    const second = startChild();
    await second.ready;
    const reader = new BetterSqlite3(dbPath, { readonly: true });
    try {
      await waitFor(() => {
        const row = reader.prepare("SELECT COUNT(*) AS open FROM outbox WHERE state IN ('pending', 'sending')").get() as { open: number };
        return row.open === 0 ? true : null;
      }, 30_000, 'the outbox to empty');
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);

      const counts = perChat();
      const twice = [...counts.entries()].filter(([, n]) => n > 1);
      expect(twice).toEqual([]);
      const rows = reader.prepare('SELECT chat_id, state, uncertain FROM outbox').all() as Array<{ chat_id: number; state: string; uncertain: number }>;
      expect(rows).toHaveLength(CHATS);
      expect(rows.every((r) => r.state === 'sent')).toBe(true);
      const uncertain = new Set(rows.filter((r) => r.uncertain === 1).map((r) => r.chat_id));
      expect(uncertain.size).toBeLessThanOrEqual(8); // at most the worker's concurrency were in flight
      const missing = Array.from({ length: CHATS }, (_, i) => i + 1).filter((c) => !counts.has(c));
      for (const chat of missing) expect(uncertain.has(chat)).toBe(true);
      const certain = reader.prepare('SELECT COUNT(*) AS n FROM deliveries WHERE certain = 0').get() as { n: number };
      expect(certain.n).toBe(uncertain.size);
      console.log(`crash test: ${atKill} messages before SIGKILL, ${server.storage.botMessages.length} after restart; ${uncertain.size} uncertain (${missing.length} of them never reached the emulator), 0 twice`);
    } finally {
      reader.close();
    }
  }, 60_000);
});
