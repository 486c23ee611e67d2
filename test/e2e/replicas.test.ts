/**
 * Two replicas of the bot, each its own process in webhook mode on its own port, one PostgreSQL,
 * the emulator, and a round-robin proxy standing in for Telegram's secret header and the load
 * balancer. What a reader does through one replica holds through the other; a new page reaches each
 * subscriber once; with one replica SIGKILLed the other answers everything and finishes the
 * deliveries. Skipped with one line when no PostgreSQL answers (`.ci/run` requires it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { openPgSubscriptions, type PgSubscriptions } from '../../src/subscriptions/pg-subscriptions.js';
import { openTestPostgres } from '../subscriptions/postgres.js';
import { parseTelegramHtml } from '../telegram/telegram-html.js';
import { freePort, TOKEN, UserClient, waitFor, type BotMessage } from './harness.js';
import { startReplicaProxy, type ReplicaProxy } from './replicas-proxy.js';
import { copySeeds } from './subscriptions-harness.js';

const CHILD = join(import.meta.dirname, 'replicas-bot-child.ts');
const SECRET = 'replica-secret_42';
const postgres = await openTestPostgres();

const PAGE_TEA = `# 开化龙顶茶春茶开采

开化县齐溪镇的茶农昨日开始采摘今年第一批龙顶春茶，今年春茶产量预计比去年增加一成。

# 柯城区举办读书节

柯城区第十届读书节开幕，市民可以在各个社区书屋借阅图书。
`;

const PAGE_ROOTS = `# 开化根缘小镇开园迎客

开化根缘小镇昨日正式开园，首日接待游客两万多人次，周边民宿预订量明显上升。
`;

interface Replica {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

describe.skipIf(!postgres)('two replicas on one PostgreSQL behind a round-robin proxy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'replicas-e2e-'));
  let server: TelegramServer;
  let proxy: ReplicaProxy;
  let subs: PgSubscriptions;
  let seedsDir: string;
  const replicas: Replica[] = [];
  const text = (m: BotMessage | undefined) => parseTelegramHtml(m!.text);
  const client = (userId: number) => new UserClient(server, server.getClient(TOKEN, { userId, chatId: userId, timeout: 5000 }), userId);
  const sentTo = (chatId: number) => server.storage.botMessages.filter((m) => Number(m.message.chat_id) === chatId);

  async function startReplica(index: number, port: number): Promise<Replica> {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: {
        ...process.env,
        BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: server.config.apiURL,
        WEBHOOK_URL: `${proxy.url}/telegram`,
        WEBHOOK_SECRET: SECRET,
        PORT: String(port),
        DATABASE_URL: postgres!.url,
        REPLICA_BOSS_SCHEMA: postgres!.bossSchema,
        SEEDS_DIR: seedsDir,
        DATA_DIR: join(dir, `data-${index}`),
        WATCH_SEEDS: 'true',
        SEND_RATE_GLOBAL: '20',
        SEND_INTERVAL_CHAT_MS: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d) => String(d).includes('READY') && resolve());
      void exited.then((code) => reject(new Error(`replica ${index} exited (${code}) before it was ready: ${stderr}`)));
    });
    const replica = { child, exited, stderr: () => stderr };
    replicas.push(replica);
    return replica;
  }

  function writePage(file: string, body: string): void {
    const temp = join(dir, `.${file}.part`);
    writeFileSync(temp, body);
    renameSync(temp, join(seedsDir, file));
  }

  beforeAll(async () => {
    seedsDir = copySeeds(dir);
    server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 600 });
    await server.start();
    const ports = [await freePort(), await freePort()];
    proxy = await startReplicaProxy(await freePort(), ports, SECRET);
    // Both start at once, as after a deploy: the schema is created once, the archive fanned out once.
    await Promise.all(ports.map((port, i) => startReplica(i, port)));
    subs = await openPgSubscriptions(postgres!.url, { digestTime: '08:00', timeZone: 'Asia/Shanghai' });
  }, 120_000);

  afterAll(async () => {
    for (const r of replicas) r.child.kill('SIGTERM');
    await Promise.all(replicas.map((r) => Promise.race([r.exited, new Promise((resolve) => setTimeout(resolve, 15_000))])));
    for (const r of replicas) r.child.kill('SIGKILL');
    await subs?.close();
    await proxy?.close();
    await server?.stop();
    await postgres?.drop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('a subscription made through one replica is listed through the other', async () => {
    const user = client(301);
    expect(text((await user.command('/subscribe 开化'))[0])).toContain('开化');
    const [list] = await user.command('/subscriptions');
    expect(text(list)).toMatch(/1\. 开化/);
    const [first, second] = proxy.served.slice(-2);
    expect(first!.replica).not.toBe(second!.replica);
  });

  it('a next-page button works whichever replica gets the tap, and only in its own chat', async () => {
    const user = client(302);
    const [answer] = await user.command('/latest');
    const next = answer!.buttons.find((b) => b.data.endsWith(':2'));
    expect(next).toBeDefined();
    const servedBefore = proxy.served.length;
    await user.press(answer!, next!.data);
    const edited = await user.waitForEdit(answer!, 8000);
    expect(edited.text).not.toBe(answer!.text);
    expect(proxy.served[servedBefore]!.replica).not.toBe(proxy.served[servedBefore - 1]!.replica);
    // The same key pressed in another chat finds no list there.
    const other = client(303);
    const [own] = await other.command('/help');
    await other.press(own!, next!.data);
    await waitFor(() => (proxy.served.length >= servedBefore + 3 ? true : null), 5000, 'the foreign press handled');
    expect(other.messages().find((m) => m.messageId === own!.messageId)!.text).toBe(own!.text);
  });

  it('a new page reaches each subscriber exactly once, though both replicas index it', async () => {
    const readers = [311, 312, 313, 314];
    for (const id of readers) await client(id).command(id % 2 ? '/subscribe 开化' : '/subscribe 读书节');
    const before = new Map(readers.map((id) => [id, sentTo(id).length]));
    writePage('100_tea.txt', PAGE_TEA);
    await waitFor(() => (readers.every((id) => sentTo(id).length > before.get(id)!) ? true : null), 20_000, 'a push to every reader');
    // Both replicas have indexed the page by now; give a duplicate every chance to show.
    await new Promise((r) => setTimeout(r, 2000));
    for (const id of readers) {
      const pushes = sentTo(id).slice(before.get(id)!);
      expect(pushes, `reader ${id}`).toHaveLength(1);
      expect(parseTelegramHtml(String(pushes[0]!.message.text))).toContain(id % 2 ? '开化龙顶茶春茶开采' : '柯城区举办读书节');
    }
    // Replica 301 from the first test subscribed to 开化 as well.
    expect(sentTo(301).filter((m) => String(m.message.text).includes('龙顶茶'))).toHaveLength(1);
  });

  it('with one replica SIGKILLed mid-delivery the other answers everything and finishes the deliveries', async () => {
    // 60 more subscribers, written straight into the shared database.
    const chats = Array.from({ length: 60 }, (_, i) => 5000 + i);
    for (const id of chats) {
      await subs.registerChat({ id, type: 'private' }, Date.now());
      await subs.addTopic(id, '根缘小镇', Date.now());
    }
    writePage('101_roots.txt', PAGE_ROOTS);
    // At 20 messages a second the 60 take three seconds: kill replica 0 after the first few.
    await waitFor(() => (chats.filter((id) => sentTo(id).length > 0).length >= 10 ? true : null), 20_000, 'the first pushes');
    replicas[0]!.child.kill('SIGKILL');
    await replicas[0]!.exited;
    // The survivor answers every update now (the proxy skips the dead one).
    const user = client(320);
    expect(text((await user.command('/subscriptions'))[0])).toBeTruthy();
    expect(text((await user.command('/subscribe 胡柚'))[0])).toContain('胡柚');
    // Its workers take over the dead replica's jobs once they expire (2 s here).
    const settled = async () => {
      const { rows } = await subs.pool.query<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE state IN ('pending', 'sending')");
      return rows[0]!.n === 0;
    };
    const deadline = Date.now() + 30_000;
    while (!(await settled())) {
      if (Date.now() > deadline) throw new Error('deliveries did not finish after the kill');
      await new Promise((r) => setTimeout(r, 200));
    }
    const unsent = await subs.pool.query("SELECT chat_id, state, last_error FROM outbox WHERE chat_id >= 5000 AND state <> 'sent'");
    expect(unsent.rows).toEqual([]);
    const { rows } = await subs.pool.query<{ chat_id: number; certain: boolean }>(
      'SELECT chat_id, certain FROM deliveries WHERE chat_id >= 5000 AND chat_id < 5060',
    );
    expect(rows).toHaveLength(60);
    const uncertain = new Set(rows.filter((r) => !r.certain).map((r) => r.chat_id));
    for (const id of chats) {
      const n = sentTo(id).length;
      expect(n, `chat ${id}`).toBeLessThanOrEqual(1);
      // Nothing lost silently: a chat without its push is one recorded as uncertain (with Telegram at the kill).
      if (n === 0) expect(uncertain.has(id), `chat ${id} got nothing and is not marked uncertain`).toBe(true);
    }
    expect(uncertain.size).toBeLessThanOrEqual(8);
  });
});
