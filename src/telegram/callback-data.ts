/**
 * What a button carries back when pressed. Telegram allows 1–64 bytes of `callback_data`
 * (a Chinese character is 3 bytes), so a query is never put in a button: a page turn carries a
 * short key into the query store instead.
 */

export const CALLBACK_DATA_MAX_BYTES = 64;

export type CallbackAction =
  /** Turn a result list (kept server-side under `key`) to `page`. */
  | { kind: 'page'; key: string; page: number }
  /** Read one article in full. */
  | { kind: 'article'; id: string }
  /** The items related to one article. */
  | { kind: 'related'; id: string }
  /** List one county's items. */
  | { kind: 'county'; name: string }
  /** Search for a suggested word. */
  | { kind: 'search'; query: string };

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The `callback_data` for an action, or null when it would not fit in 64 bytes (the caller then
 * leaves the button out rather than have Telegram reject the whole message).
 * @example encodeCallback({ kind: 'page', key: 'k3f9', page: 2 }) // 'p:k3f9:2'
 */
export function encodeCallback(action: CallbackAction): string | null {
  let data: string;
  switch (action.kind) {
    case 'page':
      if (!/^[a-z0-9]+$/.test(action.key) || !Number.isInteger(action.page) || action.page < 1) return null;
      data = `p:${action.key}:${action.page}`;
      break;
    case 'article':
      if (!/^[A-Za-z0-9_-]+$/.test(action.id)) return null;
      data = `a:${action.id}`;
      break;
    case 'related':
      if (!/^[A-Za-z0-9_-]+$/.test(action.id)) return null;
      data = `r:${action.id}`;
      break;
    case 'county':
      if (action.name === '') return null;
      data = `c:${action.name}`;
      break;
    case 'search':
      if (action.query.trim() === '') return null;
      data = `s:${action.query}`;
      break;
  }
  return byteLength(data) <= CALLBACK_DATA_MAX_BYTES ? data : null;
}

/** The action a button's data stands for, or null for anything this bot did not make. */
export function decodeCallback(data: string): CallbackAction | null {
  const page = /^p:([a-z0-9]+):(\d{1,6})$/.exec(data);
  if (page) return { kind: 'page', key: page[1]!, page: Number(page[2]) || 1 };
  const article = /^a:([A-Za-z0-9_-]+)$/.exec(data);
  if (article) return { kind: 'article', id: article[1]! };
  const related = /^r:([A-Za-z0-9_-]+)$/.exec(data);
  if (related) return { kind: 'related', id: related[1]! };
  if (data.startsWith('c:') && data.length > 2) return { kind: 'county', name: data.slice(2) };
  if (data.startsWith('s:') && data.trim().length > 2) return { kind: 'search', query: data.slice(2) };
  return null;
}
