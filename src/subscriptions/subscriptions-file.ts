/**
 * `/export` and `/import`: a chat's topics and schedule as a small versioned JSON document, so a
 * reader can keep it or move it to another chat. Import checks everything and says what it did.
 */
import { MAX_TOPIC_CHARS, topicKey } from './topic-key.js';
import {
  isValidDigestTime,
  isValidTimeZone,
  type DeliveryMode,
  type SubscriptionStore,
} from './store.js';

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
export function exportSubscriptions(store: SubscriptionStore, chatId: number, now: number): string {
  const settings = store.getSettings(chatId);
  const file: SubscriptionsFile = {
    format: SUBSCRIPTIONS_FORMAT,
    version: SUBSCRIPTIONS_VERSION,
    exportedAt: new Date(now).toISOString(),
    topics: store.listTopics(chatId).map((t) => ({ query: t.query, createdAt: new Date(t.createdAt).toISOString() })),
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
 * Add the file's topics to the chat (keeping what it has) and apply its schedule.
 * Topics over the limit, duplicates and bad entries are skipped and listed, never fatal.
 */
export function importSubscriptions(store: SubscriptionStore, chatId: number, text: string, now: number): ImportResult {
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
  const topics = data.topics as unknown[];
  const settings = data.settings;
  return store.db
    .transaction((): ImportResult => {
      const added: string[] = [];
      const skipped: Array<{ query: string; reason: SkipReason }> = [];
      for (const entry of topics) {
        const query = typeof entry === 'string' ? entry : isRecord(entry) && typeof entry.query === 'string' ? entry.query : null;
        if (query === null) {
          skipped.push({ query: JSON.stringify(entry)?.slice(0, 50) ?? String(entry), reason: 'invalid' });
          continue;
        }
        if (topicKey(query) === '') {
          skipped.push({ query, reason: 'empty' });
          continue;
        }
        if (query.trim().length > MAX_TOPIC_CHARS) {
          skipped.push({ query: query.slice(0, MAX_TOPIC_CHARS), reason: 'too-long' });
          continue;
        }
        const result = store.addTopic(chatId, query, now);
        if (result.kind === 'added') added.push(result.topic.query);
        else if (result.kind === 'duplicate') skipped.push({ query, reason: 'duplicate' });
        else if (result.kind === 'limit') skipped.push({ query, reason: 'limit' });
        else skipped.push({ query, reason: 'invalid' });
      }
      let settingsApplied = false;
      if (
        isRecord(settings) &&
        (settings.mode === 'instant' || settings.mode === 'daily') &&
        typeof settings.digestTime === 'string' &&
        isValidDigestTime(settings.digestTime) &&
        typeof settings.timeZone === 'string' &&
        isValidTimeZone(settings.timeZone)
      ) {
        const result = store.updateSettings(
          chatId,
          { mode: settings.mode, digestTime: settings.digestTime, timeZone: settings.timeZone },
          now,
        );
        settingsApplied = result.ok;
      }
      return { ok: true, added, skipped, settingsApplied };
    })
    .immediate();
}

