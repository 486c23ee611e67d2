/**
 * Inline keyboards. Every button's data goes through `encodeCallback`, so none is over 64 bytes:
 * a button that would not fit is left out rather than have Telegram reject the message.
 */
import type { CountyCount, ResultEntry } from '../answers/answer.js';
import type { Messages } from '../i18n/messages.js';
import { encodeCallback, type CallbackAction } from './callback-data.js';
import { truncateText } from './rich-text.js';

export type KeyboardButton = { text: string; callback_data: string } | { text: string; url: string };
export type InlineKeyboard = KeyboardButton[][];

const BUTTON_TITLE_MAX = 24;

function button(text: string, action: CallbackAction): KeyboardButton | null {
  const data = encodeCallback(action);
  return data === null ? null : { text, callback_data: data };
}

function present<T>(value: T | null): value is T {
  return value !== null;
}

/** One row per result: "1. 标题…" opens the article. */
export function articleRows(results: readonly ResultEntry[], messages: Messages, firstNumber = 1): InlineKeyboard {
  return results
    .map((r, i) => button(messages.readButton(firstNumber + i, truncateText(r.item.title, BUTTON_TITLE_MAX)), { kind: 'article', id: r.item.id }))
    .filter(present)
    .map((b) => [b]);
}

/** The 相关报道 button under an article. */
export function relatedRow(itemId: string, messages: Messages): InlineKeyboard {
  const b = button(messages.relatedButton, { kind: 'related', id: itemId });
  return b ? [[b]] : [];
}

/** 上一页 / 下一页 for a list kept under `key`; empty when there is only one page. */
export function pagerRow(key: string, page: number, pageCount: number, messages: Messages): KeyboardButton[] {
  const row: Array<KeyboardButton | null> = [];
  if (page > 1) row.push(button(`◀ ${messages.labels.previousPage}`, { kind: 'page', key, page: page - 1 }));
  if (page < pageCount) row.push(button(`${messages.labels.nextPage} ▶`, { kind: 'page', key, page: page + 1 }));
  return row.filter(present);
}

/** A button per county ("开化县 12 篇"), two to a row. */
export function countyRows(counties: readonly CountyCount[], messages: Messages): InlineKeyboard {
  const buttons = counties.map((c) => button(messages.countyCount(c.name, c.count), { kind: 'county', name: c.name })).filter(present);
  const rows: InlineKeyboard = [];
  for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
  return rows;
}

/** A button per suggested word, three to a row. */
export function suggestionRows(words: readonly string[]): InlineKeyboard {
  const buttons = words.map((w) => button(truncateText(w, BUTTON_TITLE_MAX), { kind: 'search', query: w })).filter(present);
  const rows: InlineKeyboard = [];
  for (let i = 0; i < buttons.length; i += 3) rows.push(buttons.slice(i, i + 3));
  return rows;
}
