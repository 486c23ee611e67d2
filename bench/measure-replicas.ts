/**
 * Fan-out by two replicas on PostgreSQL: N subscribers, one new page, two bot processes (as run-bot.ts
 * starts them, deliveries as pg-boss jobs under the limiter shared in the database) sending through
 * the emulator. Counts in the emulator's own storage what each chat received: duplicates and losses
 * must be 0, and the achieved rate (messages over the time from the first to the last) should be
 * ≥ 95% of the configured global rate. With `kill`, replica 0 is SIGKILLed when half have arrived:
 * the other finishes; a part that was with Telegram at the kill is recorded uncertain, not resent.
 *
 * Needs PostgreSQL: BENCH_DATABASE_URL (a server URL whose user may create databases; default
 * postgres://postgres@127.0.0.1:5432/postgres). A database is created for the run and dropped after.
 *
 * Run alone: `npx tsx bench/measure-replicas.ts 10000 200 [kill]` (subscribers, configured msg/s);
 * prints one JSON line (`{"event":"replicas-fan-out", …}`), which is how bench/run.ts runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { deliveriesOf, maxInWindow } from './emulator-deliveries.js';
import { openPgSubscriptions } from '../src/subscriptions/pg-subscriptions.js';
import { freePort } from './free-port.js';

export interface ReplicasMeasurement {
  subscribers: number;
  replicas: number;
  killed: boolean;
  configuredPerSecond: number;
  /** Messages the emulator stored, over the time from the first to the last. */
  achievedPerSecond: number;
  /** Achieved over configured, in percent. */
  ofConfigured: number;
  deliveryMs: number;
  /** Messages a chat got beyond its one. */
  duplicates: number;
  /** Chats that got nothing. */
  losses: number;
  /** Of the losses, chats whose push was with Telegram when a replica was killed (recorded uncertain). */
  uncertain: number;
  /** The outbox by state at the end. */
  outbox: Record<string, number>;
  /** The most messages the emulator stored within any one second. */
  maxInAnySecond: number;
  /** From the page file's arrival to the first message stored: indexing, the fan-out's transaction, the first jobs. */
  pageToFirstMessageMs: number;
}

const TOKEN = '123456:BENCH-token_abcdefghijklmnop';
const CHILD = 'test/e2e/replicas-bot-child.ts';
const PAGE = `# 开化根缘小镇开园迎客

开化根缘小镇昨日正式开园，首日接待游客两万多人次，周边民宿预订量明显上升。
`;


async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`measure-replicas: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * @example const result = await measureReplicas({ subscribers: 10_000, perSecond: 200, kill: false });
 */
export async function measureReplicas(options: { subscribers: number; perSecond: number; kill: boolean }): Promise<ReplicasMeasurement> {
  const admin = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `bench_replicas_${process.pid}_${Date.now()}`;
  const adminClient = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 5000 });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const dir = mkdtempSync(join(tmpdir(), 'bench-replicas-'));
  const seedsDir = join(dir, 'seeds');
  mkdirSync(seedsDir);
  for (const file of readdirSync('seeds').filter((f) => f.endsWith('.txt'))) copyFileSync(join('seeds', file), join(seedsDir, file));
  const server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 24 * 3600 });
  await server.start();
  const children: Array<{ child: ChildProcess; exited: Promise<unknown> }> = [];
  const subs = await openPgSubscriptions(databaseUrl, { digestTime: '08:00', timeZone: 'Asia/Shanghai' });
  try {
    const start = async (index: number) => {
      const port = await freePort();
      const child = spawn(join('node_modules', '.bin', 'tsx'), [CHILD], {
        env: {
          ...process.env,
          BOT_TOKEN: TOKEN,
          TELEGRAM_API_ROOT: server.config.apiURL,
          // Webhook mode with no updates coming: the replicas only send.
          WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`,
          WEBHOOK_SECRET: 'bench',
          PORT: String(port),
          DATABASE_URL: databaseUrl,
          SEEDS_DIR: seedsDir,
          DATA_DIR: join(dir, `data-${index}`),
          WATCH_SEEDS: 'true',
          SEND_RATE_GLOBAL: '30',
          REPLICA_SEND_RATE_GLOBAL: String(options.perSecond),
          REPLICA_CONCURRENCY: '32',
          // As in production, but a killed replica's jobs pass on after 10 s instead of 60.
          REPLICA_EXPIRE_SECONDS: '10',
          REPLICA_SWEEP_MS: '60000',
          LOG_LEVEL: 'error',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr = (stderr + String(d)).slice(-4000)));
      const exited = new Promise((resolve) => child.on('exit', resolve));
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d) => String(d).includes('READY') && resolve());
        void exited.then((code) => reject(new Error(`replica ${index} exited (${String(code)}): ${stderr}`)));
      });
      children.push({ child, exited });
    };
    // Both start (and fan out the seed archive, to nobody) before anyone subscribes.
    await Promise.all([start(0), start(1)]);
    await subs.pool.query(
      `WITH c AS (INSERT INTO chats (id, type, language, created_at) SELECT g, 'private', 'zh', 0 FROM generate_series(1, $1) g RETURNING id),
            s AS (INSERT INTO settings (chat_id, digest_time, time_zone, schedule_since) SELECT id, '08:00', 'Asia/Shanghai', 0 FROM c)
       INSERT INTO topics (chat_id, query, key, created_at) SELECT id, '根缘小镇', '根缘小镇', 0 FROM c`,
      [options.subscribers],
    );
    const temp = join(dir, '.900_bench.txt.part');
    writeFileSync(temp, PAGE);
    const written = Date.now();
    renameSync(temp, join(seedsDir, '900_bench.txt'));
    const arrived = () => server.storage.botMessages.length;
    const budget = (options.subscribers / options.perSecond) * 1000 * 3 + 60_000;
    if (options.kill) {
      await waitUntil(() => arrived() >= options.subscribers / 2, budget, 'half of the messages');
      children[0]!.child.kill('SIGKILL');
      await children[0]!.exited;
    }
    const settled = async () => {
      const { rows } = await subs.pool.query<{ n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE state IN ('pending', 'sending')`);
      const { rows: queued } = await subs.pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM outbox');
      return queued[0]!.n > 0 && rows[0]!.n === 0;
    };
    await waitUntil(settled, budget, 'every message settled');
    const { perChat, times } = deliveriesOf(server);
    const { rows: uncertainRows } = await subs.pool.query<{ chat_id: number }>('SELECT chat_id FROM deliveries WHERE NOT certain');
    const uncertainChats = new Set(uncertainRows.map((r) => r.chat_id));
    let duplicates = 0;
    let losses = 0;
    let uncertain = 0;
    for (let c = 1; c <= options.subscribers; c++) {
      const n = perChat.get(c) ?? 0;
      if (n === 0) {
        losses += 1;
        if (uncertainChats.has(c)) uncertain += 1;
      } else duplicates += n - 1;
    }
    const first = Math.min(...times);
    const last = Math.max(...times);
    const achieved = ((times.length - 1) / (last - first)) * 1000;
    return {
      subscribers: options.subscribers,
      replicas: 2,
      killed: options.kill,
      configuredPerSecond: options.perSecond,
      achievedPerSecond: Math.round(achieved * 10) / 10,
      ofConfigured: Math.round((achieved / options.perSecond) * 1000) / 10,
      deliveryMs: last - first,
      duplicates,
      losses,
      uncertain,
      outbox: (await subs.counts()).outbox,
      maxInAnySecond: maxInWindow(times, 1000),
      pageToFirstMessageMs: first - written,
    };
  } finally {
    for (const { child } of children) child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await subs.close();
    await server.stop();
    await adminClient.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminClient.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('measure-replicas.ts')) {
  const subscribers = Number(process.argv[2] ?? 10_000);
  const perSecond = Number(process.argv[3] ?? 200);
  const kill = process.argv[4] === 'kill';
  const result = await measureReplicas({ subscribers, perSecond, kill });
  process.stdout.write(`${JSON.stringify({ event: 'replicas-fan-out', ...result })}\n`, () => process.exit(0));
}
