/**
 * `/export` and `/import` on Telegram: where the subscriptions file comes from (a document, a reply
 * to one, or pasted text) and how it goes out (a document, or text when documents fail).
 */
import type { Context } from 'telegraf';
import type { Document, Message } from 'telegraf/types';
import { MAX_IMPORT_BYTES } from '../subscriptions/subscriptions-file.js';

/** Where `/import` finds the file. */
export type ImportSource =
  | { kind: 'text'; text: string }
  | { kind: 'document'; document: Document }
  | { kind: 'none' };

/** Loads a document's bytes as text; rejects on any failure. */
export type DownloadDocument = (ctx: Context, document: Document) => Promise<string>;

/**
 * The JSON object in a text: from the first `{` to the last `}` (the bot's own text export may be
 * copied with a line around it); the text itself when it has no braces.
 */
export function extractJson(text: string): string {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  return start >= 0 && end > start ? text.slice(start, end + 1) : text;
}

/**
 * What an `/import` message (or a document sent with the caption /import) refers to: the text after
 * the command, else its own document, else the message it replies to (document or text).
 */
export function importSource(message: Message, argument: string): ImportSource {
  if (argument.trim() !== '') return { kind: 'text', text: argument };
  if ('document' in message && message.document) return { kind: 'document', document: message.document };
  const replied = 'reply_to_message' in message ? message.reply_to_message : undefined;
  if (replied && 'document' in replied && replied.document) return { kind: 'document', document: replied.document };
  if (replied && 'text' in replied && typeof replied.text === 'string' && replied.text.trim() !== '') {
    return { kind: 'text', text: replied.text };
  }
  return { kind: 'none' };
}

/** Whether a document is too large to be a subscriptions file, before downloading it. */
export function isTooLarge(document: Document): boolean {
  return document.file_size !== undefined && document.file_size > MAX_IMPORT_BYTES;
}

/** Download through the Bot API's file endpoint (`getFile`, then GET the file URL), within 15 seconds. */
export const downloadDocument: DownloadDocument = async (ctx, document) => {
  const link = await ctx.telegram.getFileLink(document.file_id);
  const response = await fetch(link, { signal: AbortSignal.timeout(15_000) });
  if (!response.ok) throw new Error(`file download failed: HTTP ${response.status}`);
  // Telegram's own 20 MB download limit bounds this; the importer refuses more than MAX_IMPORT_BYTES.
  return Buffer.from(await response.arrayBuffer()).toString('utf8');
};
