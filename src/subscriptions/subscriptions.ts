/**
 * The one interface to everything a reader set up and everything the bot owes readers: chats,
 * topics, settings, held digest items, the fan-out's bookkeeping and the result lists behind page
 * buttons. Two implementations share it and one contract suite (`test/subscriptions/contract.test.ts`):
 * SQLite in one file (`sqlite-subscriptions.ts`, the default) and PostgreSQL shared by several
 * replicas (`pg-subscriptions.ts`, when `DATABASE_URL` is set). Every call is async because
 * PostgreSQL is; each call is one transaction, so a crash leaves the last whole unit of work.
 */
import { randomBytes } from 'node:crypto';
import type { FanOutItem, FanOutReport, MatchTopic } from './fan-out.js';
import type { OutboxContent } from './outbox.js';
import type {
  AddTopicResult,
  ChatRecord,
  ChatSettings,
  NewChat,
  PendingItem,
  SettingsPatch,
  SettingsResult,
  Topic,
} from './store.js';

export interface QueuedDigest {
  outboxId: number;
  content: OutboxContent;
}

/** What `/import` asks the store to apply, already checked by `subscriptions-file.ts`. */
export interface ImportRequest {
  queries: string[];
  /** The file's schedule, or null when it had none (or an invalid one). */
  settings: Required<Pick<SettingsPatch, 'mode' | 'digestTime' | 'timeZone'>> | null;
}

export interface ImportOutcome {
  /** One result per query, in order. */
  results: AddTopicResult[];
  settingsApplied: boolean;
}

/** A result list kept for its page buttons, bound to the chat it was shown in. */
export interface ResultLists<T> {
  /** Keep `value` for `chatId`; the key is `[a-z0-9]+`, short enough for callback data. */
  put(chatId: number, value: T, now: number): Promise<string>;
  /** The list, or undefined when unknown, expired, or another chat's. Using it renews its expiry. */
  get(chatId: number, key: string, now: number): Promise<T | undefined>;
}

export interface StoreCounts {
  chats: number;
  topics: number;
  /** Outbox rows by state (see `OutboxCounts`). */
  outbox: Record<string, number>;
}

/**
 * @example
 * const subs = config.databaseUrl ? await openPgSubscriptions(config.databaseUrl, defaults) : openSqliteSubscriptions(config.dbPath, defaults);
 * await subs.registerChat({ id: 7, type: 'private' }, clock.now());
 */
export interface Subscriptions {
  readonly kind: 'sqlite' | 'postgres';
  /** Make sure a chat exists (every command); a chat that had blocked the bot is active again. */
  registerChat(chat: NewChat, now: number): Promise<ChatRecord>;
  getChat(id: number): Promise<ChatRecord | null>;
  /** Stop sending to a chat (403) and keep why; its unsent messages are cancelled. */
  deactivateChat(id: number, reason: string, now: number): Promise<void>;
  /** A group became a supergroup: everything follows it. */
  migrateChat(fromId: number, toId: number, now: number): Promise<void>;
  getSettings(chatId: number): Promise<ChatSettings | null>;
  updateSettings(chatId: number, patch: SettingsPatch, now: number): Promise<SettingsResult>;
  addTopic(chatId: number, query: string, now: number): Promise<AddTopicResult>;
  /** Oldest first. */
  listTopics(chatId: number): Promise<Topic[]>;
  removeTopic(chatId: number, topicId: number): Promise<boolean>;
  removeTopicByQuery(chatId: number, query: string): Promise<Topic | null>;
  pendingItems(chatId: number): Promise<PendingItem[]>;
  /** Active daily, unpaused chats with their settings (the schedule looks which are due). */
  dailyChats(): Promise<Array<{ chatId: number; settings: ChatSettings }>>;
  /**
   * Move the chat's held items into one outbox message now and set its last digest time; null when
   * nothing was held. Two replicas asking at once queue one digest.
   */
  queueDigest(chatId: number, now: number): Promise<QueuedDigest | null>;
  /** Add the topics and apply the schedule of an import, in one transaction. */
  importTopics(chatId: number, request: ImportRequest, now: number): Promise<ImportOutcome>;
  /**
   * Match the items no fan-out has seen yet against every topic and queue or hold what each chat
   * has not had. Whichever replica sees an item first fans it out; the others find it seen.
   * @returns the outbox ids queued (the delivery side sends them) with the counts.
   */
  fanOut(items: readonly FanOutItem[], match: MatchTopic, now: number): Promise<FanOutReport & { outboxIds: number[] }>;
  counts(): Promise<StoreCounts>;
  /**
   * Topics followed by at least `minChats` active chats, most followed first, as the first of them
   * typed it: what readers care about, for suggestions (never one reader's private topic).
   */
  followedTopics(minChats: number, limit: number): Promise<Array<{ query: string; chats: number }>>;
  /** Result lists behind "next page" buttons. */
  readonly lists: ResultLists<unknown>;
  close(): Promise<void>;
}

/** Result lists unused this long are forgotten (a week: a reader may page through yesterday's search). */
export const RESULT_LIST_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** A result list's key: 12 random base-36 characters, unguessable and short enough for `p:<key>:<page>`. */
export function newListKey(): string {
  const bytes = randomBytes(8);
  return (bytes.readBigUInt64BE(0) % 36n ** 12n).toString(36).padStart(12, '0');
}
