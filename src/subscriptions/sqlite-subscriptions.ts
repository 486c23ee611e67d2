/**
 * `Subscriptions` on SQLite (the default, one process): the synchronous store, outbox, fan-out and
 * digest behind the async interface. better-sqlite3 answers at once, so every method is one
 * synchronous transaction wrapped in a promise.
 */
import { queueDigest } from './digest.js';
import { openDatabase, type Database, type OpenDatabaseOptions } from './database.js';
import { fanOut, type FanOutItem, type MatchTopic } from './fan-out.js';
import { Outbox } from './outbox.js';
import { SubscriptionStore, type AddTopicResult, type NewChat, type SettingsDefaults, type SettingsPatch } from './store.js';
import {
  newListKey,
  RESULT_LIST_TTL_MS,
  type ImportOutcome,
  type ImportRequest,
  type ResultLists,
  type StoreCounts,
  type Subscriptions,
} from './subscriptions.js';

export class SqliteSubscriptions implements Subscriptions {
  readonly kind = 'sqlite';
  readonly store: SubscriptionStore;
  readonly outbox: Outbox;
  readonly lists: ResultLists<unknown>;

  constructor(
    readonly db: Database,
    defaults: SettingsDefaults,
    listTtlMs = RESULT_LIST_TTL_MS,
  ) {
    this.store = new SubscriptionStore(db, defaults);
    this.outbox = new Outbox(db);
    this.lists = sqliteResultLists(db, listTtlMs);
  }

  async registerChat(chat: NewChat, now: number) {
    return this.store.registerChat(chat, now);
  }
  async getChat(id: number) {
    return this.store.getChat(id);
  }
  async deactivateChat(id: number, reason: string, now: number) {
    this.db.transaction(() => {
      this.store.deactivateChat(id, reason, now);
      this.outbox.cancelChat(id, `chat deactivated: ${reason}`, now);
    })();
  }
  async migrateChat(fromId: number, toId: number, now: number) {
    this.store.migrateChat(fromId, toId, now);
  }
  async getSettings(chatId: number) {
    return this.store.getSettings(chatId);
  }
  async updateSettings(chatId: number, patch: SettingsPatch, now: number) {
    return this.store.updateSettings(chatId, patch, now);
  }
  async addTopic(chatId: number, query: string, now: number) {
    return this.store.addTopic(chatId, query, now);
  }
  async listTopics(chatId: number) {
    return this.store.listTopics(chatId);
  }
  async removeTopic(chatId: number, topicId: number) {
    return this.store.removeTopic(chatId, topicId);
  }
  async removeTopicByQuery(chatId: number, query: string) {
    return this.store.removeTopicByQuery(chatId, query);
  }
  async pendingItems(chatId: number) {
    return this.store.pendingItems(chatId);
  }
  async dailyChats() {
    return this.store.dailyChats();
  }
  async queueDigest(chatId: number, now: number) {
    return queueDigest({ store: this.store, outbox: this.outbox }, chatId, now);
  }
  async importTopics(chatId: number, request: ImportRequest, now: number): Promise<ImportOutcome> {
    return this.db
      .transaction((): ImportOutcome => {
        const results: AddTopicResult[] = request.queries.map((query) => this.store.addTopic(chatId, query, now));
        const settingsApplied = request.settings ? this.store.updateSettings(chatId, request.settings, now).ok : false;
        return { results, settingsApplied };
      })
      .immediate();
  }
  async fanOut(items: readonly FanOutItem[], match: MatchTopic, now: number) {
    return fanOut({ store: this.store, outbox: this.outbox, match }, items, now);
  }
  async counts(): Promise<StoreCounts> {
    const row = this.db.prepare('SELECT (SELECT COUNT(*) FROM chats) AS chats, (SELECT COUNT(*) FROM topics) AS topics').get() as {
      chats: number;
      topics: number;
    };
    return { chats: row.chats, topics: row.topics, outbox: { ...this.outbox.counts() } };
  }
  async followedTopics(minChats: number, limit: number): Promise<Array<{ query: string; chats: number }>> {
    return this.db
      .prepare(
        `SELECT (SELECT t.query FROM topics t WHERE t.key = topics.key ORDER BY t.id LIMIT 1) AS query, COUNT(*) AS chats
         FROM topics JOIN chats ON chats.id = topics.chat_id WHERE chats.active = 1
         GROUP BY topics.key HAVING COUNT(*) >= ? ORDER BY chats DESC, topics.key LIMIT ?`,
      )
      .all(minChats, limit) as Array<{ query: string; chats: number }>;
  }
  async close() {
    this.db.close();
  }
}

/**
 * @example const subs = openSqliteSubscriptions(config.dbPath, { digestTime: '08:00', timeZone: 'Asia/Shanghai' });
 * @throws DatabaseOpenError naming the file when it cannot be used (it is never reset).
 */
export function openSqliteSubscriptions(path: string, defaults: SettingsDefaults, options: OpenDatabaseOptions = {}): SqliteSubscriptions {
  return new SqliteSubscriptions(openDatabase(path, options), defaults);
}

function sqliteResultLists(db: Database, ttlMs: number): ResultLists<unknown> {
  const insert = db.prepare('INSERT INTO result_lists (key, chat_id, value, touched_at) VALUES (?, ?, ?, ?)');
  const prune = db.prepare('DELETE FROM result_lists WHERE touched_at < ?');
  const touch = db.prepare('UPDATE result_lists SET touched_at = ? WHERE key = ? AND chat_id = ? AND touched_at > ? RETURNING value');
  let puts = 0;
  return {
    async put(chatId, value, now) {
      const key = newListKey();
      insert.run(key, chatId, JSON.stringify(value), now);
      if (++puts % 100 === 1) prune.run(now - ttlMs);
      return key;
    },
    async get(chatId, key, now) {
      const row = touch.get(now, key, chatId, now - ttlMs) as { value: string } | undefined;
      return row ? JSON.parse(row.value) : undefined;
    },
  };
}
