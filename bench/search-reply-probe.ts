/**
 * `/search` reply time through the Bot API emulator: the real core (`openNews` on SEEDS_DIR with
 * DATA_DIR), the real bot (`createBot` + `startTelegram`, long polling over HTTP) and the emulator
 * (telegram-test-api) in this one process; a fixed set of queries sent one after another, each by its
 * own reader (flood control is per reader), timed from the reader's command leaving the client to the
 * bot's reply stored at the emulator. Prints JSON lines (`{"event": …}`) like serve-probe.ts.
 *
 * Environment: SEEDS_DIR, DATA_DIR, PROBE_QUERIES (a JSON file of `{category, query}`, as serve-probe),
 * REPLY_QUERIES (how many to time, default 50, spread evenly over the file; 5 more, uncounted, warm up).
 */
import { readFileSync } from 'node:fs';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { freePort } from './free-port.js';

interface QueryCase {
  category: string;
  query: string;
}

const TOKEN = '123456:BENCH-token_abcdefghijklmnop';
/**
 * The emulator ignores the long-poll timeout and answers an empty `getUpdates` at once, so the bot
 * pauses this long between empty polls; Telegram itself would hand over the update at once. Up to
 * this much of each reply time is that pause.
 */
const POLL_IDLE_MS = 5;
/** A reply that has not arrived by then is a failure, not a slow figure. */
const REPLY_TIMEOUT_MS = 30_000;

const emit = (event: string, data: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ event, at: performance.now(), ...data })}\n`);
};

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`search-reply-probe: ${name} is not set`);
  return value;
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}


/** `count` cases spread evenly over the mix (it is shuffled, so every kind of query is in), and warm-up cases between them. */
function pickQueries(cases: QueryCase[], count: number): { timed: QueryCase[]; warmUp: QueryCase[] } {
  const step = Math.max(1, Math.floor(cases.length / count));
  const timed = cases.filter((_, i) => i % step === 0).slice(0, count);
  const warmUp = cases.filter((_, i) => i % step === Math.min(1, step - 1)).slice(0, 5);
  return { timed, warmUp };
}

async function main(): Promise<void> {
  emit('boot');
  const { openNews } = await import('../src/news.js');
  const { createLogger } = await import('../src/logger.js');
  const { createBot } = await import('../src/telegram/bot.js');
  const { startTelegram } = await import('../src/telegram/launch.js');
  const cases = JSON.parse(readFileSync(env('PROBE_QUERIES'), 'utf8')) as QueryCase[];
  const { timed, warmUp } = pickQueries(cases, Number(process.env['REPLY_QUERIES'] ?? 50));

  let warnings = 0;
  const sink = { write: () => void warnings++ };
  const log = createLogger('warn', sink as unknown as NodeJS.WritableStream);
  const server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 24 * 3600 });
  await server.start();
  try {
    const news = await openNews({ seedsDir: env('SEEDS_DIR'), dataDir: env('DATA_DIR'), region: '衢州市', summaryMaxChars: 120, pageSize: 5 }, log);
    // The core may answer lists before its search index is built: time replies to searches, not to "not ready".
    if ('ready' in news) await news.ready;
    emit('opened', { items: news.stats.items });

    const bot = createBot({ token: TOKEN, apiRoot: server.config.apiURL, answers: news.answers, log });
    const runner = await startTelegram({ bot, log, webhookUrl: null, webhookSecret: null, port: 0, pollIdleDelayMs: POLL_IDLE_MS });
    try {
      let nextUser = 1000;
      const ask = async (query: string): Promise<{ ms: number; text: string }> => {
        const userId = nextUser++;
        const client = server.getClient(TOKEN, { userId, chatId: userId, timeout: REPLY_TIMEOUT_MS });
        const command = client.makeCommand(`/search ${query}`, { from: { id: userId, first_name: 'Reader', username: `reader${userId}`, is_bot: false } });
        // Stamped inside the emulator's own store call, so the waiting adds no polling error.
        const replied = new Promise<{ at: number; text: string }>((resolve, reject) => {
          const timer = setTimeout(() => {
            server.off('AddedBotMessage', onMessage);
            reject(new Error(`no reply to "/search ${query}" within ${REPLY_TIMEOUT_MS} ms`));
          }, REPLY_TIMEOUT_MS);
          function onMessage(): void {
            const last = server.storage.botMessages[server.storage.botMessages.length - 1];
            if (!last || Number(last.message.chat_id) !== userId) return;
            clearTimeout(timer);
            server.off('AddedBotMessage', onMessage);
            resolve({ at: performance.now(), text: String(last.message.text) });
          }
          server.on('AddedBotMessage', onMessage);
        });
        const started = performance.now();
        await client.sendCommand(command);
        const reply = await replied;
        return { ms: reply.at - started, text: reply.text };
      };

      for (const c of warmUp) await ask(c.query);
      const times: number[] = [];
      const kinds: Record<string, number> = {};
      let notReady = 0;
      for (const c of timed) {
        const reply = await ask(c.query);
        times.push(reply.ms);
        if (reply.text.includes('索引正在建立')) notReady += 1;
        // What the core answered, asked again outside the timed part.
        const kind = news.answers.search(c.query).kind;
        kinds[kind] = (kinds[kind] ?? 0) + 1;
      }
      const sorted = [...times].sort((a, b) => a - b);
      emit('search-reply', {
        n: sorted.length,
        median: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        max: sorted[sorted.length - 1] ?? Number.NaN,
        kinds,
        notReady,
        pollIdleMs: POLL_IDLE_MS,
        warnings,
      });
    } finally {
      await runner.stop('benchmark finished');
    }
  } finally {
    await server.stop();
  }
}

main().then(
  () => {
    emit('done');
    process.exit(0);
  },
  (error: unknown) => {
    emit('error', { message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  },
);
