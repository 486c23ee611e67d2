/**
 * The search index kept on disk beside the page cache: its postings plus the (file, content hash)
 * of every page it holds, so a restart knows which pages it can take as they are and which it must
 * replace. Checked and written atomically like every cache file.
 */
import { join } from 'node:path';
import type { SearchIndexSnapshot } from '../search/search-index.js';
import { readCheckedAsync, writeCheckedAsync } from './checked-file.js';

export interface StoredIndex {
  /** file → content hash of every page in the index. */
  pages: Array<[string, string]>;
  index: SearchIndexSnapshot;
}

export function indexSnapshotPath(dataDir: string, identity: string): string {
  return join(dataDir, 'index-cache', identity, 'index.bin');
}

export async function readStoredIndex(path: string): Promise<StoredIndex | null> {
  const value = (await readCheckedAsync(path)) as Partial<StoredIndex> | undefined;
  const index = value?.index;
  const ok =
    Array.isArray(value?.pages) &&
    typeof index?.grams === 'boolean' &&
    Array.isArray(index.headings) &&
    Array.isArray(index.traditionalBodies) &&
    Array.isArray(index.postings?.ids) &&
    index.postings.postings instanceof Uint32Array &&
    index.postings.fieldLengths instanceof Uint32Array &&
    typeof index.postings.terms === 'string';
  return ok ? (value as StoredIndex) : null;
}

export function writeStoredIndex(path: string, stored: StoredIndex): Promise<boolean> {
  return writeCheckedAsync(path, stored);
}
