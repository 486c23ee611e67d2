/**
 * Output through a real OS pipe (`sh -c '… | cat'`), as scripts use the CLI and the terminal chat:
 * a pipe takes 64 KiB at a time, and a process that exits right after writing loses the rest.
 * Answers here are several times 64 KiB; a reader that goes away (`| head -1`) must end the
 * process quietly.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
let work: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'piped-'));
  const seeds = join(work, 'seeds');
  execFileSync('mkdir', ['-p', seeds]);
  // Eight dated copies of the seed page, each a little different: ~190 KB of `articles --json`.
  const seed = readFileSync(join(ROOT, 'seeds/000_6151b1adbe3a5f5a.txt'), 'utf8');
  for (let i = 1; i <= 8; i++) writeFileSync(join(seeds, `2023-10-0${i}.txt`), seed.replaceAll('衢州', `衢州${i}`));
  // BOT_TOKEN empty, not unset: an empty value also wins over a token in a developer's .env.
  env = { ...process.env, BOT_TOKEN: '', SEEDS_DIR: seeds, DATA_DIR: join(work, 'data'), LOG_LEVEL: 'warn' };
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs a bash pipeline in the repository; returns stdout, stderr and every stage's exit status. */
function pipeline(script: string): { stdout: string; stderr: string; status: number[] } {
  const wrapped = `${script} 2>"$ERR"; echo "\${PIPESTATUS[@]}" > "$STATUS"`;
  const err = join(work, 'stderr');
  const status = join(work, 'status');
  const stdout = execFileSync('bash', ['-c', wrapped], { cwd: ROOT, env: { ...env, ERR: err, STATUS: status }, maxBuffer: 1 << 28, encoding: 'utf8' });
  return { stdout, stderr: readFileSync(err, 'utf8'), status: readFileSync(status, 'utf8').trim().split(' ').map(Number) };
}

describe('output through a pipe', () => {
  it('gives a script the whole `articles --json`, the same bytes as a redirect to a file', () => {
    const file = join(work, 'articles.json');
    execFileSync('bash', ['-c', `"${TSX}" src/cli.ts articles --json > "${file}"`], { cwd: ROOT, env });
    const direct = readFileSync(file, 'utf8');
    expect(Buffer.byteLength(direct)).toBeGreaterThan(2 * 65_536);
    // `sleep` makes the reader late, so the pipe is full when the writer is done.
    const piped = pipeline(`"${TSX}" src/cli.ts articles --json | (sleep 0.3; cat)`);
    expect(piped.status).toEqual([0, 0]);
    expect(piped.stdout).toBe(direct);
    expect((JSON.parse(piped.stdout) as unknown[]).length).toBeGreaterThan(50);
  });

  it('ends quietly when the reader goes away after one line', () => {
    const piped = pipeline(`"${TSX}" src/cli.ts articles --json | head -1`);
    expect(piped.stdout).toBe('[\n');
    expect(piped.stderr).toBe('');
    expect(piped.status[0]).toBe(0);
  });

  it('gives the whole terminal chat to a pipe, and ends quietly under head', () => {
    const input = join(work, 'input');
    writeFileSync(input, `${Array.from({ length: 40 }, (_, i) => (i % 2 ? '/latest' : '/county 开化')).join('\n')}\n`);
    const whole = pipeline(`"${TSX}" src/main.ts < "${input}" | (sleep 0.3; cat)`);
    expect(whole.status).toEqual([0, 0]);
    expect(Buffer.byteLength(whole.stdout)).toBeGreaterThan(65_536);
    // Every answer arrived, the last one complete: 40 answers, 39 separators.
    expect(whole.stdout.split('──────────\n')).toHaveLength(40);
    expect(whole.stdout.trimEnd().endsWith(whole.stdout.split('──────────\n')[1]!.trimEnd())).toBe(true);

    const cut = pipeline(`"${TSX}" src/main.ts < "${input}" | head -1`);
    expect(cut.stdout.split('\n')).toHaveLength(2);
    expect(cut.stderr).toBe('');
    expect(cut.status[0]).toBe(0);
  });
});
