/**
 * Fan-out through the Bot API emulator: N subscribers, one new page, every push sent over HTTP by
 * the real delivery worker, Telegram sender and digest renderer, with the rate limiter on or off.
 * Counts, in the emulator's own storage, what each chat received: duplicates and losses must be 0.
 *
 * Run alone: `npx tsx bench/measure-fan-out.ts 10000 off` (or `on`); it prints one JSON line
 * (`{"event":"fan-out", …}`), which is how bench/run.ts runs it in a child process.
 */
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Telegram } from 'telegraf';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { deliveriesOf, maxInWindow } from './emulator-deliveries.js';
import { catalogues } from '../src/i18n/messages.js';
import { openNews } from '../src/news.js';
import { realSleep, systemClock } from '../src/subscriptions/clock.js';
import { openDatabase } from '../src/subscriptions/database.js';
import { DeliveryWorker } from '../src/subscriptions/delivery.js';
import { fanOut, toFanOutItems } from '../src/subscriptions/fan-out.js';
import { Outbox, type OutboxCounts } from '../src/subscriptions/outbox.js';
import { RateLimiter, type SendRate } from '../src/subscriptions/rate-limiter.js';
import { SubscriptionStore } from '../src/subscriptions/store.js';
import { renderOutboxContent } from '../src/telegram/render-digest.js';
import { createTelegramSender } from '../src/telegram/telegram-sender.js';
import { freePort } from './free-port.js';

export interface FanOutOptions {
  subscribers: number;
  /** Telegram's limits (default 25/s overall, 1/s per chat, 20/min per group); null turns them off. */
  sendRate: SendRate | null;
  /** Messages in flight at once (default 8, as in the bot). */
  concurrency?: number;
  seedsDir?: string;
}

export interface FanOutMeasurement {
  subscribers: number;
  limiter: 'on' | 'off';
  configuredPerSecond: number | null;
  /** Outbox rows the fan-out queued (one per subscriber here). */
  queued: number;
  fanOutMs: number;
  deliveryMs: number;
  /** Messages the emulator stored, per second of delivery. */
  perSecond: number;
  /**
   * Sends started per second over the whole seconds from the first start: the rate the limiter
   * holds. (`perSecond` is higher for short runs: the first second's full window comes on top.)
   */
  startsPerSecond: number | null;
  /** Most messages the worker started within any one-second window (what the limiter bounds). */
  maxStartsInAnySecond: number;
  /** Most messages the emulator stored within any one-second window (arrivals: HTTP and event-loop jitter bunch them). */
  maxInAnySecond: number;
  /** Messages a chat got beyond its one. */
  duplicates: number;
  /** Subscribers that got nothing. */
  losses: number;
  outbox: OutboxCounts;
}

const TOKEN = '123456:BENCH-token_abcdefghijklmnop';

const NEW_PAGE = `# 开化根缘小镇开园迎客

开化根缘小镇昨日正式开园，首日接待游客两万多人次，周边民宿预订量明显上升。

# 柯城区举办读书节

柯城区第十届读书节开幕，市民可以在各个社区书屋借阅图书。
`;


function startsPerWholeSecond(times: number[]): number | null {
  if (times.length === 0) return null;
  const first = Math.min(...times);
  const whole = Math.floor((Math.max(...times) - first) / 1000);
  if (whole < 1) return null;
  const inWhole = times.filter((t) => t < first + whole * 1000).length;
  return Math.round((inWhole / whole) * 10) / 10;
}


/**
 * @example const result = await measureFanOut({ subscribers: 10_000, sendRate: null });
 */
export async function measureFanOut(options: FanOutOptions): Promise<FanOutMeasurement> {
  const log = pino({ level: 'warn' });
  const dir = mkdtempSync(join(tmpdir(), 'bench-fan-out-'));
  const seedsDir = join(dir, 'seeds');
  mkdirSync(seedsDir);
  const source = options.seedsDir ?? 'seeds';
  for (const file of readdirSync(source).filter((f) => f.endsWith('.txt'))) copyFileSync(join(source, file), join(seedsDir, file));
  const server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 24 * 3600 });
  await server.start();
  const db = openDatabase(join(dir, 'bot.db'));
  try {
    const news = await openNews({ seedsDir, dataDir: join(dir, 'data'), region: '衢州市', summaryMaxChars: 120, pageSize: 5 }, log);
    // Topics match nothing until the search index is built (it may be built in the background).
    if ('ready' in news) await news.ready;
    const store = new SubscriptionStore(db, { digestTime: '08:00', timeZone: 'Asia/Shanghai' });
    const outbox = new Outbox(db);
    const deps = { store, outbox, match: news.matchTopic };
    // What the bot does at its first start: everything already indexed is seen, nobody gets it.
    fanOut(deps, toFanOutItems(news.allItems()), systemClock.now());
    const topics = ['开化', '根缘小镇', '柯城区 读书节', '开化 -茶'];
    db.transaction(() => {
      for (let c = 1; c <= options.subscribers; c++) {
        store.registerChat({ id: c, type: 'private' }, 0);
        store.addTopic(c, topics[c % topics.length]!, 0);
      }
    })();

    writeFileSync(join(seedsDir, '900_bench.txt'), NEW_PAGE);
    await news.updatePage('900_bench.txt');
    const pageItems = news.pageItems('900_bench.txt');
    let t = performance.now();
    const report = fanOut(deps, toFanOutItems(pageItems), systemClock.now());
    const fanOutMs = performance.now() - t;

    const telegramSender = createTelegramSender(new Telegram(TOKEN, { apiRoot: server.config.apiURL }));
    const starts: number[] = [];
    const worker = new DeliveryWorker({
      outbox,
      store,
      sender: {
        send(chatId, message) {
          starts.push(systemClock.now());
          return telegramSender.send(chatId, message);
        },
      },
      render: (_chatId, content) => renderOutboxContent(content, { messages: catalogues.zh, lookup: (id) => news.lookup(id) }),
      limiter: new RateLimiter(options.sendRate),
      clock: systemClock,
      sleep: realSleep,
      concurrency: options.concurrency ?? 8,
    });
    t = performance.now();
    await worker.drain();
    const deliveryMs = performance.now() - t;

    const { perChat, times } = deliveriesOf(server);
    let duplicates = 0;
    let losses = 0;
    for (let c = 1; c <= options.subscribers; c++) {
      const n = perChat.get(c) ?? 0;
      if (n === 0) losses += 1;
      else duplicates += n - 1;
    }
    return {
      subscribers: options.subscribers,
      limiter: options.sendRate ? 'on' : 'off',
      configuredPerSecond: options.sendRate?.global ?? null,
      queued: report.messages,
      fanOutMs: Math.round(fanOutMs),
      deliveryMs: Math.round(deliveryMs),
      perSecond: Math.round((times.length / deliveryMs) * 1000 * 10) / 10,
      startsPerSecond: startsPerWholeSecond(starts),
      maxStartsInAnySecond: maxInWindow(starts, 1000),
      maxInAnySecond: maxInWindow(times, 1000),
      duplicates,
      losses,
      outbox: outbox.counts(),
    };
  } finally {
    db.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('measure-fan-out.ts')) {
  const subscribers = Number(process.argv[2] ?? 10_000);
  const limiter = process.argv[3] !== 'off';
  const result = await measureFanOut({
    subscribers,
    sendRate: limiter ? { global: 25, perChatMs: 1000, perGroupPerMinute: 20 } : null,
  });
  // Exit at once: the core's delayed index snapshot timer would otherwise keep the process up for seconds.
  process.stdout.write(`${JSON.stringify({ event: 'fan-out', ...result })}\n`, () => process.exit(0));
}
