/**
 * Starting and stopping: webhook mode (secret token on every request, /healthz) against the
 * emulator, and the failures the emulator cannot produce (409 Conflict, 401, an unreachable
 * server) against a tiny scripted Bot API peer over HTTP.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import type { News } from '../../src/news.js';
import { createBot } from '../../src/telegram/bot.js';
import { startTelegram, TelegramConflictError, TelegramUnauthorizedError } from '../../src/telegram/launch.js';
import { parseTelegramHtml } from '../telegram/telegram-html.js';
import { capturingLogger, freePort, openSeedNews, TOKEN, waitFor } from './harness.js';

const SECRET_PART = TOKEN.split(':')[1]!;
let news: News;
const logs = capturingLogger();

beforeAll(async () => {
  ({ news } = await openSeedNews(logs.log));
});

afterAll(() => {
  expect(logs.lines.join('\n')).not.toContain(SECRET_PART);
});

/** A Bot API peer that answers from a script: method → result, or an error (code, description). */
async function scriptedApi(script: (method: string, call: number) => { ok: true; result: unknown } | { ok: false; error_code: number; description: string }) {
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const method = (req.url ?? '').split('/').pop() ?? '';
    const call = (counts.get(method) ?? 0) + 1;
    counts.set(method, call);
    req.resume();
    req.on('end', () => {
      const answer = script(method, call);
      res.writeHead(answer.ok ? 200 : answer.error_code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { apiRoot: `http://127.0.0.1:${port}`, counts, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const ME = { ok: true as const, result: { id: 1, is_bot: true, first_name: 'Bot', username: 'QuzhouNewsBot' } };
const CONFLICT = { ok: false as const, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' };

describe('webhook mode', () => {
  it('checks the secret token on every request, answers /healthz, and stops', async () => {
    const emulator = new TelegramServer({ port: await freePort(), host: '127.0.0.1' });
    await emulator.start();
    const port = await freePort();
    const bot = createBot({ token: TOKEN, apiRoot: emulator.config.apiURL, answers: news.answers, log: logs.log });
    const runner = await startTelegram({ bot, log: logs.log, webhookUrl: `http://127.0.0.1:${port}/hook`, webhookSecret: 'hook_secret-1', port, host: '127.0.0.1' });
    try {
      expect(runner.mode).toBe('webhook');
      const base = `http://127.0.0.1:${port}`;
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, mode: 'webhook' });

      const update = (id: number) =>
        JSON.stringify({ update_id: id, message: { message_id: id, date: 0, from: { id: 5, is_bot: false, first_name: 'R' }, chat: { id: 5, type: 'private', first_name: 'R' }, text: '/latest', entities: [{ type: 'bot_command', offset: 0, length: 7 }] } });
      const post = (headers: Record<string, string>, id: number) => fetch(`${base}/hook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: update(id) });
      expect((await post({}, 1)).status).toBe(403);
      expect((await post({ 'x-telegram-bot-api-secret-token': 'wrong' }, 2)).status).toBe(403);
      expect((await fetch(`${base}/elsewhere`, { method: 'POST', body: '{}' })).status).toBe(404);
      expect(emulator.storage.botMessages).toHaveLength(0);
      expect((await post({ 'x-telegram-bot-api-secret-token': 'hook_secret-1' }, 3)).status).toBe(200);
      const [reply] = await waitFor(() => (emulator.storage.botMessages.length > 0 ? emulator.storage.botMessages : null), 5000, 'a reply');
      expect(parseTelegramHtml(String(reply!.message.text))).toContain('最新文章');
    } finally {
      await runner.stop('test');
      await emulator.stop();
    }
    await expect(runner.done).resolves.toBeUndefined();
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

describe('long polling failures', () => {
  it('a 409 Conflict at startup is a clear error in Chinese and English, and logged', async () => {
    const api = await scriptedApi((method) => (method === 'getMe' ? ME : method === 'getUpdates' ? CONFLICT : { ok: true, result: true }));
    const bot = createBot({ token: TOKEN, apiRoot: api.apiRoot, answers: news.answers, log: logs.log });
    try {
      const started = startTelegram({ bot, log: logs.log, webhookUrl: null, webhookSecret: null, port: 0 });
      await expect(started).rejects.toBeInstanceOf(TelegramConflictError);
      await expect(started).rejects.toThrow(/409 Conflict.*同一个机器人令牌|同一个机器人令牌.*409 Conflict/);
      await expect(started).rejects.toThrow(/Another process is polling with the same bot token/);
      expect(logs.entries().some((e) => e.level === 60 && String(e.msg).includes('409'))).toBe(true);
    } finally {
      await api.close();
    }
  });

  it('a 409 after startup ends the run: done rejects and onFatal is told', async () => {
    const api = await scriptedApi((method, call) =>
      method === 'getMe' ? ME : method === 'getUpdates' ? (call <= 3 ? { ok: true, result: [] } : CONFLICT) : { ok: true, result: true },
    );
    const bot = createBot({ token: TOKEN, apiRoot: api.apiRoot, answers: news.answers, log: logs.log });
    const fatal: Error[] = [];
    try {
      const runner = await startTelegram({ bot, log: logs.log, webhookUrl: null, webhookSecret: null, port: 0, pollIdleDelayMs: 5, onFatal: (e) => fatal.push(e) });
      await expect(runner.done).rejects.toBeInstanceOf(TelegramConflictError);
      expect(fatal).toHaveLength(1);
      await runner.stop('after conflict');
    } finally {
      await api.close();
    }
  });

  it('a refused token (401) and an unreachable server are clear startup errors that do not leak the token', async () => {
    const api = await scriptedApi(() => ({ ok: false, error_code: 401, description: 'Unauthorized' }));
    const refused = createBot({ token: TOKEN, apiRoot: api.apiRoot, answers: news.answers, log: logs.log });
    await expect(startTelegram({ bot: refused, log: logs.log, webhookUrl: null, webhookSecret: null, port: 0 })).rejects.toBeInstanceOf(TelegramUnauthorizedError);
    await api.close();

    const nowhere = createBot({ token: TOKEN, apiRoot: `http://127.0.0.1:${await freePort()}`, answers: news.answers, log: logs.log });
    const failure = startTelegram({ bot: nowhere, log: logs.log, webhookUrl: null, webhookSecret: null, port: 0 });
    await expect(failure).rejects.toThrow(/无法连接 Telegram Bot API/);
    await expect(failure.catch((e: Error) => `${e.message}\n${e.stack}`)).resolves.not.toContain(SECRET_PART);
  });

  it('stops promptly and confirms the last handled update', async () => {
    let updates = 0;
    const api = await scriptedApi((method, call) => {
      if (method === 'getMe') return ME;
      if (method !== 'getUpdates') return { ok: true, result: true };
      if (call === 2) return { ok: true, result: [{ update_id: 77, message: { message_id: 1, date: 0, chat: { id: 5, type: 'private', first_name: 'R' }, from: { id: 5, is_bot: false, first_name: 'R' }, text: '/foo', entities: [{ type: 'bot_command', offset: 0, length: 4 }] } }] };
      updates = call;
      return { ok: true, result: [] };
    });
    const bot = createBot({ token: TOKEN, apiRoot: api.apiRoot, answers: news.answers, log: logs.log });
    const runner = await startTelegram({ bot, log: logs.log, webhookUrl: null, webhookSecret: null, port: 0, pollIdleDelayMs: 5 });
    await waitFor(() => (api.counts.get('sendMessage') ? true : null), 5000, 'the reply to /foo');
    const before = performance.now();
    await runner.stop('test');
    expect(performance.now() - before).toBeLessThan(1000);
    await expect(runner.done).resolves.toBeUndefined();
    expect(updates).toBeGreaterThan(2);
    await api.close();
  });
});
