/**
 * The real news texts of `../shared/data/cctv-news-dev.jsonl` (13,797 complete articles of CCTV's
 * 新闻联播, 2022-09 to 2026-08; see that folder's README), read where they are: benchmarks use them,
 * the project never copies them. `DATA_SETS_DIR` names another folder that holds the file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RealArticle {
  title: string;
  paragraphs: string[];
  date: string;
}

/** Where the file is looked for. */
export function realTextsPath(): string {
  return join(process.env['DATA_SETS_DIR'] ?? fileURLToPath(new URL('../../shared/data/', import.meta.url)), 'cctv-news-dev.jsonl');
}

export function haveRealTexts(): boolean {
  return existsSync(realTextsPath());
}

/** @example readRealArticles().length // 13797 */
export function readRealArticles(limit = Number.POSITIVE_INFINITY): RealArticle[] {
  return readFileSync(realTextsPath(), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(0, limit)
    .map((line) => {
      const raw = JSON.parse(line) as RealArticle;
      return { title: raw.title.trim(), paragraphs: raw.paragraphs.map((p) => p.trim()).filter((p) => p !== ''), date: String(raw.date).slice(0, 10) };
    });
}
