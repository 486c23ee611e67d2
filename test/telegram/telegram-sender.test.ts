import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Telegram, TelegramError } from 'telegraf';
import { SendError } from '../../src/subscriptions/send-error.js';
import { createTelegramSender, toSendFailure } from '../../src/telegram/telegram-sender.js';

const TOKEN = '123456:TEST-token_abcdefghijklmnop';
const refusal = (error_code: number, description: string, parameters?: Record<string, number>) =>
  new TelegramError({ ok: false, error_code, description, ...(parameters ? { parameters } : {}) } as never);

describe('toSendFailure: telegraf errors to delivery outcomes', () => {
  it('429 → wait retry_after seconds', () => {
    expect(toSendFailure(refusal(429, 'Too Many Requests: retry after 7', { retry_after: 7 }))).toEqual({ kind: 'retry-after', seconds: 7 });
  });
  it('403 blocked, kicked, deactivated → forbidden with Telegram’s words', () => {
    for (const description of ['Forbidden: bot was blocked by the user', 'Forbidden: bot was kicked from the group chat', 'Forbidden: user is deactivated']) {
      expect(toSendFailure(refusal(403, description))).toEqual({ kind: 'forbidden', description });
    }
  });
  it('400 chat not found → forbidden; 400 with migrate_to_chat_id → migrated; another 400 → other', () => {
    expect(toSendFailure(refusal(400, 'Bad Request: chat not found'))).toEqual({ kind: 'forbidden', description: 'Bad Request: chat not found' });
    expect(toSendFailure(refusal(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -100777 }))).toEqual({ kind: 'migrated', newChatId: -100777 });
    expect(toSendFailure(refusal(400, "Bad Request: can't parse entities"))).toEqual({ kind: 'other', description: "400 Bad Request: can't parse entities" });
  });
  it('5xx and failures without a response → network', () => {
    expect(toSendFailure(refusal(502, 'Bad Gateway')).kind).toBe('network');
    expect(toSendFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })).kind).toBe('network');
  });
});

describe('createTelegramSender over HTTP', () => {
  let server: Server;
  let port = 0;
  const bodies: Array<Record<string, unknown>> = [];
  let answer: { status: number; body: unknown } = { status: 200, body: { ok: true, result: { message_id: 1, date: 0, chat: { id: 5, type: 'private' } } } };

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends HTML with the buttons, without link previews', async () => {
    const sender = createTelegramSender(new Telegram(TOKEN, { apiRoot: `http://127.0.0.1:${port}` }));
    await sender.send(5, { text: '<b>新</b>', keyboard: [[{ text: '1. 标题', callback_data: 'a:x1' }]] });
    expect(bodies.at(-1)).toMatchObject({
      chat_id: 5,
      text: '<b>新</b>',
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: { inline_keyboard: [[{ text: '1. 标题', callback_data: 'a:x1' }]] },
    });
  });

  it('a 429 from the server becomes a SendError asking to wait', async () => {
    answer = { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } } };
    const sender = createTelegramSender(new Telegram(TOKEN, { apiRoot: `http://127.0.0.1:${port}` }));
    const error = await sender.send(5, { text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect((error as SendError).failure).toEqual({ kind: 'retry-after', seconds: 3 });
  });

  it('an unreachable server is a network failure', async () => {
    const sender = createTelegramSender(new Telegram(TOKEN, { apiRoot: 'http://127.0.0.1:9' }));
    const error = (await sender.send(5, { text: 'x' }).catch((e: unknown) => e)) as SendError;
    expect(error.failure.kind).toBe('network');
  });
});
