/**
 * What the emulator cannot show: inline mode, the command menu, answerCallbackQuery texts and
 * Telegram's refusals. The real bot and the real core run through `bot.handleUpdate`, with
 * `Telegram.prototype.callApi` replaced to capture the calls (only the transport is replaced).
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Telegram, TelegramError, type Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { openNews, type News } from '../../src/news.js';
import { createBot } from '../../src/telegram/bot.js';
import { setCommandMenus } from '../../src/telegram/command-menu.js';
import { parseTelegramHtml } from '../telegram/telegram-html.js';
import { capturingLogger, TOKEN } from './harness.js';
import { BOT_INFO } from '../telegram/fixtures.js';

interface Call {
  method: string;
  payload: Record<string, unknown>;
}


let news: News;
let seedsDir: string;
let dataDir: string;
let calls: Call[] = [];
let failWith: ((method: string) => Error | null) | null = null;
let updateId = 1;
const logs = capturingLogger();

beforeAll(async () => {
  // Six copies of the seed page (ids include the file name): more items than one inline answer holds.
  seedsDir = mkdtempSync(join(tmpdir(), 'tg-seeds-'));
  dataDir = mkdtempSync(join(tmpdir(), 'tg-data-'));
  const [page] = readdirSync('seeds').filter((f) => f.endsWith('.txt'));
  for (let i = 0; i < 6; i++) copyFileSync(join('seeds', page!), join(seedsDir, `00${i}_${page!.slice(4)}`));
  news = await openNews({ seedsDir, dataDir, region: '衢州市', summaryMaxChars: 120, pageSize: 5, waitForSummaries: true }, logs.log);
  vi.spyOn(Telegram.prototype, 'callApi').mockImplementation(async function (method: string, payload: unknown) {
    calls.push({ method, payload: payload as Record<string, unknown> });
    const failure = failWith?.(method);
    if (failure) throw failure;
    if (method === 'sendMessage') return { message_id: calls.length, date: 0, chat: { id: 1, type: 'private' }, text: '' };
    return true;
  } as never);
});

afterEach(() => {
  calls = [];
  failWith = null;
});

afterAll(() => {
  vi.restoreAllMocks();
  rmSync(seedsDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

function makeBot(): Telegraf {
  const bot = createBot({ token: TOKEN, answers: news.answers, log: logs.log });
  bot.botInfo = BOT_INFO;
  return bot;
}

const user = (languageCode?: string) => ({ id: 7, is_bot: false, first_name: 'Reader', ...(languageCode ? { language_code: languageCode } : {}) });

function inlineQuery(query: string, offset = '', languageCode?: string): Update {
  return { update_id: updateId++, inline_query: { id: 'q1', from: user(languageCode), query, offset, chat_type: 'sender' } } as Update;
}

function callbackQuery(data: string): Update {
  return {
    update_id: updateId++,
    callback_query: { id: 'cb1', from: user(), chat_instance: 'c', data, message: { message_id: 5, date: 0, chat: { id: 7, type: 'private', first_name: 'Reader' }, text: 'old' } },
  } as Update;
}

function textMessage(text: string, chat: 'private' | 'group' = 'private'): Update {
  const command = /^\/\S+/.exec(text)?.[0];
  return {
    update_id: updateId++,
    message: {
      message_id: 9,
      date: 0,
      from: user(),
      chat: chat === 'private' ? { id: 7, type: 'private', first_name: 'Reader' } : { id: -100, type: 'group', title: '群' },
      text,
      ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}),
    },
  } as Update;
}

describe('inline mode', () => {
  it('lists up to 50 shareable articles with title, summary and message text, and pages with next_offset', async () => {
    const bot = makeBot();
    await bot.handleUpdate(inlineQuery(''));
    const [first] = calls.filter((c) => c.method === 'answerInlineQuery');
    const results = first!.payload.results as Array<Record<string, any>>;
    expect(results).toHaveLength(50);
    expect(first!.payload.next_offset).toBe('2');
    for (const r of results) {
      expect(r.type).toBe('article');
      expect(r.title.length).toBeGreaterThan(0);
      expect(r.description.length).toBeGreaterThan(0);
      expect(r.input_message_content.parse_mode).toBe('HTML');
      expect(parseTelegramHtml(r.input_message_content.message_text).length).toBeLessThanOrEqual(4096);
      expect(r.reply_markup.inline_keyboard[0][0].url).toBe(`https://t.me/QuzhouNewsBot?start=a_${r.id}`);
    }
    expect(new Set(results.map((r) => r.id)).size).toBe(50);

    calls = [];
    await bot.handleUpdate(inlineQuery('', '2'));
    const second = calls.find((c) => c.method === 'answerInlineQuery')!;
    const rest = second.payload.results as Array<{ id: string }>;
    expect(rest).toHaveLength(66 - 50);
    expect(second.payload.next_offset).toBe('');
    expect(rest.some((r) => results.some((f) => f.id === r.id))).toBe(false);
  });

  it('finds by words, and shows a hint button when nothing matches', async () => {
    const bot = makeBot();
    await bot.handleUpdate(inlineQuery('医保'));
    const found = calls.find((c) => c.method === 'answerInlineQuery')!.payload.results as Array<{ title: string }>;
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.title).toContain('医保');

    calls = [];
    await bot.handleUpdate(inlineQuery('xyzzy'));
    const none = calls.find((c) => c.method === 'answerInlineQuery')!.payload;
    expect(none.results).toEqual([]);
    expect(none.button).toEqual({ text: '没有找到“xyzzy”', start_parameter: 'help' });
  });
});

describe('completions as the reader types', () => {
  it('offers the words that complete a typed character above the results, each searching its word', async () => {
    const bot = makeBot();
    await bot.handleUpdate(inlineQuery('医'));
    const results = calls.find((c) => c.method === 'answerInlineQuery')!.payload.results as Array<Record<string, any>>;
    const completions = results.filter((r) => String(r.id).startsWith('w'));
    expect(completions.length).toBeGreaterThan(0);
    for (const c of completions) {
      const word = c.reply_markup.inline_keyboard[0][0].switch_inline_query_current_chat as string;
      expect(word.startsWith('医')).toBe(true);
      expect(word.length).toBeGreaterThan(1);
      expect(c.title).toContain(`搜索“${word}”`);
      expect(parseTelegramHtml(c.input_message_content.message_text)).toContain('1. ');
    }
    // The completions come first, the matching articles after them.
    expect(results.findIndex((r) => !String(r.id).startsWith('w'))).toBe(completions.length);
  });
});

describe('the command menu', () => {
  it('is set in Chinese by default and in English for English clients', async () => {
    const ok = await setCommandMenus(new Telegram(TOKEN), logs.log);
    expect(ok).toBe(true);
    const menus = calls.filter((c) => c.method === 'setMyCommands');
    expect(menus).toHaveLength(2);
    expect(menus[0]!.payload.language_code).toBeUndefined();
    expect(menus[0]!.payload.commands).toContainEqual({ command: 'search', description: '搜索文章' });
    expect(menus[1]!.payload.language_code).toBe('en');
    expect(menus[1]!.payload.commands).toContainEqual({ command: 'search', description: 'Search articles' });
  });

  it('a refusal is a logged warning, not a crash', async () => {
    failWith = (method) => (method === 'setMyCommands' ? new TelegramError({ error_code: 400, description: 'Bad Request: BOT_COMMAND_INVALID' }) : null);
    const before = logs.entries().length;
    await expect(setCommandMenus(new Telegram(TOKEN), logs.log)).resolves.toBe(false);
    expect(logs.entries().slice(before).filter((e) => e.level === 40)).toHaveLength(2);
  });
});

describe('buttons', () => {
  it('an unknown or expired page key is answered politely at once, nothing else sent', async () => {
    const bot = makeBot();
    for (const data of ['p:zzzz:2', 'garbage']) {
      calls = [];
      await bot.handleUpdate(callbackQuery(data));
      expect(calls.map((c) => c.method)).toEqual(['answerCallbackQuery']);
      expect(calls[0]!.payload.text).toBe('这个结果已过期，请重新搜索');
    }
  });

  it('a page turn answers the press first, then edits the message', async () => {
    const bot = makeBot();
    await bot.handleUpdate(textMessage('/latest'));
    const sent = calls.find((c) => c.method === 'sendMessage')!;
    const next = (sent.payload.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard.flat().find((b) => b.text.includes('下一页'))!;
    calls = [];
    await bot.handleUpdate(callbackQuery(next.callback_data));
    expect(calls.map((c) => c.method)).toEqual(['answerCallbackQuery', 'editMessageText']);
    expect(parseTelegramHtml(String(calls[1]!.payload.text))).toContain('第 2/');
  });

  it('a page that cannot be edited any more is sent as a new message; "not modified" is ignored', async () => {
    const bot = makeBot();
    await bot.handleUpdate(textMessage('/latest'));
    const sent = calls.find((c) => c.method === 'sendMessage')!;
    const next = (sent.payload.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard.flat().find((b) => b.text.includes('下一页'))!;
    calls = [];
    failWith = (m) => (m === 'editMessageText' ? new TelegramError({ error_code: 400, description: "Bad Request: message can't be edited" }) : null);
    await bot.handleUpdate(callbackQuery(next.callback_data));
    expect(calls.map((c) => c.method)).toEqual(['answerCallbackQuery', 'editMessageText', 'sendMessage']);
    calls = [];
    failWith = (m) => (m === 'editMessageText' ? new TelegramError({ error_code: 400, description: 'Bad Request: message is not modified' }) : null);
    await bot.handleUpdate(callbackQuery(next.callback_data));
    expect(calls.map((c) => c.method)).toEqual(['answerCallbackQuery', 'editMessageText']);
  });
});

describe('groups and failures', () => {
  it('in a group answers only commands, and refuses only unknown commands addressed to it', async () => {
    const bot = makeBot();
    for (const text of ['医保', '/foo', '/foo@OtherBot']) await bot.handleUpdate(textMessage(text, 'group'));
    expect(calls).toEqual([]);
    await bot.handleUpdate(textMessage('/foo@QuzhouNewsBot', 'group'));
    await bot.handleUpdate(textMessage('/search@QuzhouNewsBot 医保', 'group'));
    const texts = calls.filter((c) => c.method === 'sendMessage').map((c) => parseTelegramHtml(String(c.payload.text)));
    expect(texts[0]).toContain('没有 /foo@QuzhouNewsBot 这个命令');
    expect(texts[1]).toContain('搜索“医保”');
  });

  it('when even sending fails (blocked by the user), the error is logged and nothing is rethrown', async () => {
    const bot = makeBot();
    failWith = (m) => (m === 'sendMessage' ? new TelegramError({ error_code: 403, description: 'Forbidden: bot was blocked by the user' }) : null);
    const update = textMessage('/latest');
    await expect(bot.handleUpdate(update)).resolves.toBeUndefined();
    const entries = logs.entries();
    expect(entries.some((e) => e.msg === 'telegram: handler failed' && e.updateId === update.update_id)).toBe(true);
    expect(entries.some((e) => e.msg === 'telegram: could not send the apology' && e.updateId === update.update_id)).toBe(true);
  });
});
