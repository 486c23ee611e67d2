/**
 * Chaos rounds: the real bot process (bench/chaos-bot.ts, as run-bot.ts wires it) against the
 * emulator, SIGKILLed at a random moment while it indexes a new page and fans it out to hundreds of
 * readers, takes /import commands and sends on-demand digests; then started again. After every
 * round, and over all rounds so far:
 * - nothing sent twice: no reader has any round's headline twice (pushes and digests together);
 * - nothing lost: every instant subscriber has every round's headline, unless the outbox recorded
 *   that message as uncertain (in flight at the kill: see delivery.ts); at the end every daily
 *   reader's /digest holds every round's item;
 * - nothing half-written: the database passes integrity_check, and every /import is all or nothing.
 * The search archive's own crash safety is issue 10's; here it only has to restart and answer.
 *
 * Usage: npm run chaos -- [--rounds 20] [--seed N] [--chats 300] [--daily-chats 30] [--max-kill-ms 1500] [--keep]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { openDatabase } from '../src/subscriptions/database.js';
import { SubscriptionStore } from '../src/subscriptions/store.js';
import { SUBSCRIPTIONS_FORMAT } from '../src/subscriptions/subscriptions-file.js';
import { createRandom } from './prng.js';

const TOKEN = '424242:CHAOS-token_abcdefghijklmnop';
const ROOT = resolve(import.meta.dirname, '..');
const CHILD = join(ROOT, 'bench/chaos-bot.ts');

export interface ChaosOptions {
  rounds: number;
  /** Readers with instant pushes, all subscribed to the rounds' topic. */
  instantChats: number;
  /** Readers on the daily digest, subscribed to the same topic. */
  dailyChats: number;
  seed: number;
  /** The kill comes between 0 and this many ms after the round's work starts. */
  maxKillMs: number;
  /** After a restart, this long without a new message and with an empty outbox means settled (default 3 s). */
  quietMs?: number;
  /** Fixed kill moments (ms) for the first rounds instead of random ones (0: the page arrives as the bot dies). */
  kills?: number[];
  /** Keep the folder (pages, database) for a post-mortem; its path is said at the end. */
  keep?: boolean;
  say?: (line: string) => void;
}

export interface RoundReport {
  round: number;
  work: string[];
  killAfterMs: number;
  /** Messages the emulator had when the process was killed, and after the restart settled. */
  messagesAtKill: number;
  messagesAfter: number;
  /** How long the round took, restarts included. */
  ms: number;
}

export interface ChaosReport {
  rounds: RoundReport[];
  /** (reader, headline) pairs received more than once. */
  duplicates: string[];
  /** (reader, headline) pairs missing and not recorded as uncertain. */
  lost: string[];
  /** Imports found partly applied. */
  halfImports: string[];
  /** integrity_check answers that were not `ok`. */
  damaged: string[];
  /** Restarts that did not come up, stops that did not exit 0. */
  failedStarts: string[];
  uncertain: number;
}


async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(probe: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (probe()) return true;
    await pause(50);
  }
  return probe();
}

const headline = (round: number) => `第${round}轮灯会开幕`;
const page = (round: number) => `# ${headline(round)}\n\n衢州第${round}轮灯会今晚在府山公园开幕，市民可以免费观看花灯。\n`;

interface Bot {
  child: ChildProcess;
  ready: Promise<void>;
  /** The exit code, or the signal that ended it. */
  exited: Promise<number | string | null>;
  stderr: () => string;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const say = options.say ?? (() => undefined);
  // Seeded: the same seed gives the same kills.
  const rnd = createRandom(options.seed);
  const rand = () => rnd.next();
  const dir = mkdtempSync(join(tmpdir(), 'chaos-'));
  const seedsDir = join(dir, 'seeds');
  const dataDir = join(dir, 'data');
  const dbPath = join(dataDir, 'bot.db');
  mkdirSync(seedsDir, { recursive: true });
  cpSync(join(ROOT, 'seeds'), seedsDir, { recursive: true });
  const server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 3600 });
  await server.start();
  const children: ChildProcess[] = [];
  const report: ChaosReport = { rounds: [], duplicates: [], lost: [], halfImports: [], damaged: [], failedStarts: [], uncertain: 0 };

  function startBot(): Bot {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: ROOT,
      env: { ...process.env, BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: server.config.apiURL, SEEDS_DIR: seedsDir, DATA_DIR: dataDir, DB_PATH: dbPath, WATCH_SEEDS: 'true', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | string | null>((done) => child.on('exit', (code, signal) => done(code ?? signal)));
    const ready = new Promise<void>((done, fail) => {
      child.stdout!.on('data', (d) => String(d).includes('READY') && done());
      void exited.then((code) => fail(new Error(`bot exited (${code}) before it was ready: ${stderr.slice(-2000)}`)));
    });
    return { child, ready, exited, stderr: () => stderr };
  }

  async function stopBot(bot: Bot, what: string): Promise<void> {
    bot.child.kill('SIGTERM');
    const code = await bot.exited;
    if (code !== 0) report.failedStarts.push(`${what}: exit ${code} ${bot.stderr().slice(-500)}`);
  }

  const messages = () => server.storage.botMessages.map((m) => ({ chat: Number(m.message.chat_id), text: String(m.message.text) }));
  const instant = Array.from({ length: options.instantChats }, (_, i) => i + 1);
  const daily = Array.from({ length: options.dailyChats }, (_, i) => 100_000 + i);
  const imports: Array<{ chat: number; topics: string[] }> = [];

  function openBeside(): BetterSqlite3.Database {
    return new BetterSqlite3(dbPath, { readonly: true, fileMustExist: true });
  }

  /** Rows a killed process left as possibly sent, per chat. */
  function uncertainChats(db: BetterSqlite3.Database): Set<number> {
    return new Set((db.prepare('SELECT DISTINCT chat_id AS chat FROM outbox WHERE uncertain = 1').all() as Array<{ chat: number }>).map((r) => r.chat));
  }

  /** Everything so far, checked again: the lists say the state after the latest round. */
  function check(upTo: number, finalDigests: boolean): void {
    report.duplicates = [];
    report.lost = [];
    report.halfImports = [];
    const db = openBeside();
    try {
      const integrity = db.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok') report.damaged.push(`after round ${upTo}: ${String(integrity)}`);
      const uncertain = uncertainChats(db);
      report.uncertain = uncertain.size;
      const byChat = new Map<number, string[]>();
      for (const m of messages()) byChat.set(m.chat, [...(byChat.get(m.chat) ?? []), m.text]);
      for (const [chat, texts] of byChat) {
        for (let r = 1; r <= upTo; r++) {
          const times = texts.filter((t) => t.includes(headline(r))).length;
          if (times > 1) report.duplicates.push(`chat ${chat}: ${headline(r)} ×${times}`);
        }
      }
      const readers = finalDigests ? [...instant, ...daily] : instant;
      for (const chat of readers) {
        const texts = byChat.get(chat) ?? [];
        for (let r = 1; r <= upTo; r++) {
          if (!texts.some((t) => t.includes(headline(r))) && !uncertain.has(chat)) report.lost.push(`chat ${chat}: ${headline(r)}`);
        }
      }
      for (const imported of imports) {
        const have = (db.prepare(`SELECT query FROM topics WHERE chat_id = ?`).all(imported.chat) as Array<{ query: string }>).map((r) => r.query);
        const present = imported.topics.filter((t) => have.includes(t)).length;
        if (present !== 0 && present !== imported.topics.length) report.halfImports.push(`chat ${imported.chat}: ${present} of ${imported.topics.length}`);
      }
    } finally {
      db.close();
    }
  }

  /**
   * Settled: every instant reader has the round's push (or an uncertain row), or nothing is waiting
   * in the outbox and nothing new was sent for `QUIET_MS` (what is missing then will not come).
   */
  async function settle(round: number): Promise<boolean> {
    let quietSince = Date.now();
    let seen = server.storage.botMessages.length;
    return until(() => {
      if (server.storage.botMessages.length !== seen) {
        seen = server.storage.botMessages.length;
        quietSince = Date.now();
      }
      const db = openBeside();
      try {
        const open = (db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state IN ('pending', 'sending')").get() as { n: number }).n;
        if (open > 0) return false;
        const uncertain = uncertainChats(db);
        const got = new Set(messages().filter((m) => m.text.includes(headline(round))).map((m) => m.chat));
        return instant.every((chat) => got.has(chat) || uncertain.has(chat)) || Date.now() - quietSince > (options.quietMs ?? 3000);
      } catch {
        return false; // busy: look again
      } finally {
        db.close();
      }
    }, 30_000);
  }

  function command(chat: number, text: string): Promise<unknown> {
    const client = server.getClient(TOKEN, { userId: chat, chatId: chat, timeout: 5000 });
    return client.sendCommand(client.makeCommand(text));
  }

  try {
    // The readers, in a new database (their topic matches nothing on the seed page).
    const db = openDatabase(dbPath);
    const store = new SubscriptionStore(db, { digestTime: '08:00', timeZone: 'Asia/Shanghai' });
    db.transaction(() => {
      for (const chat of [...instant, ...daily]) {
        store.registerChat({ id: chat, type: 'private' }, Date.now());
        store.addTopic(chat, '灯会', Date.now());
      }
      for (const chat of daily) store.updateSettings(chat, { mode: 'daily' }, Date.now());
    })();
    db.close();

    for (let round = 1; round <= options.rounds; round++) {
      const roundStarted = Date.now();
      const bot = startBot();
      try {
        await bot.ready;
      } catch (error) {
        report.failedStarts.push(`round ${round}: ${(error as Error).message}`);
        break;
      }
      const work = ['page'];
      const temp = join(dir, `round-${round}.part`);
      writeFileSync(temp, page(round));
      renameSync(temp, join(seedsDir, `2025-01-${String(round).padStart(2, '0')}.txt`));
      const sends: Array<Promise<unknown>> = [];
      if (rand() < 0.7) {
        work.push('imports');
        for (let i = 0; i < 3; i++) {
          const chat = 200_000 + round * 10 + i;
          const topics = [`第${round}轮话题甲${i}`, `第${round}轮话题乙${i}`, `第${round}轮话题丙${i}`];
          imports.push({ chat, topics });
          sends.push(command(chat, `/import ${JSON.stringify({ format: SUBSCRIPTIONS_FORMAT, version: 1, topics })}`));
        }
      }
      if (rand() < 0.7) {
        work.push('digests');
        for (let i = 0; i < 3; i++) sends.push(command(daily[Math.floor(rand() * daily.length)]!, '/digest'));
      }
      await Promise.all(sends);
      const drawn = Math.floor(rand() * options.maxKillMs);
      const killAfterMs = options.kills?.[round - 1] ?? drawn;
      await pause(killAfterMs);
      bot.child.kill('SIGKILL');
      await bot.exited;
      const messagesAtKill = server.storage.botMessages.length;

      const again = startBot();
      const restarted = Date.now();
      let restartMs = 0;
      try {
        await again.ready;
        restartMs = Date.now() - restarted;
      } catch (error) {
        report.failedStarts.push(`round ${round} restart: ${(error as Error).message}`);
        break;
      }
      const settled = await settle(round);
      if (!settled) report.failedStarts.push(`round ${round}: the outbox did not settle within 30 s`);
      const last = round === options.rounds;
      if (last) {
        // Every daily reader asks for its digest: what was held over all rounds must all be there.
        const before = messages();
        const count = (all: ReturnType<typeof messages>, chat: number) => all.filter((m) => m.chat === chat).length;
        await Promise.all(daily.map((chat) => command(chat, '/digest')));
        // Each answers (a digest, or "nothing new"); then the outbox empties.
        await until(() => {
          const now = messages();
          return daily.every((chat) => count(now, chat) > count(before, chat));
        }, 15_000);
        await settle(round);
      }
      await stopBot(again, `round ${round}`);
      check(round, last);
      const roundReport = { round, work, killAfterMs, messagesAtKill, messagesAfter: server.storage.botMessages.length, ms: Date.now() - roundStarted };
      report.rounds.push(roundReport);
      say(`round ${round}: ${work.join('+')}, SIGKILL after ${killAfterMs} ms with ${messagesAtKill} messages sent; ${roundReport.messagesAfter} after the restart; duplicates ${report.duplicates.length}, lost ${report.lost.length}, half imports ${report.halfImports.length}, damaged ${report.damaged.length}, uncertain chats ${report.uncertain} (${roundReport.ms} ms, the restart ready in ${restartMs} ms)`);
    }
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await server.stop();
    if (options.keep) say(`kept: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

function flag(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} wants a whole number`);
  return value;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const argv = process.argv.slice(2);
  const options: ChaosOptions = {
    rounds: flag(argv, 'rounds', 20),
    instantChats: flag(argv, 'chats', 300),
    dailyChats: flag(argv, 'daily-chats', 30),
    seed: flag(argv, 'seed', Date.now() % 100_000),
    maxKillMs: flag(argv, 'max-kill-ms', 1500),
    keep: argv.includes('--keep'),
    say: (line) => process.stdout.write(`${line}\n`),
  };
  process.stdout.write(`chaos: ${options.rounds} rounds, ${options.instantChats} instant and ${options.dailyChats} daily readers, seed ${options.seed}\n`);
  const result = await runChaos(options);
  const problems = [...result.duplicates, ...result.lost, ...result.halfImports, ...result.damaged, ...result.failedStarts];
  process.stdout.write(`${problems.length === 0 ? 'chaos: all rounds whole' : `chaos: ${problems.length} problems`}\n`);
  for (const problem of problems.slice(0, 50)) process.stdout.write(`  ${problem}\n`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
