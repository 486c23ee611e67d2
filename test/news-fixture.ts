/** Opens the real news core on a folder of pages, quietly, for tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Answer, ResultsAnswer } from '../src/answers/answer.js';
import { openNews, type News } from '../src/news.js';

export const SEEDS_DIR = join(import.meta.dirname, '..', 'seeds');

export function openTestNews(seedsDir = SEEDS_DIR, overrides: { pageSize?: number; summaryMaxChars?: number } = {}): Promise<News> {
  const dataDir = mkdtempSync(join(tmpdir(), 'news-test-'));
  return openNews(
    { seedsDir, dataDir, region: '衢州市', summaryMaxChars: overrides.summaryMaxChars ?? 120, pageSize: overrides.pageSize ?? 5, waitForSummaries: true },
    pino({ level: 'silent' }),
  );
}

/** The answer as results, or a failure that shows what came instead. */
export function results(answer: Answer): ResultsAnswer {
  if (answer.kind !== 'results') throw new Error(`expected results, got ${JSON.stringify(answer).slice(0, 300)}`);
  return answer;
}
