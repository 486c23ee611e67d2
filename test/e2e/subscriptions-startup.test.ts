/**
 * `npm start` with a database file it cannot use: a clear fatal line naming the file, exit code 3,
 * and the file left byte for byte as it was (no silent reset of readers' subscriptions).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/subscriptions/database.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import { EXIT_DATABASE } from '../../src/run-bot.js';
import { TOKEN } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'subs-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function start(dbPath: string, env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'http://127.0.0.1:9', DB_PATH: dbPath, SEEDS_DIR: 'seeds', DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stderr };
}

function fatalLine(stderr: string): { msg: string; path: string; database?: string } {
  const line = stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { level: number; msg: string; path: string; database?: string }).find((e) => e.level === 60);
  if (!line) throw new Error(`no fatal line in: ${stderr}`);
  return line;
}

describe('a database file the bot cannot use', () => {
  it('a file that is not SQLite: fatal line naming it, exit code 3, file untouched', async () => {
    const path = join(dir, 'not-a-db.db');
    writeFileSync(path, '这不是数据库 — readers.csv exported by mistake\n'.repeat(50));
    const before = digest(path);
    const { code, stderr } = await start(path);
    expect(code).toBe(EXIT_DATABASE);
    const fatal = fatalLine(stderr);
    expect(fatal.msg).toContain('数据库文件无法使用');
    expect(fatal.msg).toContain('不是 SQLite 数据库');
    expect(fatal.path).toBe(path);
    expect(digest(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
  }, 30_000);

  it('a damaged SQLite file with readers in it: the same, and the readers are still in the file', async () => {
    const path = join(dir, 'damaged.db');
    const db = openDatabase(path);
    const store = new SubscriptionStore(db, { digestTime: '08:00', timeZone: 'Asia/Shanghai' });
    for (let c = 1; c <= 300; c++) {
      store.registerChat({ id: c, type: 'private' }, 0);
      store.addTopic(c, `话题${c} 开化`, 0);
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.close();
    const bytes = readFileSync(path);
    bytes.fill(0xa5, 4096 * 3, 4096 * 3 + 2048); // scribble over a b-tree page
    writeFileSync(path, bytes);
    const before = digest(path);
    const { code, stderr } = await start(path);
    expect(code).toBe(EXIT_DATABASE);
    expect(fatalLine(stderr).msg).toMatch(/数据库文件无法使用: .*damaged\.db: .*没有被重置或修改/s);
    expect(digest(path)).toBe(before);
  }, 30_000);

  it('a DATABASE_URL whose server does not answer: fatal line naming it without its password, exit code 3', async () => {
    const { code, stderr } = await start(join(dir, 'unused.db'), { DATABASE_URL: 'postgres://bot:s3cret@127.0.0.1:9/quzhou' });
    expect(code).toBe(EXIT_DATABASE);
    const fatal = fatalLine(stderr);
    expect(fatal.msg).toContain('无法使用 PostgreSQL 数据库');
    expect(fatal.database).toBe('postgres://bot:***@127.0.0.1:9/quzhou');
    expect(stderr).not.toContain('s3cret');
    expect(existsSync(join(dir, 'unused.db'))).toBe(false);
  }, 30_000);
});
