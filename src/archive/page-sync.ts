/**
 * Page files → the archive, by content: each file's size and mtime are compared with what the
 * archive stored, and only a file that differs is read and hashed; only a file whose hash differs is
 * parsed (on a worker thread when there are many, see `page-parser.ts`) and written. New, changed
 * and removed pages are applied in transactions of whole pages, so a process killed at any moment
 * leaves an archive the next start simply continues.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { listPageFiles, newestFirst, readPageFile, type LoadPagesOptions, type SkippedPage } from '../pages/load-pages.js';
import type { Archive, PageChange, PageRecord, PageState } from './archive.js';
import { parsePageBytes, type PageParser, type ParsedPage } from './page-parser.js';

export interface SyncOptions {
  seedsDir: string;
  load: LoadPagesOptions;
  /** The normaliser of the FTS columns. */
  normalize: (text: string) => string;
  /**
   * A parser beside this thread, for a sync with many pages to read (a cold start): started when
   * at least BULK_PAGES files are not in the archive yet, closed at the end. Without it, or for
   * fewer pages, pages are parsed here.
   */
  bulkParser?: () => PageParser;
  /** A transaction is committed once it holds this many items (and at the last page). Default 1,000. */
  batchItems?: number;
  /** Called after each committed batch (to wake the summary worker, count progress). */
  onBatch?: (progress: SyncProgress) => void;
  /** Called once, when the first new or changed page is found (a warm start with none never calls it). */
  onChanges?: () => void;
}

/** Page files whose size and modification time are asked for at once (a warm start stats every file). */
const STAT_AHEAD = 64;
/** New page files from which a sync parses them with the bulk parser (starting a worker takes ~0.1 s). */
const BULK_PAGES = 32;
/**
 * Pages handed to the bulk parser ahead of the one being written: enough for it to go on while this
 * thread writes a batch (~70 pages), not so many that parsed pages pile up in memory.
 */
const PARSE_AHEAD = 128;

export interface SyncProgress {
  /** Page files looked at so far, of all there are. */
  pages: number;
  totalPages: number;
  /** Pages parsed and written so far (new or changed). */
  written: number;
}

export interface SyncReport extends SyncProgress {
  removed: number;
  /** Pages that could not be read; their old items, if any, keep serving. */
  skipped: SkippedPage[];
  /** Whether anything in the archive changed. */
  changed: boolean;
}

/** The content hash of a page: its name and bytes (a page renamed is another page). */
export function pageHash(file: string, bytes: Buffer): string {
  return createHash('sha1').update(file).update('\u0000').update(bytes).digest('hex');
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Brings the archive in line with the seeds folder, newest pages first, yielding between batches so
 * answers go on meanwhile.
 * @throws when the folder cannot be listed.
 */
export async function syncPages(archive: Archive, options: SyncOptions): Promise<SyncReport> {
  const files = newestFirst(await listPageFiles(options.seedsDir));
  const stored = archive.pageStates();
  const present = new Set(files);
  const removed = [...stored.keys()].filter((file) => !present.has(file));
  if (removed.length > 0) archive.applyPages([], removed);

  const batchItems = options.batchItems ?? 1_000;
  const report: SyncReport = { pages: 0, totalPages: files.length, written: 0, removed: removed.length, skipped: [], changed: removed.length > 0 };
  let batch: PageRecord[] = [];
  let batchSize = 0;
  const flush = () => {
    if (batch.length > 0) {
      archive.applyPages(batch);
      report.written += batch.length;
      report.changed = true;
    }
    batch = [];
    batchSize = 0;
    options.onBatch?.({ pages: report.pages, totalPages: report.totalPages, written: report.written });
  };
  const bulk = options.bulkParser && files.filter((file) => !stored.has(file)).length >= BULK_PAGES ? options.bulkParser() : null;
  /** Changed pages being parsed, in reading order: written in that order. */
  const parsing: Array<{ file: string; read: PageState; parsed: Promise<ParsedPage> }> = [];
  const writeNext = async () => {
    const { file, read, parsed } = parsing.shift()!;
    const record = pageRecord(file, read, await parsed, options.load);
    if ('skipped' in record) report.skipped.push(record.skipped);
    else {
      batch.push(record);
      batchSize += record.items.length;
    }
    if (batchSize >= batchItems) {
      flush();
      await yieldToEventLoop();
    }
  };
  try {
    let announced = false;
    for (let at = 0; at < files.length; at += STAT_AHEAD) {
      const chunk = files.slice(at, at + STAT_AHEAD);
      const infos = await Promise.all(chunk.map((file) => statOrNull(join(options.seedsDir, file))));
      // The chunk's changed files are read at once, as their stats were: one after another, this
      // thread waited for each (50,000 items, cold: 2.2 s of the sync's 17).
      const reads = chunk.map((file, k) => readChanged(options.seedsDir, file, archive, stored.get(file), infos[k]!));
      // A read that fails after an earlier one ended the sync is not left unhandled.
      for (const pending of reads) pending.catch(() => undefined);
      for (const [k, file] of chunk.entries()) {
        const read = await reads[k]!;
        report.pages++;
        if (read.kind === 'skipped') report.skipped.push(read.skipped);
        else if (read.kind === 'changed') {
          if (!announced) {
            announced = true;
            options.onChanges?.();
          }
          const parsed = bulk ? bulk.parse(file, read.bytes) : Promise.resolve(parsePageBytes(file, read.bytes, options.load, options.normalize));
          // Without its bytes: the parser has them, and up to PARSE_AHEAD pages wait here.
          parsing.push({ file, read: { hash: read.hash, size: read.size, mtimeMs: read.mtimeMs }, parsed });
          while (parsing.length > (bulk ? PARSE_AHEAD : 0)) await writeNext();
        }
      }
    }
    while (parsing.length > 0) await writeNext();
  } finally {
    await bulk?.close();
  }
  flush();
  return report;
}

export type PageUpdateResult = { ok: true; change: PageChange; unchanged: boolean } | { ok: false; skipped: SkippedPage };

/**
 * Reads one page file again (the watcher saw it change) and applies it; a file that is gone
 * removes its page. A page that cannot be read leaves its old items serving.
 */
export async function syncPage(archive: Archive, file: string, options: SyncOptions): Promise<PageUpdateResult> {
  const stored = archive.pageStates().get(file);
  const read = await readChanged(options.seedsDir, file, archive, stored, await statOrNull(join(options.seedsDir, file)));
  if (read.kind === 'missing') {
    if (!stored) return { ok: true, change: { added: [], removed: [] }, unchanged: true };
    return { ok: true, change: archive.applyPages([], [file]).get(file)!, unchanged: false };
  }
  if (read.kind === 'skipped') return { ok: false, skipped: read.skipped };
  if (read.kind === 'same') return { ok: true, change: { added: [], removed: [] }, unchanged: true };
  const record = pageRecord(file, read, parsePageBytes(file, read.bytes, options.load, options.normalize), options.load);
  if ('skipped' in record) return { ok: false, skipped: record.skipped };
  return { ok: true, change: archive.applyPages([record]).get(file)!, unchanged: false };
}

interface ChangedFile extends PageState {
  kind: 'changed';
  bytes: Buffer;
}

type ReadResult = { kind: 'same' } | { kind: 'missing' } | { kind: 'skipped'; skipped: SkippedPage } | ChangedFile;

/** The file's size and modification time, or null when it is gone. */
async function statOrNull(path: string): Promise<{ size: number; mtimeMs: number } | null> {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

async function readChanged(
  dir: string,
  file: string,
  archive: Archive,
  stored: { hash: string; size: number; mtimeMs: number } | undefined,
  info: { size: number; mtimeMs: number } | null,
): Promise<ReadResult> {
  if (info === null) return { kind: 'missing' };
  if (stored && stored.size === info.size && stored.mtimeMs === info.mtimeMs) return { kind: 'same' };
  const read = await readPageFile(dir, file);
  if (!read.ok) return read.skipped.reason === 'unreadable' && !(await exists(join(dir, file))) ? { kind: 'missing' } : { kind: 'skipped', skipped: read.skipped };
  const hash = pageHash(file, read.bytes);
  if (stored && stored.hash === hash) {
    archive.touchPage(file, info.size, info.mtimeMs);
    return { kind: 'same' };
  }
  return { kind: 'changed', bytes: read.bytes, hash, size: info.size, mtimeMs: info.mtimeMs };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function pageRecord(file: string, read: PageState, parsed: ParsedPage, load: LoadPagesOptions): PageRecord | { skipped: SkippedPage } {
  if (!parsed.ok) return { skipped: parsed.skipped };
  for (const warning of parsed.warnings) load.onWarning?.(`${file}：${warning}`);
  return { file, hash: read.hash, size: read.size, mtimeMs: read.mtimeMs, date: parsed.date, items: parsed.items, warnings: parsed.warnings };
}
