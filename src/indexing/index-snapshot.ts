/**
 * The search index kept on disk beside the page cache: its postings plus the (file, content hash)
 * of every page it holds, so a restart knows which pages it can take as they are and which it must
 * replace. Checked and written atomically like every cache file.
 */
import { join } from 'node:path';
import { isSearchIndexSnapshot, type SearchIndexSnapshot } from '../search/search-index.js';
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
  return Array.isArray(value?.pages) && isSearchIndexSnapshot(value.index) ? (value as StoredIndex) : null;
}

export function writeStoredIndex(path: string, stored: StoredIndex): Promise<boolean> {
  return writeCheckedAsync(path, stored);
}
