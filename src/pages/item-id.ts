/**
 * Item ids: short, stable, `[a-z0-9]`. Derived from the page file and the item's own content, never
 * from its position, so re-ordering files or restarting gives every item the same id.
 */
import { createHash } from 'node:crypto';
import type { ItemKind } from './item.js';

export const ITEM_ID_LENGTH = 10;

export interface ItemIdParts {
  file: string;
  kind: ItemKind;
  title: string;
  /** The item's body text; only its start is used, so a later edit deep in the text keeps the id. */
  text: string;
}

/**
 * @example itemId({ file: 'a.txt', kind: 'article', title: '标题', text: '正文' }) // e.g. '3kq0x9z1ab'
 */
export function itemId(parts: ItemIdParts, salt = 0): string {
  const key = [parts.file, parts.kind, parts.title, parts.text.replace(/\s+/g, '').slice(0, 64)].join('\u0000');
  const hash = createHash('sha1')
    .update(salt === 0 ? key : `${key}\u0000${salt}`)
    .digest();
  // 8 bytes → base36 gives ≥12 digits; the first 10 keep ~51 bits, plenty for a newspaper archive.
  return hash.readBigUInt64BE(0).toString(36).padStart(13, '0').slice(0, ITEM_ID_LENGTH);
}

/**
 * Ids for a list of items, resolving collisions (two identical items on one page) deterministically:
 * the n-th occurrence of an id is rehashed with salt n, in the list's order, which on one page is
 * reading order.
 */
export function assignItemIds(parts: readonly ItemIdParts[], taken: Set<string> = new Set()): string[] {
  return parts.map((p) => {
    let salt = 0;
    let id = itemId(p);
    while (taken.has(id)) id = itemId(p, ++salt);
    taken.add(id);
    return id;
  });
}
