/**
 * Chats, their topics and settings, and the items waiting for their digest: everything a reader
 * set up, kept in the subscriptions database. Times are epoch milliseconds passed in by the caller.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from './database.js';
import { MAX_TOPIC_CHARS, topicKey } from './topic-key.js';
import { isValidDigestTime, isValidTimeZone } from '../time-settings.js';

/** Most topics one chat may hold. */
export const MAX_TOPICS_PER_CHAT = 20;

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';
export type DeliveryMode = 'instant' | 'daily';

export interface ChatRecord {
  id: number;
  type: ChatType;
  /** The reader's language for rendering (`zh` or `en`). */
  language: string;
  active: boolean;
  deactivatedReason: string | null;
  deactivatedAt: number | null;
  /** Set when the group became a supergroup: everything moved to this id. */
  migratedTo: number | null;
  createdAt: number;
}

export interface Topic {
  id: number;
  chatId: number;
  /** The query as the reader typed it. */
  query: string;
  /** Normalised query (see `topicKey`), unique per chat. */
  key: string;
  createdAt: number;
  lastDigestAt: number | null;
}

export interface ChatSettings {
  mode: DeliveryMode;
  /** `HH:MM` in `timeZone`. */
  digestTime: string;
  timeZone: string;
  paused: boolean;
  lastDigestAt: number | null;
  /** When the current schedule began: the first daily digest is the first run after this. */
  scheduleSince: number;
}

export interface SettingsDefaults {
  digestTime: string;
  timeZone: string;
}

export type SettingsPatch = Partial<Pick<ChatSettings, 'mode' | 'digestTime' | 'timeZone' | 'paused'>>;

export type SettingsResult =
  | { ok: true; settings: ChatSettings }
  | { ok: false; problem: 'bad-digest-time' | 'bad-time-zone' | 'unknown-chat'; value: string };

export type AddTopicResult =
  | { kind: 'added'; topic: Topic }
  | { kind: 'duplicate'; topic: Topic }
  | { kind: 'limit'; max: number }
  | { kind: 'empty' }
  | { kind: 'too-long'; max: number }
  | { kind: 'unknown-chat' };

/** One chat as the fan-out sees it. */
export interface Subscriber {
  chat: ChatRecord;
  settings: ChatSettings;
  topics: Topic[];
}

export interface PendingItem {
  chatId: number;
  itemId: string;
  storyKey: string;
  topicId: number;
  page: string;
  createdAt: number;
}

export interface NewChat {
  id: number;
  type: ChatType;
  language?: string;
}

/** A chats row; SQLite stores booleans as 0/1, PostgreSQL as booleans. */
export interface ChatRow {
  id: number;
  type: ChatType;
  language: string;
  active: number | boolean;
  deactivated_reason: string | null;
  deactivated_at: number | null;
  migrated_to: number | null;
  created_at: number;
}

export interface SettingsRow {
  chat_id: number;
  mode: DeliveryMode;
  digest_time: string;
  time_zone: string;
  paused: number | boolean;
  last_digest_at: number | null;
  schedule_since: number;
}

export interface TopicRow {
  id: number;
  chat_id: number;
  query: string;
  key: string;
  created_at: number;
  last_digest_at: number | null;
}

// The validators are shared with the config, so a setting and a reader's choice obey one rule.
export { isValidDigestTime, isValidTimeZone };

export function toChat(row: ChatRow): ChatRecord {
  return {
    id: row.id,
    type: row.type,
    language: row.language,
    active: row.active === 1 || row.active === true,
    deactivatedReason: row.deactivated_reason,
    deactivatedAt: row.deactivated_at,
    migratedTo: row.migrated_to,
    createdAt: row.created_at,
  };
}

export function toSettings(row: SettingsRow): ChatSettings {
  return {
    mode: row.mode,
    digestTime: row.digest_time,
    timeZone: row.time_zone,
    paused: row.paused === 1 || row.paused === true,
    lastDigestAt: row.last_digest_at,
    scheduleSince: row.schedule_since,
  };
}

export function toTopic(row: TopicRow): Topic {
  return {
    id: row.id,
    chatId: row.chat_id,
    query: row.query,
    key: row.key,
    createdAt: row.created_at,
    lastDigestAt: row.last_digest_at,
  };
}

/**
 * The reader-owned state. Create one per database and pass it to the fan-out, digests and handlers.
 * @example const store = new SubscriptionStore(db, { digestTime: '08:00', timeZone: 'Asia/Shanghai' });
 */
export class SubscriptionStore {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    readonly db: Database,
    private readonly defaults: SettingsDefaults,
  ) {
    if (!isValidDigestTime(defaults.digestTime)) throw new Error(`SubscriptionStore: bad default digest time "${defaults.digestTime}"`);
    if (!isValidTimeZone(defaults.timeZone)) throw new Error(`SubscriptionStore: bad default time zone "${defaults.timeZone}"`);
  }

  /** Prepared once per SQL text: preparing costs more than running these small statements. */
  private sql(text: string): BetterSqlite3.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /**
   * Make sure a chat exists (call on every command). A chat that had blocked the bot and now talks
   * to it again is active again; a chat that moved to a supergroup is not revived.
   */
  registerChat(chat: NewChat, now: number): ChatRecord {
    this
      .sql(
        `INSERT INTO chats (id, type, language, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
           type = excluded.type,
           language = COALESCE(?, chats.language),
           active = CASE WHEN chats.migrated_to IS NULL THEN 1 ELSE chats.active END,
           deactivated_reason = CASE WHEN chats.migrated_to IS NULL THEN NULL ELSE chats.deactivated_reason END,
           deactivated_at = CASE WHEN chats.migrated_to IS NULL THEN NULL ELSE chats.deactivated_at END`,
      )
      .run(chat.id, chat.type, chat.language ?? 'zh', now, chat.language ?? null);
    this
      .sql(
        `INSERT OR IGNORE INTO settings (chat_id, digest_time, time_zone, schedule_since) VALUES (?, ?, ?, ?)`,
      )
      .run(chat.id, this.defaults.digestTime, this.defaults.timeZone, now);
    return this.getChat(chat.id)!;
  }

  getChat(id: number): ChatRecord | null {
    const row = this.sql('SELECT * FROM chats WHERE id = ?').get(id) as ChatRow | undefined;
    return row ? toChat(row) : null;
  }

  /** Stop sending to a chat (blocked, kicked, not found) and keep why; its topics are kept. */
  deactivateChat(id: number, reason: string, now: number): void {
    this
      .sql('UPDATE chats SET active = 0, deactivated_reason = ?, deactivated_at = ? WHERE id = ?')
      .run(reason, now, id);
  }

  /**
   * Follow a group that became a supergroup: topics, settings, pending items, deliveries and unsent
   * outbox rows move to `toId`; the old id stays as an inactive record pointing at the new one.
   */
  migrateChat(fromId: number, toId: number, now: number): void {
    const db = this.db;
    db.transaction(() => {
      const from = this.getChat(fromId);
      if (!from || fromId === toId) return;
      if (!this.getChat(toId)) {
        this.sql(`INSERT INTO chats (id, type, language, created_at) VALUES (?, 'supergroup', ?, ?)`).run(
          toId,
          from.language,
          now,
        );
      }
      // The old chat's settings win unless the new id already had its own.
      this.sql(
        `INSERT OR IGNORE INTO settings (chat_id, mode, digest_time, time_zone, paused, last_digest_at, schedule_since)
         SELECT ?, mode, digest_time, time_zone, paused, last_digest_at, schedule_since FROM settings WHERE chat_id = ?`,
      ).run(toId, fromId);
      // Topics the new chat already has (same key) stay; the rest move.
      this.sql(`UPDATE OR IGNORE topics SET chat_id = ? WHERE chat_id = ?`).run(toId, fromId);
      this.sql(
        `UPDATE OR IGNORE pending_items SET chat_id = ?,
           topic_id = COALESCE((SELECT t.id FROM topics t JOIN topics o ON o.id = pending_items.topic_id
                                WHERE t.chat_id = ? AND t.key = o.key), topic_id)
         WHERE chat_id = ?`,
      ).run(toId, toId, fromId);
      this.sql(`UPDATE OR IGNORE deliveries SET chat_id = ? WHERE chat_id = ?`).run(toId, fromId);
      this.sql(`UPDATE OR IGNORE outbox_items SET chat_id = ? WHERE chat_id = ?`).run(toId, fromId);
      this.sql(
        `UPDATE outbox SET chat_id = ?, updated_at = ? WHERE chat_id = ? AND state IN ('pending', 'sending', 'failed')`,
      ).run(toId, now, fromId);
      // Rows left behind were duplicates of what the new chat already had.
      this.sql('DELETE FROM pending_items WHERE chat_id = ?').run(fromId);
      this.sql('DELETE FROM topics WHERE chat_id = ?').run(fromId);
      this.sql(
        `UPDATE chats SET active = 0, migrated_to = ?, deactivated_reason = 'migrated to supergroup', deactivated_at = ?
         WHERE id = ?`,
      ).run(toId, now, fromId);
      this.sql(`UPDATE chats SET active = 1, deactivated_reason = NULL, deactivated_at = NULL WHERE id = ?`).run(toId);
    }).immediate();
  }

  getSettings(chatId: number): ChatSettings | null {
    const row = this.sql('SELECT * FROM settings WHERE chat_id = ?').get(chatId) as SettingsRow | undefined;
    return row ? toSettings(row) : null;
  }

  /**
   * Change mode, digest time, time zone or pause. A new schedule starts now: the first digest is
   * the next run after the change, not one for a time already past.
   */
  updateSettings(chatId: number, patch: SettingsPatch, now: number): SettingsResult {
    if (patch.digestTime !== undefined && !isValidDigestTime(patch.digestTime)) {
      return { ok: false, problem: 'bad-digest-time', value: patch.digestTime };
    }
    if (patch.timeZone !== undefined && !isValidTimeZone(patch.timeZone)) {
      return { ok: false, problem: 'bad-time-zone', value: patch.timeZone };
    }
    const current = this.getSettings(chatId);
    if (!current) return { ok: false, problem: 'unknown-chat', value: String(chatId) };
    const next = { ...current, ...patch };
    const scheduleChanged =
      next.mode !== current.mode || next.digestTime !== current.digestTime || next.timeZone !== current.timeZone;
    this
      .sql(
        `UPDATE settings SET mode = ?, digest_time = ?, time_zone = ?, paused = ?, schedule_since = ? WHERE chat_id = ?`,
      )
      .run(next.mode, next.digestTime, next.timeZone, next.paused ? 1 : 0, scheduleChanged ? now : current.scheduleSince, chatId);
    return { ok: true, settings: this.getSettings(chatId)! };
  }

  /** Subscribe a chat to a query in the search syntax; at most `MAX_TOPICS_PER_CHAT`. */
  addTopic(chatId: number, query: string, now: number): AddTopicResult {
    const text = query.trim();
    const key = topicKey(text);
    if (key === '') return { kind: 'empty' };
    if (text.length > MAX_TOPIC_CHARS) return { kind: 'too-long', max: MAX_TOPIC_CHARS };
    return this.db
      .transaction((): AddTopicResult => {
        if (!this.getChat(chatId)) return { kind: 'unknown-chat' };
        const existing = this
          .sql('SELECT * FROM topics WHERE chat_id = ? AND key = ?')
          .get(chatId, key) as TopicRow | undefined;
        if (existing) return { kind: 'duplicate', topic: toTopic(existing) };
        const count = this.sql('SELECT COUNT(*) AS n FROM topics WHERE chat_id = ?').get(chatId) as { n: number };
        if (count.n >= MAX_TOPICS_PER_CHAT) return { kind: 'limit', max: MAX_TOPICS_PER_CHAT };
        const info = this
          .sql('INSERT INTO topics (chat_id, query, key, created_at) VALUES (?, ?, ?, ?)')
          .run(chatId, text, key, now);
        const row = this.sql('SELECT * FROM topics WHERE id = ?').get(info.lastInsertRowid) as TopicRow;
        return { kind: 'added', topic: toTopic(row) };
      })
      .immediate();
  }

  /** The chat's topics, oldest first. */
  listTopics(chatId: number): Topic[] {
    const rows = this.sql('SELECT * FROM topics WHERE chat_id = ? ORDER BY id').all(chatId) as TopicRow[];
    return rows.map(toTopic);
  }

  /** Remove one topic by id (a button); false when it was not this chat's. Its pending items go with it. */
  removeTopic(chatId: number, topicId: number): boolean {
    return this.sql('DELETE FROM topics WHERE chat_id = ? AND id = ?').run(chatId, topicId).changes > 0;
  }

  /** Remove a topic by its text as typed (`/unsubscribe 开化`), matched by normalised key. */
  removeTopicByQuery(chatId: number, query: string): Topic | null {
    const row = this
      .sql('SELECT * FROM topics WHERE chat_id = ? AND key = ?')
      .get(chatId, topicKey(query)) as TopicRow | undefined;
    if (!row) return null;
    this.removeTopic(chatId, row.id);
    return toTopic(row);
  }

  /** Every active chat that has at least one topic, with its settings and topics. */
  subscribers(): Subscriber[] {
    const rows = this
      .sql(
        `SELECT c.id AS c_id, c.type, c.language, c.active, c.deactivated_reason, c.deactivated_at, c.migrated_to,
                c.created_at AS c_created_at, s.mode, s.digest_time, s.time_zone, s.paused,
                s.last_digest_at AS s_last_digest_at, s.schedule_since,
                t.id AS t_id, t.query, t.key, t.created_at AS t_created_at, t.last_digest_at AS t_last_digest_at
         FROM chats c JOIN settings s ON s.chat_id = c.id JOIN topics t ON t.chat_id = c.id
         WHERE c.active = 1 ORDER BY c.id, t.id`,
      )
      .all() as Array<Record<string, unknown>>;
    const result: Subscriber[] = [];
    let last: Subscriber | undefined;
    for (const r of rows) {
      const chatId = r.c_id as number;
      if (!last || last.chat.id !== chatId) {
        last = {
          chat: toChat({
            id: chatId,
            type: r.type as ChatType,
            language: r.language as string,
            active: r.active as number,
            deactivated_reason: r.deactivated_reason as string | null,
            deactivated_at: r.deactivated_at as number | null,
            migrated_to: r.migrated_to as number | null,
            created_at: r.c_created_at as number,
          }),
          settings: toSettings({
            chat_id: chatId,
            mode: r.mode as DeliveryMode,
            digest_time: r.digest_time as string,
            time_zone: r.time_zone as string,
            paused: r.paused as number,
            last_digest_at: r.s_last_digest_at as number | null,
            schedule_since: r.schedule_since as number,
          }),
          topics: [],
        };
        result.push(last);
      }
      last.topics.push(
        toTopic({
          id: r.t_id as number,
          chat_id: chatId,
          query: r.query as string,
          key: r.key as string,
          created_at: r.t_created_at as number,
          last_digest_at: r.t_last_digest_at as number | null,
        }),
      );
    }
    return result;
  }

  /** Active chats in daily mode, not paused, with their settings (for the scheduler). */
  dailyChats(): Array<{ chatId: number; settings: ChatSettings }> {
    const rows = this
      .sql(
        `SELECT s.* FROM settings s JOIN chats c ON c.id = s.chat_id
         WHERE c.active = 1 AND s.mode = 'daily' AND s.paused = 0 ORDER BY s.chat_id`,
      )
      .all() as SettingsRow[];
    return rows.map((row) => ({ chatId: row.chat_id, settings: toSettings(row) }));
  }

  /** Record that a digest ran for the chat (and all its topics) at `at`. */
  setLastDigest(chatId: number, at: number): void {
    this.sql('UPDATE settings SET last_digest_at = ? WHERE chat_id = ?').run(at, chatId);
    this.sql('UPDATE topics SET last_digest_at = ? WHERE chat_id = ?').run(at, chatId);
  }

  /** Hold a matched item for the chat's next digest; false when it was already held. */
  addPending(item: PendingItem): boolean {
    return (
      this
        .sql(
          `INSERT OR IGNORE INTO pending_items (chat_id, item_id, story_key, topic_id, page, created_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(item.chatId, item.itemId, item.storyKey, item.topicId, item.page, item.createdAt).changes > 0
    );
  }

  /** Items held for the chat's digest, in the order they were matched. */
  pendingItems(chatId: number): PendingItem[] {
    const rows = this
      .sql('SELECT * FROM pending_items WHERE chat_id = ? ORDER BY created_at, id')
      .all(chatId) as Array<{
      chat_id: number;
      item_id: string;
      story_key: string;
      topic_id: number;
      page: string;
      created_at: number;
    }>;
    return rows.map((r) => ({
      chatId: r.chat_id,
      itemId: r.item_id,
      storyKey: r.story_key,
      topicId: r.topic_id,
      page: r.page,
      createdAt: r.created_at,
    }));
  }

  clearPending(chatId: number, itemIds: readonly string[]): void {
    const del = this.sql('DELETE FROM pending_items WHERE chat_id = ? AND item_id = ?');
    for (const id of itemIds) del.run(chatId, id);
  }

  /** Whether the chat already has, or is about to get, this item or another version of the same story. */
  isKnownToChat(chatId: number, itemId: string, storyKey: string): boolean {
    const row = this
      .sql(
        `SELECT 1 FROM deliveries WHERE chat_id = @chatId AND (item_id = @itemId OR story_key = @storyKey)
         UNION ALL SELECT 1 FROM outbox_items WHERE chat_id = @chatId AND (item_id = @itemId OR story_key = @storyKey)
         UNION ALL SELECT 1 FROM pending_items WHERE chat_id = @chatId AND (item_id = @itemId OR story_key = @storyKey)
         LIMIT 1`,
      )
      .get({ chatId, itemId, storyKey });
    return row !== undefined;
  }
}
