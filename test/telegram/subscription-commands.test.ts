/**
 * What the emulator cannot show about the subscription commands: the group admin check
 * (getChatMember), /export as a document (sendDocument) and /import of a document (getFile and the
 * file download). The real bot, the real commands, a real database and the real core run through
 * `bot.handleUpdate`; only `Telegram.prototype.callApi` is replaced, and the file itself is served
 * over HTTP from a local server standing in for the Bot API's file endpoint.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Telegram, type Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { pino } from 'pino';
import { openNews, type News } from '../../src/news.js';
import { openDatabase, type Database } from '../../src/subscriptions/database.js';
import { SqliteSubscriptions } from '../../src/subscriptions/sqlite-subscriptions.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import { systemClock } from '../../src/subscriptions/clock.js';
import { createBot } from '../../src/telegram/bot.js';
import { createSubscriptionCommands } from '../../src/telegram/subscription-commands.js';
import { parseTelegramHtml } from './telegram-html.js';
import { BOT_INFO } from './fixtures.js';

const TOKEN = '123456:TEST-token_abcdefghijklmnop';
const GROUP = -1001234;
const ADMIN = 1;
const MEMBER = 2;

interface Call {
  method: string;
  payload: Record<string, unknown>;
}

let dir: string;
let news: News;
let db: Database;
let store: SubscriptionStore;
let bot: Telegraf;
let fileServer: Server;
let fileText = '';
let calls: Call[] = [];
let memberLookupFails = false;
let updateId = 1;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'subs-cmd-'));
  news = await openNews({ seedsDir: 'seeds', dataDir: join(dir, 'data'), region: '衢州市', summaryMaxChars: 120, pageSize: 5 }, log);
  db = openDatabase(join(dir, 'bot.db'));
  store = new SubscriptionStore(db, { digestTime: '08:00', timeZone: 'Asia/Shanghai' });
  fileServer = createServer((request, response) => {
    if (request.url === `/file/bot${TOKEN}/documents/subs.json`) return void response.end(fileText);
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => fileServer.listen(0, '127.0.0.1', resolve));
  const address = fileServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const commands = createSubscriptionCommands({
    subscriptions: new SqliteSubscriptions(db, { digestTime: '08:00', timeZone: 'Asia/Shanghai' }),
    parseQuery: news.parseQuery,
    countMatches: news.countMatches,
    wake: () => undefined,
    clock: systemClock,
    log,
  });
  bot = createBot({ token: TOKEN, apiRoot: `http://127.0.0.1:${port}`, answers: news.answers, log, extensions: [commands], flood: { burst: 100, perSecond: 100 } });
  bot.botInfo = BOT_INFO;
  vi.spyOn(Telegram.prototype, 'callApi').mockImplementation(async function (method: string, payload: unknown) {
    const p = payload as Record<string, unknown>;
    calls.push({ method, payload: p });
    if (method === 'getChatMember') {
      if (memberLookupFails) throw new Error('network down');
      return { status: p.user_id === ADMIN ? 'administrator' : 'member', user: { id: p.user_id, is_bot: false, first_name: 'X' } };
    }
    if (method === 'getFile') return { file_id: p.file_id, file_unique_id: 'u', file_size: Buffer.byteLength(fileText), file_path: 'documents/subs.json' };
    if (method === 'sendMessage' || method === 'sendDocument') return { message_id: calls.length, date: 0, chat: { id: p.chat_id, type: 'private' } };
    return true;
  } as never);
});

afterEach(() => {
  calls = [];
  memberLookupFails = false;
});

afterAll(async () => {
  vi.restoreAllMocks();
  db.close();
  await new Promise((resolve) => fileServer.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function chatOf(chatId: number) {
  return chatId < 0 ? { id: chatId, type: 'supergroup' as const, title: '衢州读者群' } : { id: chatId, type: 'private' as const, first_name: 'R' };
}

function message(chatId: number, userId: number, fields: Record<string, unknown>): Update {
  return {
    update_id: updateId++,
    message: { message_id: updateId, date: 0, chat: chatOf(chatId), from: { id: userId, is_bot: false, first_name: 'R' }, ...fields },
  } as Update;
}

function command(chatId: number, userId: number, text: string, extra: Record<string, unknown> = {}): Update {
  const length = /^\/\S+/.exec(text)![0].length;
  return message(chatId, userId, { text, entities: [{ type: 'bot_command', offset: 0, length }], ...extra });
}

function press(chatId: number, userId: number, data: string): Update {
  return {
    update_id: updateId++,
    callback_query: {
      id: `cb${updateId}`,
      from: { id: userId, is_bot: false, first_name: 'R' },
      chat_instance: 'ci',
      data,
      message: { message_id: 5, date: 0, chat: chatOf(chatId), text: 'list' },
    },
  } as Update;
}

const sent = () => calls.filter((c) => c.method === 'sendMessage').map((c) => parseTelegramHtml(String(c.payload.text)));
const memberLookups = () => calls.filter((c) => c.method === 'getChatMember');

describe('subscription commands through handleUpdate', () => {
  it('a private chat changes its subscriptions without any getChatMember call', async () => {
    await bot.handleUpdate(command(10, 10, '/subscribe 开化'));
    await bot.handleUpdate(command(10, 10, '/settings 暂停'));
    expect(sent()[0]).toContain('已订阅“开化”');
    expect(memberLookups()).toHaveLength(0);
    expect(store.getSettings(10)?.paused).toBe(true);
  });

  it('in a group a member is refused, an admin may subscribe; the check asks Telegram with the right ids', async () => {
    await bot.handleUpdate(command(GROUP, MEMBER, '/subscribe 开化'));
    expect(sent()).toEqual(['在群组里只有管理员可以更改订阅。']);
    expect(memberLookups()[0]!.payload).toMatchObject({ chat_id: GROUP, user_id: MEMBER });
    expect(store.listTopics(GROUP)).toHaveLength(0);

    await bot.handleUpdate(command(GROUP, ADMIN, '/subscribe@QuzhouNewsBot 开化'));
    expect(sent()[1]).toContain('已订阅“开化”');
    expect(store.listTopics(GROUP).map((t) => t.query)).toEqual(['开化']);
    expect(store.getChat(GROUP)?.type).toBe('supergroup');
  });

  it('in a group anyone may look at the list, but a member pressing a remove button is told no and nothing changes', async () => {
    await bot.handleUpdate(command(GROUP, MEMBER, '/subscriptions'));
    expect(sent()[0]).toContain('1. 开化');
    expect(memberLookups()).toHaveLength(0);
    const topic = store.listTopics(GROUP)[0]!;
    await bot.handleUpdate(press(GROUP, MEMBER, `xr:${topic.id}`));
    const answer = calls.find((c) => c.method === 'answerCallbackQuery');
    expect(answer?.payload).toMatchObject({ text: '在群组里只有管理员可以更改订阅。', show_alert: true });
    expect(store.listTopics(GROUP)).toHaveLength(1);
  });

  it('when Telegram cannot be asked, the reader hears so and nothing changes', async () => {
    memberLookupFails = true;
    await bot.handleUpdate(command(GROUP, ADMIN, '/unsubscribe 开化'));
    expect(sent()).toEqual(['暂时无法确认你是不是群管理员，请稍后再试。']);
    expect(store.listTopics(GROUP)).toHaveLength(1);
  });

  it('an anonymous admin (posting as the group) is allowed without a lookup', async () => {
    await bot.handleUpdate(command(GROUP, 1087968824, '/subscribe 医保', { sender_chat: { id: GROUP, type: 'supergroup', title: 'g' } }));
    expect(sent()[0]).toContain('已订阅“医保”');
    expect(memberLookups()).toHaveLength(0);
  });

  it('/export sends a document with the file; /import of that document (caption or reply) restores it in another chat', async () => {
    await bot.handleUpdate(command(GROUP, MEMBER, '/export'));
    const documentCall = calls.find((c) => c.method === 'sendDocument')!;
    const document = documentCall.payload.document as { source: Buffer; filename: string };
    expect(document.filename).toBe('衢州新闻订阅.json');
    expect(String(documentCall.payload.caption)).toContain('在说明里写 /import');
    fileText = document.source.toString('utf8');
    expect(JSON.parse(fileText).topics.map((t: { query: string }) => t.query)).toEqual(['开化', '医保']);

    const file = { file_id: 'F1', file_unique_id: 'u1', file_name: 'subs.json', file_size: Buffer.byteLength(fileText) };
    await bot.handleUpdate(message(20, 20, { document: file, caption: '/import', caption_entities: [{ type: 'bot_command', offset: 0, length: 7 }] }));
    expect(calls.find((c) => c.method === 'getFile')?.payload).toMatchObject({ file_id: 'F1' });
    expect(sent().at(-1)).toBe('已导入 2 个话题：开化、医保\n推送设置也已按文件更新。');

    await bot.handleUpdate(command(21, 21, '/import', { reply_to_message: { message_id: 3, date: 0, chat: chatOf(21), document: file } }));
    expect(sent().at(-1)).toBe('已导入 2 个话题：开化、医保\n推送设置也已按文件更新。');
    expect(store.listTopics(21).map((t) => t.query)).toEqual(['开化', '医保']);
  });

  it('a document too large to be a subscriptions file is refused before downloading', async () => {
    const file = { file_id: 'F2', file_unique_id: 'u2', file_name: 'big.json', file_size: 10_000_000 };
    await bot.handleUpdate(message(22, 22, { document: file }));
    expect(sent()).toEqual(['文件太大了，这不像是 /export 导出的订阅文件。']);
    expect(calls.some((c) => c.method === 'getFile')).toBe(false);
  });

  it('a group that became a supergroup takes its subscriptions along', async () => {
    await bot.handleUpdate(command(-55, ADMIN, '/subscribe 江山'));
    await bot.handleUpdate(message(-55, ADMIN, { migrate_to_chat_id: -1005555 }));
    expect(store.listTopics(-1005555).map((t) => t.query)).toEqual(['江山']);
    expect(store.getChat(-55)).toMatchObject({ active: false, migratedTo: -1005555 });
  });
});
