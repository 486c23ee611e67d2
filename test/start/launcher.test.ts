/**
 * `npm start`'s launcher (scripts/start.mjs) for real, on a copy of the project in a temp folder
 * (node_modules linked): it compiles src/ on the first start, answers from the compiled bot, reuses
 * the build while nothing changes, rebuilds after an edit, and the compiled bot's analysis worker boots.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePage } from '../fixtures/page-generator.js';

const ROOT = join(import.meta.dirname, '..', '..');
let copy: string;

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'launcher-'));
  for (const path of ['src', 'scripts', 'seeds', 'tsconfig.json', 'package.json', 'test/start/summary-probe.ts']) {
    cpSync(join(ROOT, path), join(copy, path), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
});

function start(args: string[], input: string, env: Record<string, string> = {}) {
  const data = mkdtempSync(join(tmpdir(), 'launcher-data-'));
  const run = spawnSync(process.execPath, [join(copy, 'scripts', 'start.mjs'), ...args], {
    cwd: copy,
    input,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, BOT_TOKEN: '', LOG_LEVEL: 'warn', DATA_DIR: data, DB_PATH: join(data, 'bot.db'), ...env },
  });
  // dist/native holds the compiled SQLite extension, not a build.
  return { ...run, builds: readdirSync(join(copy, 'dist')).filter((name) => name !== 'native').sort() };
}

describe('npm start (scripts/start.mjs)', () => {
  it('compiles on the first start and answers /latest from the seed pages; the next start reuses the build', () => {
    const first = start([], '/latest\n');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('最新文章');
    expect(first.stdout).toContain('工业发展稳中有进');
    expect(first.builds).toHaveLength(1);
    expect(readdirSync(join(copy, 'dist', first.builds[0]!))).toEqual(expect.arrayContaining(['main.js', 'analysis-worker.js']));

    const second = start([], '/latest\n');
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.builds).toEqual(first.builds);
  });

  it('rebuilds after a source file changes, runs the changed code, and removes builds unused for an hour', () => {
    const before = start([], '/latest\n').builds;
    const stale = join(copy, 'dist', '0000000000000000');
    mkdirSync(stale);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(stale, twoHoursAgo, twoHoursAgo);
    appendFileSync(join(copy, 'src', 'main.ts'), "\nprocess.stdout.write('edited since the last build\\n');\n");
    const after = start([], '/latest\n');
    expect(after.status).toBe(0);
    expect(after.stdout.split('\n')[0]).toBe('edited since the last build');
    expect(after.stdout).toContain('工业发展稳中有进');
    // The new build, and the previous ones (used minutes ago); not the stale one.
    expect(after.builds).toHaveLength(before.length + 1);
    expect(after.builds).toEqual(expect.arrayContaining(before));
    expect(after.builds).not.toContain('0000000000000000');
  });

  it('boots the compiled analysis worker, which stores every summary', () => {
    const seeds = mkdtempSync(join(tmpdir(), 'launcher-seeds-'));
    for (let i = 0; i < 3; i++) writeFileSync(join(seeds, `p${i}.txt`), generatePage(40 + i).text);
    const run = start(['test/start/summary-probe.ts'], '', { SEEDS_DIR: seeds });
    expect(run.stderr).toBe('');
    const { items, pending } = JSON.parse(run.stdout) as { items: number; pending: number };
    expect(items).toBeGreaterThan(10);
    expect(pending).toBe(0);
  });

  it('names the place when the sources do not compile, and exits non-zero', () => {
    const main = join(copy, 'src', 'main.ts');
    const source = readFileSync(main, 'utf8');
    appendFileSync(main, '\nexport const broken = ;\n');
    try {
      const run = start([], '');
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^启动失败：无法编译 src\/main\.ts（.*src\/main\.ts:\d+:\d+: ERROR/su);
      expect(run.stdout).toBe('');
    } finally {
      writeFileSync(main, source);
    }
  });
});
