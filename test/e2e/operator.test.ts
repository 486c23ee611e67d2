/**
 * The operator's view end to end, in webhook mode: the bot as run-bot.ts wires it, the emulator
 * posting updates through a small proxy that adds the secret header (the emulator does not), and
 * the webhook server's own doors: /stats for ADMIN_IDS only, /healthz, /readyz (also while another
 * process holds the database's write lock), /metrics, and the refusals (no secret, wrong secret,
 * a body over the limit, not JSON).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTelegramHtml } from '../telegram/telegram-html.js';
import { freePort, waitFor } from './harness.js';
import { startSubscriptionsHarness, TOKEN, type SubscriptionsHarness } from './subscriptions-harness.js';

const SECRET = 'operator_secret-42';
const ADMIN = 4242;
const READER = 777;
let h: SubscriptionsHarness;
let proxy: Server;
let bot: string;

/** Stands in for Telegram's header: forwards every request to the bot with the secret added. */
async function secretProxy(port: number, target: number): Promise<Server> {
  const server = createServer((req, res) => {
    const forward = request({ host: '127.0.0.1', port: target, path: req.url, method: req.method, headers: { ...req.headers, 'x-telegram-bot-api-secret-token': SECRET } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

function update(id: number, chat: { id: number; type: string }, from: number, text: string) {
  const command = /^\/\S+/.exec(text)?.[0].length ?? 0;
  return {
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      from: { id: from, is_bot: false, first_name: 'R' },
      chat: { ...chat, ...(chat.type === 'private' ? { first_name: 'R' } : { title: 'G' }) },
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command }] } : {}),
    },
  };
}

const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(`${bot}/hook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

beforeAll(async () => {
  const proxyPort = await freePort();
  const botPort = await freePort();
  proxy = await secretProxy(proxyPort, botPort);
  bot = `http://127.0.0.1:${botPort}`;
  h = await startSubscriptionsHarness({
    WEBHOOK_URL: `http://127.0.0.1:${proxyPort}/hook`,
    WEBHOOK_SECRET: SECRET,
    PORT: String(botPort),
    ADMIN_IDS: `1, ${ADMIN}`,
  });
});

afterAll(async () => {
  await h?.stop();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  // Everything any part of the bot logged during the run.
  expect(h.logs.lines.join('\n')).not.toContain(TOKEN.split(':')[1]);
});

describe('the operator in webhook mode', () => {
  it('shows /stats to an admin in a private chat, with readers, topics and pushes', async () => {
    expect(h.service.runner.mode).toBe('webhook');
    const reader = h.client(READER);
    await reader.command('/subscribe 停车场');
    const [stats] = await h.client(ADMIN).command('/stats');
    const text = parseTelegramHtml(stats!.text);
    expect(text).toMatch(/^运行状况（\d{4}-\d\d-\d\d \d\d:\d\d，Asia\/Shanghai）/);
    expect(text).toMatch(/版面 1 个，稿件 \d+ 篇/);
    expect(text).toContain('最新版面：000_6151b1adbe3a5f5a.txt');
    expect(text).toContain('读者 1 位；有订阅的聊天 1 个，话题 1 个');
    expect(text).toMatch(/近 24 小时推送：排队 \d+，已发送 \d+，失败 0；待发送 \d+/);
    expect(text).toContain('最近没有错误。');

    const [english] = await h.client(ADMIN, { languageCode: 'en' }).command('/stats');
    expect(parseTelegramHtml(english!.text)).toContain('1 readers; 1 chats with subscriptions, 1 topics');
  });

  it('gives everyone else the ordinary unknown-command answer, and an admin too in a group', async () => {
    const [refused] = await h.client(READER).command('/stats');
    expect(parseTelegramHtml(refused!.text)).toBe('没有 /stats 这个命令。发送 /help 查看全部命令；直接发送文字就是搜索。');
    const group = -100777;
    const username = h.service.bot.botInfo!.username;
    expect((await post(JSON.stringify(update(900_001, { id: group, type: 'supergroup' }, ADMIN, `/stats@${username}`)), { 'x-telegram-bot-api-secret-token': SECRET })).status).toBe(200);
    const [inGroup] = h.messagesTo(group);
    expect(parseTelegramHtml(inGroup!.text)).toContain(`没有 /stats@${username} 这个命令`);
  });

  it('answers /healthz and /readyz, and says not ready while another process holds the database', async () => {
    const health = await fetch(`${bot}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, mode: 'webhook' });
    const ready = await fetch(`${bot}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, checks: [{ name: 'archive', ok: true }, { name: 'database', ok: true }, { name: 'data-dir', ok: true }] });

    const locker: ChildProcess = spawn(
      process.execPath,
      ['-e', "const D=require('better-sqlite3');const d=new D(process.argv[1]);d.exec('BEGIN IMMEDIATE');console.log('locked');setInterval(()=>{},1000)", h.config.dbPath],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => locker.stdout!.once('data', () => resolve()));
      const locked = await fetch(`${bot}/readyz`);
      expect(locked.status).toBe(503);
      const body = (await locked.json()) as { checks: Array<{ name: string; ok: boolean; detail?: string }> };
      expect(body.checks.find((c) => c.name === 'database')).toEqual({ name: 'database', ok: false, detail: 'database is locked' });
      // Reading still works: a reader's search is answered meanwhile.
      const [answer] = await h.client(READER).command('/search 停车场');
      expect(parseTelegramHtml(answer!.text)).toContain('停车场');
    } finally {
      locker.kill('SIGKILL');
    }
    await waitFor(() => (locker.exitCode !== null || locker.signalCode !== null ? true : null), 5000, 'the locker to end');
    expect((await fetch(`${bot}/readyz`)).status).toBe(200);
  });

  it('serves Prometheus metrics: updates by command, answer latency, pushes, queue depth, pages', async () => {
    const response = await fetch(`${bot}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('newsbot_updates_total{command="stats"}')).toBeGreaterThanOrEqual(3);
    expect(value('newsbot_updates_total{command="subscribe"}')).toBe(1);
    expect(value('newsbot_answer_seconds_count{command="search"}')).toBe(1);
    expect(text).toMatch(/^newsbot_answer_seconds_bucket\{le="0\.1",command="search"\} [01]$/m);
    expect(value('newsbot_pages_indexed')).toBe(1);
    expect(value('newsbot_items_indexed')).toBeGreaterThan(5);
    expect(value('newsbot_delivery_queue_depth')).toBeGreaterThanOrEqual(0);
    expect(text).toContain('# TYPE newsbot_pushes_total counter');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('refuses requests without the secret, with a wrong one, over the size limit or not JSON', async () => {
    const before = h.server.storage.botMessages.length;
    const body = JSON.stringify(update(900_100, { id: 5, type: 'private' }, 5, '/latest'));
    expect((await post(body)).status).toBe(403);
    expect((await post(body, { 'x-telegram-bot-api-secret-token': `${SECRET}x` })).status).toBe(403);
    expect((await post(body, { 'x-telegram-bot-api-secret-token': SECRET.slice(0, -1) })).status).toBe(403);
    expect((await post('{"update_id":', { 'x-telegram-bot-api-secret-token': SECRET })).status).toBe(400);
    // 2 MB, once with its length declared and once streamed in chunks without one.
    const huge = Buffer.alloc(2_000_000, 0x20);
    expect((await post(huge, { 'x-telegram-bot-api-secret-token': SECRET })).status).toBe(413);
    const streamed = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
        controller.close();
      },
    });
    const chunked = await fetch(`${bot}/hook`, { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': SECRET }, body: streamed, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    expect((await fetch(`${bot}/elsewhere`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(h.server.storage.botMessages.length).toBe(before);
    // A Chinese update arriving in many small chunks is read whole (telegraf's reader split characters).
    const chinese = JSON.stringify(update(900_101, { id: 6, type: 'private' }, 6, '/search 停车场'));
    const bytes = Buffer.from(chinese);
    const trickle = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.subarray(i, i + 7));
        controller.close();
      },
    });
    const ok = await fetch(`${bot}/hook`, { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' }, body: trickle, duplex: 'half' } as RequestInit);
    expect(ok.status).toBe(200);
    const [reply] = h.messagesTo(6);
    expect(parseTelegramHtml(reply!.text)).toContain('搜索“停车场”');
  });
});
