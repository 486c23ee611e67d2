/**
 * The indexed pages kept on disk under DATA_DIR, one checked file per page, named by the hash of
 * the page's file name and bytes, in a folder named by the indexing identity. A changed page gets
 * a new hash: its old record is simply never read again (and `prune` removes it).
 */
import { createHash } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readCheckedAsync, writeChecked } from './checked-file.js';
import { isIndexedPage, type IndexedPage } from './indexed-page.js';

/** The key of a page's content: its file name (ids depend on it) and its bytes. */
export function pageHash(file: string, bytes: Uint8Array): string {
  return createHash('sha256').update(file).update('\u0000').update(bytes).digest('hex').slice(0, 32);
}

export function pageCacheDir(dataDir: string, identity: string): string {
  return join(dataDir, 'index-cache', identity, 'pages');
}

const recordPath = (dir: string, hash: string) => join(dir, `${hash}.bin`);

/** The cached page, or null when missing, damaged, or not that file's. */
export async function readIndexedPage(dir: string, hash: string, file: string): Promise<IndexedPage | null> {
  const value = await readCheckedAsync(recordPath(dir, hash));
  return isIndexedPage(value) && value.page.file === file ? value : null;
}

export function writeIndexedPage(dir: string, hash: string, indexed: IndexedPage): boolean {
  return writeChecked(recordPath(dir, hash), indexed);
}

/** Removes records of pages no longer in the folder (old versions of changed pages). */
export async function pruneIndexedPages(dir: string, keep: ReadonlySet<string>): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const hash = name.replace(/\.bin$/, '');
    if (name.endsWith('.bin') && !keep.has(hash)) await rm(join(dir, name), { force: true });
  }
}
