/**
 * `/export` and `/import`: a chat's topics and schedule as a small versioned JSON document, so a
 * reader can keep it or move it to another chat. Import checks everything and says what it did.
 */
import { MAX_TOPIC_CHARS, topicKey } from './topic-key.js';
import { isValidDigestTime, isValidTimeZone, type DeliveryMode } from './store.js';
import type { ImportRequest, Subscriptions } from './subscriptions.js';

export const SUBSCRIPTIONS_FORMAT = 'quzhou-news-bot/subscriptions';
export const SUBSCRIPTIONS_VERSION = 1;
/** Larger files are refused before parsing. */
export const MAX_IMPORT_BYTES = 64 * 1024;

export interface SubscriptionsFile {
  format: typeof SUBSCRIPTIONS_FORMAT;
  version: number;
  exportedAt: string;
  topics: Array<{ query: string; createdAt: string }>;
  settings: { mode: DeliveryMode; digestTime: string; timeZone: string };
}

export type SkipReason = 'duplicate' | 'limit' | 'empty' | 'too-long' | 'invalid';

export type ImportResult =
  | {
      ok: true;
      added: string[];
      skipped: Array<{ query: string; reason: SkipReason }>;
      /** Settings taken from the file; false when it had none or they were invalid. */
      settingsApplied: boolean;
    }
  | { ok: false; problem: 'too-large' | 'not-json' | 'wrong-format' | 'unsupported-version'; detail: string };

/** The chat's subscriptions as pretty JSON text (the adapter sends it as a file). */
export async function exportSubscriptions(store: Pick<Subscriptions, 'getSettings' | 'listTopics'>, chatId: number, now: number): Promise<string> {
  const settings = await store.getSettings(chatId);
  const file: SubscriptionsFile = {
    format: SUBSCRIPTIONS_FORMAT,
    version: SUBSCRIPTIONS_VERSION,
    exportedAt: new Date(now).toISOString(),
    topics: (await store.listTopics(chatId)).map((t) => ({ query: t.query, createdAt: new Date(t.createdAt).toISOString() })),
    settings: {
      mode: settings?.mode ?? 'instant',
      digestTime: settings?.digestTime ?? '08:00',
      timeZone: settings?.timeZone ?? 'Asia/Shanghai',
    },
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Add the file's topics to the chat (keeping what it has) and apply its schedule, in one transaction.
 * Topics over the limit, duplicates and bad entries are skipped and listed, never fatal; a file
 * refused as a whole changes nothing.
 */
export async function importSubscriptions(
  store: Pick<Subscriptions, 'importTopics'>,
  chatId: number,
  text: string,
  now: number,
): Promise<ImportResult> {
  if (Buffer.byteLength(text, 'utf8') > MAX_IMPORT_BYTES) {
    return { ok: false, problem: 'too-large', detail: `more than ${MAX_IMPORT_BYTES} bytes` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, problem: 'not-json', detail: (error as Error).message };
  }
  if (!isRecord(data) || data.format !== SUBSCRIPTIONS_FORMAT || !Array.isArray(data.topics)) {
    return { ok: false, problem: 'wrong-format', detail: `expected {"format": "${SUBSCRIPTIONS_FORMAT}", "topics": [...]}` };
  }
  if (typeof data.version !== 'number' || !Number.isInteger(data.version) || data.version < 1 || data.version > SUBSCRIPTIONS_VERSION) {
    return { ok: false, problem: 'unsupported-version', detail: `version ${String(data.version)}, this bot reads 1 to ${SUBSCRIPTIONS_VERSION}` };
  }
  // In file order: an entry refused here, or the index of a query the store decides on.
  const entries: Array<{ query: string; reason: SkipReason } | number> = [];
  const queries: string[] = [];
  for (const entry of data.topics as unknown[]) {
    const query = typeof entry === 'string' ? entry : isRecord(entry) && typeof entry.query === 'string' ? entry.query : null;
    if (query === null) entries.push({ query: describeEntry(entry), reason: 'invalid' });
    else if (topicKey(query) === '') entries.push({ query, reason: 'empty' });
    else if (query.trim().length > MAX_TOPIC_CHARS) entries.push({ query: query.slice(0, MAX_TOPIC_CHARS), reason: 'too-long' });
    else entries.push(queries.push(query) - 1);
  }
  const settings = data.settings;
  const request: ImportRequest = {
    queries,
    settings:
      isRecord(settings) &&
      (settings.mode === 'instant' || settings.mode === 'daily') &&
      typeof settings.digestTime === 'string' &&
      isValidDigestTime(settings.digestTime) &&
      typeof settings.timeZone === 'string' &&
      isValidTimeZone(settings.timeZone)
        ? { mode: settings.mode, digestTime: settings.digestTime, timeZone: settings.timeZone }
        : null,
  };
  const outcome = await store.importTopics(chatId, request, now);
  const added: string[] = [];
  const skipped: Array<{ query: string; reason: SkipReason }> = [];
  for (const entry of entries) {
    if (typeof entry !== 'number') {
      skipped.push(entry);
      continue;
    }
    const result = outcome.results[entry]!;
    if (result.kind === 'added') added.push(result.topic.query);
    else if (result.kind === 'duplicate' || result.kind === 'limit') skipped.push({ query: queries[entry]!, reason: result.kind });
    else skipped.push({ query: queries[entry]!, reason: 'invalid' });
  }
  return { ok: true, added, skipped, settingsApplied: outcome.settingsApplied };
}

/**
 * An invalid entry, shortly, for the skip report. Never the whole value: an array nested thousands
 * deep (a few KiB of `[`) would overflow the stack of JSON.stringify.
 */
function describeEntry(entry: unknown): string {
  if (Array.isArray(entry)) return `[…${entry.length}]`;
  if (isRecord(entry)) return `{${Object.keys(entry).slice(0, 3).join(', ')}}`.slice(0, 50);
  return String(entry).slice(0, 50);
}
