/**
 * Faults of the machine under the running bot (as run-bot.ts wires it, against the emulator):
 * DATA_DIR on a small tmpfs that fills up, then turns read-only, then comes back. Readers get an
 * answer every time, the operator's log line names the database file and what to do, nothing
 * already stored is lost or reset, and writes work again once the disk does.
 *
 * Mounting needs root (or CAP_SYS_ADMIN); where it is not allowed the test is skipped with a line
 * saying so.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogues } from '../../src/i18n/messages.js';
import { parseTelegramHtml } from '../telegram/telegram-html.js';
import { openNews } from '../../src/news.js';
import { startBotService } from '../../src/run-bot.js';
import { capturingLogger } from '../e2e/harness.js';
import { startSubscriptionsHarness, type SubscriptionsHarness } from '../e2e/subscriptions-harness.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'faults-mnt-'));
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint], { stdio: 'ignore' });
  mounted = true;
} catch {
  console.log(`storage-faults: skipped, mounting a tmpfs is not allowed here (needs root); the disk-full and read-only cases did not run`);
}

const ADMIN = 9001;
let h: SubscriptionsHarness;
const apology = catalogues.zh.apology;

function fillDisk(): string {
  const filler = join(mountPoint, 'filler');
  const fd = openSync(filler, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    closeSync(fd);
  }
  return filler;
}

let readOnlyMessage = '';
const errorLines = () => h.logs.entries().filter((e) => Number(e.level) >= 50).map((e) => String(e.msg));

describe.skipIf(!mounted)('the disk under DATA_DIR', () => {
  beforeAll(async () => {
    mkdirSync(join(mountPoint, 'data'));
    h = await startSubscriptionsHarness({ DATA_DIR: join(mountPoint, 'data'), DB_PATH: join(mountPoint, 'data', 'bot.db'), ADMIN_IDS: String(ADMIN) });
  });
  afterAll(async () => {
    try {
      execFileSync('mount', ['-o', 'remount,rw', mountPoint], { stdio: 'ignore' });
    } catch {
      // already writable
    }
    await h?.stop();
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('full: the reader is answered, the log names the file and the cause, nothing stored is lost, writes resume', async () => {
    const first = h.client(101);
    expect(parseTelegramHtml((await first.command('/subscribe 开化'))[0]!.text)).toContain('已订阅“开化”');

    const filler = fillDisk();
    // Enough writes to outgrow what the database's write-ahead log had room for.
    let refused = 0;
    for (let i = 0; i < 30 && refused === 0; i++) {
      const [reply] = await h.client(200 + i).command(`/subscribe 话题${i}`);
      if (parseTelegramHtml(reply!.text) === apology) refused++;
    }
    expect(refused).toBe(1);
    expect(errorLines().some((line) => line.includes('bot.db') && line.includes('the disk is full'))).toBe(true);
    // Reading goes on while the disk is full.
    expect(parseTelegramHtml((await first.command('/search 硅烷'))[0]!.text)).toContain('搜索“硅烷”');
    // The operator sees it in /stats.
    const [stats] = await h.client(ADMIN).command('/stats');
    expect(parseTelegramHtml(stats!.text)).toMatch(/\[bot\] .*bot\.db: database or disk is full/);

    rmSync(filler);
    expect(parseTelegramHtml((await h.client(102).command('/subscribe 医保'))[0]!.text)).toContain('已订阅“医保”');
    expect(h.service.sqlite!.store.listTopics(101).map((t) => t.query)).toEqual(['开化']);
    expect(h.service.sqlite!.store.listTopics(102).map((t) => t.query)).toEqual(['医保']);
  });

  it('read-only at start: the bot refuses to start naming the file, which is left as it was; the terminal chat answers', async () => {
    expect(parseTelegramHtml((await h.client(103).command('/subscribe 停车场'))[0]!.text)).toContain('已订阅“停车场”');
    await h.service.stop('test: going read-only');
    // (A running bot keeps its files open, so the remount waits until it has stopped.)
    execFileSync('mount', ['-o', 'remount,ro', mountPoint]);
    const before = execFileSync('sha256sum', [h.config.dbPath], { encoding: 'utf8' });
    const { log, lines } = capturingLogger();
    const refused = await startBotService(h.config, log, { pollIdleDelayMs: 10 }).then(() => null, (error: unknown) => error as Error);
    readOnlyMessage = refused?.message ?? '';
    expect(readOnlyMessage).toContain(h.config.dbPath);
    expect(execFileSync('sha256sum', [h.config.dbPath], { encoding: 'utf8' })).toBe(before);
    expect(lines.join('\n')).not.toContain('TEST-token');
    // The terminal chat needs no database: it answers from the pages (caches are not kept).
    const news = await openNews({ ...h.config, waitForSearch: true }, log);
    expect(news.answers.search('硅烷').kind).toBe('results');

    // No corruption, no reset: the file checks out and holds every topic that was confirmed.
    // (Writable again first: SQLite needs its shared-memory file next to a WAL database.)
    execFileSync('mount', ['-o', 'remount,rw', mountPoint]);
    const check = new Sqlite(h.config.dbPath, { readonly: true, fileMustExist: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      const topics = check.prepare('SELECT chat_id AS chat, query FROM topics WHERE chat_id IN (101, 102, 103) ORDER BY chat_id').all();
      expect(topics).toEqual([
        { chat: 101, query: '开化' },
        { chat: 102, query: '医保' },
        { chat: 103, query: '停车场' },
      ]);
    } finally {
      check.close();
    }
  });

  // The refusal names the file and, for a read-only folder, says so (not "restore from a backup").
  it('says at start that the folder is read-only and how to fix it', () => {
    expect(readOnlyMessage).toMatch(/只读|read-only/);
  });
});
