/**
 * Several processes starting at once on one new DATA_DIR (two copies of the bot, a script beside the
 * bot): each database file is created and migrated once, and every process opens it. Before, each
 * read the schema version outside its write lock, and the later ones failed with "table … already
 * exists" (found by the token test, which starts two bots on one folder).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const OPEN_BOTH = `
  import { openDatabase } from ${JSON.stringify(join(ROOT, 'src/subscriptions/database.ts'))};
  import { openArchiveDb } from ${JSON.stringify(join(ROOT, 'src/archive/archive-db.ts'))};
  const dir = process.argv[1];
  openDatabase(dir + '/bot.db').close();
  openArchiveDb(dir + '/archive.db', { itemsIdentity: 'i', analysisIdentity: 'a' }).close();
`;

function openInChild(dir: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', OPEN_BOTH, dir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => done({ code, stderr }));
  });
}

describe('databases opened by several processes at once', () => {
  it('creates and migrates each new file once, and every process opens it', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'concurrent-open-'));
      const results = await Promise.all(Array.from({ length: 4 }, () => openInChild(dir)));
      for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
    }
  }, 60_000);
});
