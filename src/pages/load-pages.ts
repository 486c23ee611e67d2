/**
 * The seeds folder → pages and items. Every `*.txt` is read, decoded and parsed; a file that is empty,
 * binary, unreadable or makes the parser throw is skipped with one warning naming it, and the rest
 * load. Reading order: undated pages first by file name, then dated pages by date and file name.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePage, type PageEncoding } from './decode-page.js';
import { assignItemIds } from './item-id.js';
import type { Item } from './item.js';
import { dateFromFileName } from './page-date.js';
import { parsePage, type PageReport } from './parse-page.js';

export type CountyTagger = (item: Item) => { counties: string[]; county: string | null };

export interface LoadPagesOptions {
  /** Fills `counties`/`county`; without it items stay untagged. */
  tag?: CountyTagger;
  /** Called once per skipped file and once per parser warning, each message naming the file. */
  onWarning?: (message: string) => void;
  /** Larger files are skipped (a page is ~20 KB; a 100 MB file is a mistake, not a page). */
  maxBytes?: number;
}

export interface LoadedPage {
  /** File name relative to the folder. */
  file: string;
  date: string | null;
  encoding: PageEncoding;
  items: Item[];
  report: PageReport;
}

export interface SkippedPage {
  file: string;
  reason: 'empty' | 'binary' | 'undecodable' | 'unreadable' | 'too-large' | 'parse-error';
  message: string;
}

export interface LoadedPages {
  /** Pages in reading order. */
  pages: LoadedPage[];
  /** All items, page by page in reading order. */
  items: Item[];
  skipped: SkippedPage[];
}

export type PageFileResult = { ok: true; page: LoadedPage } | { ok: false; skipped: SkippedPage };

const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** A page file's bytes, or why it cannot be a page (missing, unreadable, too large). */
export type PageBytesResult = { ok: true; bytes: Buffer } | { ok: false; skipped: SkippedPage };

/**
 * Reads one page file's bytes, refusing a file too large to be a page. Never throws.
 * @example const read = await readPageFile('seeds', '2023-10-31.txt'); if (read.ok) loadPageBytes('2023-10-31.txt', read.bytes, { tag })
 */
export async function readPageFile(dir: string, file: string, maxBytes = DEFAULT_MAX_BYTES): Promise<PageBytesResult> {
  const path = join(dir, file);
  try {
    const info = await stat(path);
    if (info.size > maxBytes) return { ok: false, skipped: { file, reason: 'too-large', message: `文件过大（${info.size} 字节）` } };
    return { ok: true, bytes: await readFile(path) };
  } catch (error) {
    return { ok: false, skipped: { file, reason: 'unreadable', message: `无法读取：${(error as NodeJS.ErrnoException).code ?? String(error)}` } };
  }
}

/**
 * Decodes and parses a page's bytes already read (the second half of `loadPageFile`). Never throws.
 * @example loadPageBytes('2023-10-31.txt', bytes, { tag })
 */
export function loadPageBytes(file: string, bytes: Buffer, options: LoadPagesOptions = {}): PageFileResult {
  const skip = (reason: SkippedPage['reason'], message: string): PageFileResult => ({
    ok: false,
    skipped: { file, reason, message },
  });
  const decoded = decodePage(bytes);
  if (!decoded.ok) return skip(decoded.reason, decoded.message);
  try {
    const parsed = parsePage(decoded.text, file);
    const tag = options.tag;
    const items = tag ? parsed.items.map((item) => ({ ...item, ...tag(item) })) : parsed.items;
    return { ok: true, page: { file, date: parsed.date, encoding: decoded.encoding, items, report: parsed.report } };
  } catch (error) {
    return skip('parse-error', `解析失败：${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Reads and parses one page file (also what a folder watcher calls for a new or changed file).
 * Never throws.
 * @example await loadPageFile('seeds', '2023-10-31.txt', { tag })
 */
export async function loadPageFile(dir: string, file: string, options: LoadPagesOptions = {}): Promise<PageFileResult> {
  const read = await readPageFile(dir, file, options.maxBytes);
  return read.ok ? loadPageBytes(file, read.bytes, options) : read;
}

/**
 * The page files of a folder: every `*.txt` that is not a folder. Throws only if the folder cannot be listed.
 * @example await listPageFiles('seeds') // ['2023-10-31.txt', …]
 */
export async function listPageFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => !e.isDirectory() && /\.txt$/i.test(e.name)).map((e) => e.name);
}

/**
 * Page files newest first, by the date in their names (as `comparePages` orders pages, reversed):
 * files without a date in the name come last. What a starting bot reads first, so `/latest` can
 * answer before the older pages are in. (A page dated only by a `date:` line inside is placed by
 * its name here; the archive still orders it by its real date once it is read.)
 * @example newestFirst(['2023-10-30.txt', 'notes.txt', '20231031-a.txt']) // ['20231031-a.txt', '2023-10-30.txt', 'notes.txt']
 */
export function newestFirst(files: readonly string[]): string[] {
  return files
    .map((file) => ({ file, date: dateFromFileName(file) }))
    .sort((a, b) => comparePages(b, a))
    .map((p) => p.file);
}

/**
 * Loads every `*.txt` page in a folder. Never throws for a bad page; throws only if the folder
 * itself cannot be listed (the caller decides whether that is fatal).
 * @example const { items } = await loadPages('seeds', { tag, onWarning: (m) => log.warn(m) })
 */
export async function loadPages(dir: string, options: LoadPagesOptions = {}): Promise<LoadedPages> {
  const files = await listPageFiles(dir);
  const results = await Promise.all(files.map((file) => loadPageFile(dir, file, options)));
  const pages: LoadedPage[] = [];
  const skipped: SkippedPage[] = [];
  for (const result of results) {
    if (result.ok) pages.push(result.page);
    else skipped.push(result.skipped);
  }
  skipped.sort((a, b) => compareText(a.file, b.file));
  pages.sort(comparePages);
  for (const s of skipped) options.onWarning?.(`跳过 ${s.file}：${s.message}`);
  for (const page of pages) for (const w of page.report.warnings) options.onWarning?.(`${page.file}：${w}`);
  resolveCrossPageCollisions(pages, options.onWarning);
  const items = pages.flatMap((p) => p.items);
  return { pages, items, skipped };
}

/** Undated pages first (by file name), then dated pages by date, then file name. */
export function comparePages(a: { file: string; date: string | null }, b: { file: string; date: string | null }): number {
  if (a.date !== b.date) {
    if (a.date === null) return -1;
    if (b.date === null) return 1;
    return compareText(a.date, b.date);
  }
  return compareText(a.file, b.file);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Ids include the file name, so two pages colliding needs a 51-bit hash collision; should it ever
 * happen the later page's item is rehashed (in reading order, so still deterministic for one folder).
 */
function resolveCrossPageCollisions(pages: LoadedPage[], onWarning?: (message: string) => void): void {
  const seen = new Set<string>();
  for (const page of pages) page.items.forEach((item, n, items) => {
    if (!seen.has(item.id)) {
      seen.add(item.id);
      return;
    }
    const [id] = assignItemIds([{ file: item.source.file, kind: item.kind, title: item.title, text: item.paragraphs.join('') }], seen);
    onWarning?.(`${item.source.file}：条目编号 ${item.id} 与其他版面重复，改为 ${id}`);
    items[n] = { ...item, id: id! };
  });
}
