/**
 * Killed at any moment, the archive comes back whole: a process is SIGKILLed at random moments of a
 * cold start (pages being written, summaries being stored) and of page updates, then started again;
 * what it answers must equal what a clean start on the same pages answers (every item once, none
 * lost, the same summaries, the same search results). Real processes, real archive.db.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answers/answer.js';
import { openNews } from '../../src/news.js';
import { randomSource, generatePage } from '../fixtures/page-generator.js';

const CHILD = join(import.meta.dirname, 'kill-child.ts');
// More than the 32 new pages from which a cold start parses on a worker thread: kills hit that path too.
const PAGES = 36;

function seedsFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kill-seeds-'));
  for (let i = 0; i < PAGES; i++) writeFileSync(join(dir, `${new Date(Date.UTC(2024, 2, 1 + i)).toISOString().slice(0, 10)}.txt`), generatePage(700 + i).text);
  return dir;
}

/** Runs the child until it prints `until` (then kills it after `delayMs`) or ends; resolves with what it printed. */
function runChild(seeds: string, data: string, options: { killAfterMs?: number; updates?: string[] } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, SEEDS_DIR: seeds, DATA_DIR: data, UPDATES: (options.updates ?? []).join(',') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const timer = options.killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (code !== 0 && signal !== 'SIGKILL') reject(new Error(`child failed (${code}): ${err}`));
      else resolve(out);
    });
  });
}

/** Everything a reader can see: every item newest first with its summary and keywords, and some searches. */
async function answersOf(seeds: string, data: string): Promise<unknown> {
  const news = await openNews({ seedsDir: seeds, dataDir: data, region: '衢州市', summaryMaxChars: 120, pageSize: 5, waitForSummaries: true }, pino({ level: 'silent' }));
  try {
    const ids = (answer: Answer) => (answer.kind === 'results' ? [answer.total, answer.results.map((r) => r.item.id)] : answer.kind);
    const latest = news.answers.latest({ pageSize: 100 });
    return {
      pages: news.stats.pages,
      items: latest.kind === 'results' ? latest.results.map((r) => [r.item.id, r.summary, r.keywords]) : latest,
      searches: ['衢州', '乡村振兴', '开化 茶', '"共同富裕"', '项目 -医保'].map((q) => ids(news.answers.search(q, { pageSize: 20 }))),
    };
  } finally {
    await news.close();
  }
}

describe('the archive after SIGKILL', () => {
  it('answers as a clean start does after kills during a cold start and during page updates', async () => {
    const random = randomSource(20240301);
    const seeds = seedsFolder();
    const data = mkdtempSync(join(tmpdir(), 'kill-data-'));
    // Cold start killed at random moments: before, during and after the pages are written.
    const stages: string[] = [];
    for (let round = 0; round < 4; round++) stages.push(await runChild(seeds, data, { killAfterMs: 300 + Math.floor(random() * 2500) }));
    // Page updates (a changed page, a new one) killed at random moments.
    writeFileSync(join(seeds, '2024-03-05.txt'), generatePage(900).text);
    writeFileSync(join(seeds, '2024-03-30.txt'), generatePage(901).text);
    for (let round = 0; round < 2; round++) {
      stages.push(await runChild(seeds, data, { killAfterMs: 300 + Math.floor(random() * 2500), updates: ['2024-03-05.txt', '2024-03-30.txt'] }));
    }
    // The kills landed while there was work: at least one round never finished it.
    expect(stages.some((out) => !out.includes('done'))).toBe(true);
    const clean = mkdtempSync(join(tmpdir(), 'kill-clean-'));
    const expected = await answersOf(seeds, clean);
    expect(await answersOf(seeds, data)).toEqual(expected);
  }, 240_000);
});
