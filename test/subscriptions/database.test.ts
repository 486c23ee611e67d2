import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseOpenError, SCHEMA_VERSION, openDatabase } from '../../src/subscriptions/database.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import { DEFAULTS, tempDir } from './world.js';

const hash = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('openDatabase', () => {
  const dirs: Array<() => void> = [];
  afterEach(() => dirs.splice(0).forEach((remove) => remove()));
  const temp = (): string => {
    const t = tempDir();
    dirs.push(t.remove);
    return t.dir;
  };

  it('creates a missing file and its folder, in WAL mode with normal sync, foreign keys and a busy timeout', () => {
    const path = join(temp(), 'nested', 'data', 'bot.db');
    const db = openDatabase(path);
    expect(existsSync(path)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL: survives kill -9
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    const full = openDatabase(path, { synchronous: 'FULL' });
    expect(full.pragma('synchronous', { simple: true })).toBe(2);
    full.close();
  });

  it('runs migrations once: reopening keeps the data and the version', () => {
    const path = join(temp(), 'bot.db');
    const first = openDatabase(path);
    const store = new SubscriptionStore(first, DEFAULTS);
    store.registerChat({ id: 1, type: 'private' }, 1000);
    store.addTopic(1, '开化', 1000);
    first.close();
    const second = openDatabase(path);
    expect(second.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(new SubscriptionStore(second, DEFAULTS).listTopics(1).map((t) => t.query)).toEqual(['开化']);
    second.close();
  });

  it('refuses a file that is not SQLite, names it, says it was not reset, and leaves it byte for byte', () => {
    const path = join(temp(), 'bot.db');
    writeFileSync(path, '这不是数据库 — just some text that happens to sit where the database should be\n'.repeat(50));
    const before = hash(path);
    let error: unknown;
    try {
      openDatabase(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain('没有被重置');
    expect(hash(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('refuses a damaged SQLite file (good header, broken pages) and leaves it untouched', () => {
    const path = join(temp(), 'bot.db');
    const db = openDatabase(path);
    const store = new SubscriptionStore(db, DEFAULTS);
    for (let i = 1; i <= 300; i++) {
      store.registerChat({ id: i, type: 'private' }, 1000);
      store.addTopic(i, `话题${i} 停车场 江山 ${'长'.repeat(40)}`, 1000);
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = readFileSync(path);
    // Keep the 100-byte header, scribble over the b-tree pages after it.
    for (let i = 4096; i < bytes.length; i += 7) bytes[i] = (bytes[i]! * 31 + 17) & 0xff;
    writeFileSync(path, bytes);
    const before = hash(path);
    expect(() => openDatabase(path)).toThrow(DatabaseOpenError);
    expect(() => openDatabase(path)).toThrow(/bot\.db.*没有被重置/s);
    expect(hash(path)).toBe(before);
  });

  it('refuses a database from a newer version of the bot', () => {
    const path = join(temp(), 'bot.db');
    const raw = new BetterSqlite3(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(path)).toThrow(/比本程序支持的/);
  });

  it('treats an empty file as a new database', () => {
    const dir = temp();
    mkdirSync(join(dir, 'd'));
    const path = join(dir, 'd', 'bot.db');
    writeFileSync(path, '');
    const db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });
});
