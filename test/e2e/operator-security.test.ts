/**
 * Security end to end: a button's data cannot reach another chat's result list or subscriptions
 * (keys are short and sequential, so a reader can guess a neighbour's), and the token never
 * appears in anything the real bot process prints, whatever the Bot API answers.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { parseTelegramHtml } from '../telegram/telegram-html.js';
import { createBot } from '../../src/telegram/bot.js';
import { startTelegram } from '../../src/telegram/launch.js';
import { capturingLogger, freePort, waitFor } from './harness.js';
import { startSubscriptionsHarness, type SubscriptionsHarness } from './subscriptions-harness.js';

let h: SubscriptionsHarness;
const ALICE = 501;
const MALLORY = 502;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  h = await startSubscriptionsHarness();
});
afterAll(async () => {
  await h?.stop();
  expect(h.logs.lines.join('\n')).not.toContain('TEST-token_abcdefghijklmnop');
});

describe('ADMIN_IDS', () => {
  it('takes user ids separated by commas or spaces, and names the setting when one is not a number', () => {
    expect(parseConfig({}).adminIds).toEqual([]);
    expect(parseConfig({ ADMIN_IDS: '12, 34 56' }).adminIds).toEqual([12, 34, 56]);
    expect(() => parseConfig({ ADMIN_IDS: '12,@boss' })).toThrow(ConfigError);
    expect(() => parseConfig({ ADMIN_IDS: '12,@boss' })).toThrow(/ADMIN_IDS.*"@boss"/);
  });
});

describe('buttons are bound to their chat', () => {
  it("a forged page button cannot page through another reader's search", async () => {
    const alice = h.client(ALICE);
    const [list] = await alice.command('/search 衢州');
    const next = list!.buttons.find((b) => b.data.startsWith('p:'));
    expect(next, 'a search with more than one page').toBeDefined();
    // Mallory presses the forged data on a message of her own (the bot edits the message pressed).
    const mallory = h.client(MALLORY);
    const [own] = await mallory.command('/latest');
    await mallory.press(own!, next!.data);
    // Also every key near Alice's: the counter is guessable.
    const [, key, page] = next!.data.split(':');
    const prefix = key!.slice(0, -1);
    for (const guess of ['1', '2', '3', key!.slice(-1)]) await mallory.press(own!, `p:${prefix}${guess}:${page}`);
    await pause(300);
    expect(mallory.messages().map((m) => parseTelegramHtml(m.text)).join('\n')).not.toContain('衢州”');
    // (A guess may hit Mallory's own /latest list: that page turn is hers to make.)
    expect(mallory.messages()).toHaveLength(1);
    expect(alice.messages().find((m) => m.messageId === list!.messageId)!.text).toBe(list!.text);
    // Alice's own press still works.
    await alice.press(list!, next!.data);
    const edited = await alice.waitForEdit(list!);
    expect(parseTelegramHtml(edited.text)).toMatch(/第 2\/\d+ 页/);
  });

  it("a forged remove button cannot remove another chat's topic", async () => {
    const alice = h.client(ALICE);
    await alice.command('/subscribe 开化');
    const [panel] = await alice.command('/subscriptions');
    const remove = panel!.buttons.find((b) => b.data.startsWith('xr:'))!;
    const mallory = h.client(MALLORY);
    const before = mallory.messages().length;
    await mallory.press(panel!, remove.data);
    await waitFor(() => (mallory.messages().length > before || h.service.sqlite!.store.listTopics(ALICE).length !== 1 ? true : null), 1000, '').catch(() => undefined);
    expect(h.service.sqlite!.store.listTopics(ALICE).map((t) => t.query)).toEqual(['开化']);
  });
});

/** A Bot API peer that answers every call with `answer`. */
async function fakeApi(answer: (method: string) => { status: number; body: string }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const { status, body } = answer((req.url ?? '').split('/').pop() ?? '');
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}`, server };
}

describe('startup against a Bot API that hiccups', () => {
  it('tries getMe and deleteWebhook again after a network error or a 502, and never prints the token', async () => {
    const calls = new Map<string, number>();
    const api = await fakeApi((method) => {
      const n = (calls.get(method) ?? 0) + 1;
      calls.set(method, n);
      if (n === 1 && (method === 'getMe' || method === 'deleteWebhook')) return { status: 502, body: JSON.stringify({ ok: false, error_code: 502, description: 'Bad Gateway' }) };
      if (method === 'getMe') return { status: 200, body: JSON.stringify({ ok: true, result: { id: 1, is_bot: true, first_name: 'B', username: 'QuzhouNewsBot' } }) };
      if (method === 'getUpdates') return { status: 200, body: JSON.stringify({ ok: true, result: [] }) };
      return { status: 200, body: JSON.stringify({ ok: true, result: true }) };
    });
    const { log, lines } = capturingLogger();
    const bot = createBot({ token: '555:HICCUP-token_abcdefghijkl', apiRoot: api.url, answers: h.service.news.answers, log });
    try {
      const runner = await startTelegram({ bot, log, webhookUrl: null, webhookSecret: null, port: 0, pollIdleDelayMs: 20, conflictGraceMs: 100, startRetryDelaysMs: [20, 20] });
      expect(runner.mode).toBe('polling');
      expect(calls.get('getMe')).toBe(2);
      expect(calls.get('deleteWebhook')).toBe(2);
      await runner.stop('test');
    } finally {
      api.server.close();
    }
    expect(lines.filter((l) => l.includes('trying again'))).toHaveLength(2);
    expect(lines.join('\n')).not.toContain('HICCUP-token');
  });
});

describe('the token never printed', () => {
  const TOKEN = '987654:LEAKcheck_token-XYZ0123456789';
  const SECRET_HALF = TOKEN.split(':')[1]!;
  const ROOT = resolve(import.meta.dirname, '../..');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'token-'));
    mkdirSync(join(dir, 'seeds'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs `npm start`'s entry as a child until it ends (or 45 s), returning everything it printed. */
  function runBot(apiRoot: string, extra: Record<string, string> = {}): Promise<string> {
    return new Promise((done) => {
      const env = { ...process.env, BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot, SEEDS_DIR: join(dir, 'seeds'), DATA_DIR: join(dir, 'data'), WATCH_SEEDS: 'false', LOG_LEVEL: 'debug', ...extra };
      execFile(join(ROOT, 'node_modules/.bin/tsx'), ['src/main.ts'], { cwd: ROOT, env, timeout: 45_000 }, (_error, stdout, stderr) => done(`${stdout}\n${stderr}`));
    });
  }

  // (A refused token, 401, is launch.test.ts's.)
  it('not when the Bot API is unreachable or answers garbage that quotes the token', async () => {
    const broken = await fakeApi(() => ({ status: 502, body: `<html>bad gateway for /bot${TOKEN}/getMe</html>` }));
    try {
      const outputs = await Promise.all([runBot('http://127.0.0.1:1'), runBot(broken.url)]);
      for (const output of outputs) {
        expect(output).toMatch(/启动失败|cannot reach/);
        expect(output).not.toContain(SECRET_HALF);
      }
    } finally {
      broken.server.close();
    }
  });
});
