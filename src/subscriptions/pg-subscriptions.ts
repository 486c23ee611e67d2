/**
 * `Subscriptions` on PostgreSQL, shared by every replica of the bot. The same rules as the SQLite
 * store (`store.ts`, `fan-out.ts`, `digest.ts`); what several replicas add is handled by the
 * database: row locks where two replicas could race on one chat, and the `seen_items` key for the
 * fan-out (an item is fanned out by the one transaction that inserts it).
 */
import type pg from 'pg';
import { digestContent } from './digest.js';
import { distinctItems, planFanOut, type FanOutItem, type MatchTopic } from './fan-out.js';
import { openPgDatabase, transaction, type Pool, type Queryable } from './pg-database.js';
import { enqueueManyPg, enqueuePg, PgOutbox } from './pg-outbox.js';
import {
  isValidDigestTime,
  isValidTimeZone,
  MAX_TOPICS_PER_CHAT,
  toChat,
  toSettings,
  toTopic,
  type AddTopicResult,
  type ChatRecord,
  type ChatRow,
  type ChatSettings,
  type NewChat,
  type PendingItem,
  type SettingsDefaults,
  type SettingsPatch,
  type SettingsResult,
  type SettingsRow,
  type Subscriber,
  type Topic,
  type TopicRow,
} from './store.js';
import {
  newListKey,
  RESULT_LIST_TTL_MS,
  type ImportOutcome,
  type ImportRequest,
  type QueuedDigest,
  type ResultLists,
  type StoreCounts,
  type Subscriptions,
} from './subscriptions.js';
import { MAX_TOPIC_CHARS, topicKey } from './topic-key.js';

export class PgSubscriptions implements Subscriptions {
  readonly kind = 'postgres';
  readonly outbox: PgOutbox;
  readonly lists: ResultLists<unknown>;
  /**
   * Called after a transaction that queued outbox rows committed (the job queue gives them jobs).
   * If it fails or the process dies first, the delivery's sweep finds the rows.
   */
  afterQueued: ((outboxIds: number[]) => Promise<void>) | null = null;

  constructor(
    readonly pool: Pool,
    private readonly defaults: SettingsDefaults,
    listTtlMs = RESULT_LIST_TTL_MS,
  ) {
    if (!isValidDigestTime(defaults.digestTime)) throw new Error(`PgSubscriptions: bad default digest time "${defaults.digestTime}"`);
    if (!isValidTimeZone(defaults.timeZone)) throw new Error(`PgSubscriptions: bad default time zone "${defaults.timeZone}"`);
    this.outbox = new PgOutbox(pool);
    this.lists = pgResultLists(pool, listTtlMs);
  }

  private tx<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return transaction(this.pool, work);
  }

  async registerChat(chat: NewChat, now: number): Promise<ChatRecord> {
    return this.tx(async (c) => {
      const { rows } = await c.query<ChatRow>(
        `INSERT INTO chats (id, type, language, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET
           type = EXCLUDED.type,
           language = COALESCE($5, chats.language),
           active = CASE WHEN chats.migrated_to IS NULL THEN TRUE ELSE chats.active END,
           deactivated_reason = CASE WHEN chats.migrated_to IS NULL THEN NULL ELSE chats.deactivated_reason END,
           deactivated_at = CASE WHEN chats.migrated_to IS NULL THEN NULL ELSE chats.deactivated_at END
         RETURNING *`,
        [chat.id, chat.type, chat.language ?? 'zh', now, chat.language ?? null],
      );
      await c.query(
        `INSERT INTO settings (chat_id, digest_time, time_zone, schedule_since) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [chat.id, this.defaults.digestTime, this.defaults.timeZone, now],
      );
      return toChat(rows[0]!);
    });
  }

  async getChat(id: number): Promise<ChatRecord | null> {
    const { rows } = await this.pool.query<ChatRow>('SELECT * FROM chats WHERE id = $1', [id]);
    return rows[0] ? toChat(rows[0]) : null;
  }

  async deactivateChat(id: number, reason: string, now: number): Promise<void> {
    await this.tx(async (c) => {
      await c.query('UPDATE chats SET active = FALSE, deactivated_reason = $1, deactivated_at = $2 WHERE id = $3', [reason, now, id]);
      await c.query(
        `UPDATE outbox SET state = 'cancelled', last_error = $1, updated_at = $2 WHERE chat_id = $3 AND state IN ('pending', 'sending')`,
        [`chat deactivated: ${reason}`, now, id],
      );
    });
  }

  async migrateChat(fromId: number, toId: number, now: number): Promise<void> {
    if (fromId === toId) return;
    await this.tx(async (c) => {
      const from = (await c.query<ChatRow>('SELECT * FROM chats WHERE id = $1 FOR UPDATE', [fromId])).rows[0];
      if (!from) return;
      await c.query(`INSERT INTO chats (id, type, language, created_at) VALUES ($1, 'supergroup', $2, $3) ON CONFLICT DO NOTHING`, [
        toId,
        from.language,
        now,
      ]);
      await c.query(
        `INSERT INTO settings (chat_id, mode, digest_time, time_zone, paused, last_digest_at, schedule_since)
         SELECT $1, mode, digest_time, time_zone, paused, last_digest_at, schedule_since FROM settings WHERE chat_id = $2
         ON CONFLICT DO NOTHING`,
        [toId, fromId],
      );
      await c.query(
        `UPDATE topics SET chat_id = $1 WHERE chat_id = $2 AND key NOT IN (SELECT key FROM topics WHERE chat_id = $1)`,
        [toId, fromId],
      );
      await c.query(
        `UPDATE pending_items p SET chat_id = $1,
           topic_id = COALESCE((SELECT t.id FROM topics t JOIN topics o ON o.id = p.topic_id WHERE t.chat_id = $1 AND t.key = o.key), p.topic_id)
         WHERE p.chat_id = $2 AND p.item_id NOT IN (SELECT item_id FROM pending_items WHERE chat_id = $1)`,
        [toId, fromId],
      );
      await c.query(
        `UPDATE deliveries SET chat_id = $1 WHERE chat_id = $2 AND item_id NOT IN (SELECT item_id FROM deliveries WHERE chat_id = $1)`,
        [toId, fromId],
      );
      await c.query(
        `UPDATE outbox_items SET chat_id = $1 WHERE chat_id = $2 AND item_id NOT IN (SELECT item_id FROM outbox_items WHERE chat_id = $1)`,
        [toId, fromId],
      );
      await c.query(`UPDATE outbox SET chat_id = $1, updated_at = $3 WHERE chat_id = $2 AND state IN ('pending', 'sending', 'failed')`, [
        toId,
        fromId,
        now,
      ]);
      await c.query('DELETE FROM pending_items WHERE chat_id = $1', [fromId]);
      await c.query('DELETE FROM topics WHERE chat_id = $1', [fromId]);
      await c.query(
        `UPDATE chats SET active = FALSE, migrated_to = $1, deactivated_reason = 'migrated to supergroup', deactivated_at = $2 WHERE id = $3`,
        [toId, now, fromId],
      );
      await c.query('UPDATE chats SET active = TRUE, deactivated_reason = NULL, deactivated_at = NULL WHERE id = $1', [toId]);
    });
  }

  async getSettings(chatId: number): Promise<ChatSettings | null> {
    return getSettings(this.pool, chatId);
  }

  async updateSettings(chatId: number, patch: SettingsPatch, now: number): Promise<SettingsResult> {
    return this.tx((c) => updateSettings(c, chatId, patch, now));
  }

  async addTopic(chatId: number, query: string, now: number): Promise<AddTopicResult> {
    return this.tx((c) => addTopic(c, chatId, query, now));
  }

  async listTopics(chatId: number): Promise<Topic[]> {
    return listTopics(this.pool, chatId);
  }

  async removeTopic(chatId: number, topicId: number): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM topics WHERE chat_id = $1 AND id = $2', [chatId, topicId]);
    return (result.rowCount ?? 0) > 0;
  }

  async removeTopicByQuery(chatId: number, query: string): Promise<Topic | null> {
    const { rows } = await this.pool.query<TopicRow>('DELETE FROM topics WHERE chat_id = $1 AND key = $2 RETURNING *', [chatId, topicKey(query)]);
    return rows[0] ? toTopic(rows[0]) : null;
  }

  async pendingItems(chatId: number): Promise<PendingItem[]> {
    return pendingItems(this.pool, chatId);
  }

  async dailyChats(): Promise<Array<{ chatId: number; settings: ChatSettings }>> {
    const { rows } = await this.pool.query<SettingsRow>(
      `SELECT s.* FROM settings s JOIN chats c ON c.id = s.chat_id
       WHERE c.active AND s.mode = 'daily' AND NOT s.paused ORDER BY s.chat_id`,
    );
    return rows.map((row) => ({ chatId: row.chat_id, settings: toSettings(row) }));
  }

  async queueDigest(chatId: number, now: number): Promise<QueuedDigest | null> {
    const digest = await this.tx(async (c): Promise<QueuedDigest | null> => {
      // The settings row is the chat's lock: a second replica's digest waits, then finds nothing held.
      await c.query('SELECT 1 FROM settings WHERE chat_id = $1 FOR UPDATE', [chatId]);
      const pending = await pendingItems(c, chatId);
      const content = digestContent(pending, await listTopics(c, chatId));
      await c.query('UPDATE settings SET last_digest_at = $1 WHERE chat_id = $2', [now, chatId]);
      await c.query('UPDATE topics SET last_digest_at = $1 WHERE chat_id = $2', [now, chatId]);
      if (!content) return null;
      const byId = new Map(pending.map((p) => [p.itemId, p]));
      const items = content.topics.flatMap((t) => t.itemIds.map((itemId) => ({ itemId, storyKey: byId.get(itemId)!.storyKey })));
      await c.query('DELETE FROM pending_items WHERE chat_id = $1', [chatId]);
      const outboxId = await enqueuePg(c, chatId, content, items, now);
      if (outboxId === null) return null;
      const { rows } = await c.query<{ content: string }>('SELECT content FROM outbox WHERE id = $1', [outboxId]);
      return { outboxId, content: JSON.parse(rows[0]!.content) };
    });
    if (digest) await this.queued([digest.outboxId]);
    return digest;
  }

  private async queued(ids: number[]): Promise<void> {
    if (ids.length === 0 || !this.afterQueued) return;
    try {
      await this.afterQueued(ids);
    } catch {
      // The rows are committed: the delivery's sweep gives them their jobs.
    }
  }

  async importTopics(chatId: number, request: ImportRequest, now: number): Promise<ImportOutcome> {
    return this.tx(async (c) => {
      const results: AddTopicResult[] = [];
      for (const query of request.queries) results.push(await addTopic(c, chatId, query, now));
      const settingsApplied = request.settings ? (await updateSettings(c, chatId, request.settings, now)).ok : false;
      return { results, settingsApplied };
    });
  }

  async fanOut(items: readonly FanOutItem[], match: MatchTopic, now: number) {
    const report = { newItems: 0, messages: 0, queuedItems: 0, heldItems: 0, duplicates: 0, chats: 0, outboxIds: [] as number[] };
    const all = distinctItems(items);
    if (all.size === 0) return report;
    const done = await this.tx(async (c) => {
      // The claim: a replica that sees the same page later finds these rows and fans out nothing.
      const claimed = await c.query<{ item_id: string }>(
        `INSERT INTO seen_items (item_id, seen_at) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING RETURNING item_id`,
        [[...all.keys()], now],
      );
      const ids = new Set(claimed.rows.map((r) => r.item_id));
      const fresh = new Map([...all].filter(([id]) => ids.has(id)));
      report.newItems = fresh.size;
      if (fresh.size === 0) return report;
      const subscribers = await loadSubscribers(c);
      const known = await knownPairs(c, [...fresh.values()]);
      const plan = planFanOut(
        subscribers,
        fresh,
        match,
        (chatId, itemId, storyKey) => known.has(`${chatId}|i|${itemId}`) || known.has(`${chatId}|s|${storyKey}`),
        now,
      );
      report.duplicates = plan.duplicates;
      report.chats = plan.chats;
      if (plan.hold.length > 0) {
        const held = await c.query(
          `INSERT INTO pending_items (chat_id, item_id, story_key, topic_id, page, created_at)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[])
           ON CONFLICT DO NOTHING`,
          [
            plan.hold.map((h) => h.chatId),
            plan.hold.map((h) => h.itemId),
            plan.hold.map((h) => h.storyKey),
            plan.hold.map((h) => h.topicId),
            plan.hold.map((h) => h.page),
            plan.hold.map((h) => h.createdAt),
          ],
        );
        report.heldItems = held.rowCount ?? 0;
      }
      const kept = new Set(await enqueueManyPg(c, plan.messages, now));
      report.outboxIds = [...kept];
      report.messages = kept.size;
      const { rows: queued } = await c.query<{ n: number }>('SELECT COUNT(*) AS n FROM outbox_items WHERE outbox_id = ANY($1::bigint[])', [
        report.outboxIds,
      ]);
      report.queuedItems = queued[0]!.n;
      return report;
    });
    await this.queued(done.outboxIds);
    return done;
  }

  async counts(): Promise<StoreCounts> {
    const { rows } = await this.pool.query<{ chats: number; topics: number }>(
      'SELECT (SELECT COUNT(*) FROM chats) AS chats, (SELECT COUNT(*) FROM topics) AS topics',
    );
    return { chats: rows[0]!.chats, topics: rows[0]!.topics, outbox: { ...(await this.outbox.counts()) } };
  }

  async followedTopics(minChats: number, limit: number): Promise<Array<{ query: string; chats: number }>> {
    const { rows } = await this.pool.query<{ query: string; chats: string }>(
      `SELECT (array_agg(topics.query ORDER BY topics.id))[1] AS query, COUNT(*) AS chats
         FROM topics JOIN chats ON chats.id = topics.chat_id WHERE chats.active
         GROUP BY topics.key HAVING COUNT(*) >= $1 ORDER BY chats DESC, topics.key LIMIT $2`,
      [minChats, limit],
    );
    return rows.map((row) => ({ query: row.query, chats: Number(row.chats) }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * @example const subs = await openPgSubscriptions(config.databaseUrl, { digestTime: '08:00', timeZone: 'Asia/Shanghai' });
 */
export async function openPgSubscriptions(url: string, defaults: SettingsDefaults, options: { max?: number } = {}): Promise<PgSubscriptions> {
  return new PgSubscriptions(await openPgDatabase(url, options), defaults);
}

async function getSettings(q: Queryable, chatId: number): Promise<ChatSettings | null> {
  const { rows } = await q.query<SettingsRow>('SELECT * FROM settings WHERE chat_id = $1', [chatId]);
  return rows[0] ? toSettings(rows[0]) : null;
}

async function listTopics(q: Queryable, chatId: number): Promise<Topic[]> {
  const { rows } = await q.query<TopicRow>('SELECT * FROM topics WHERE chat_id = $1 ORDER BY id', [chatId]);
  return rows.map(toTopic);
}

async function pendingItems(q: Queryable, chatId: number): Promise<PendingItem[]> {
  const { rows } = await q.query<{ chat_id: number; item_id: string; story_key: string; topic_id: number; page: string; created_at: number }>(
    'SELECT * FROM pending_items WHERE chat_id = $1 ORDER BY created_at, id',
    [chatId],
  );
  return rows.map((r) => ({ chatId: r.chat_id, itemId: r.item_id, storyKey: r.story_key, topicId: r.topic_id, page: r.page, createdAt: r.created_at }));
}

async function updateSettings(q: Queryable, chatId: number, patch: SettingsPatch, now: number): Promise<SettingsResult> {
  if (patch.digestTime !== undefined && !isValidDigestTime(patch.digestTime)) return { ok: false, problem: 'bad-digest-time', value: patch.digestTime };
  if (patch.timeZone !== undefined && !isValidTimeZone(patch.timeZone)) return { ok: false, problem: 'bad-time-zone', value: patch.timeZone };
  const { rows } = await q.query<SettingsRow>('SELECT * FROM settings WHERE chat_id = $1 FOR UPDATE', [chatId]);
  if (!rows[0]) return { ok: false, problem: 'unknown-chat', value: String(chatId) };
  const current = toSettings(rows[0]);
  const next = { ...current, ...patch };
  const scheduleChanged = next.mode !== current.mode || next.digestTime !== current.digestTime || next.timeZone !== current.timeZone;
  const updated = await q.query<SettingsRow>(
    `UPDATE settings SET mode = $1, digest_time = $2, time_zone = $3, paused = $4, schedule_since = $5 WHERE chat_id = $6 RETURNING *`,
    [next.mode, next.digestTime, next.timeZone, next.paused, scheduleChanged ? now : current.scheduleSince, chatId],
  );
  return { ok: true, settings: toSettings(updated.rows[0]!) };
}

async function addTopic(q: Queryable, chatId: number, query: string, now: number): Promise<AddTopicResult> {
  const text = query.trim();
  const key = topicKey(text);
  if (key === '') return { kind: 'empty' };
  if (text.length > MAX_TOPIC_CHARS) return { kind: 'too-long', max: MAX_TOPIC_CHARS };
  // The chat row is the lock: two replicas adding at once cannot pass the limit together.
  const chat = await q.query('SELECT 1 FROM chats WHERE id = $1 FOR UPDATE', [chatId]);
  if (chat.rowCount === 0) return { kind: 'unknown-chat' };
  const existing = await q.query<TopicRow>('SELECT * FROM topics WHERE chat_id = $1 AND key = $2', [chatId, key]);
  if (existing.rows[0]) return { kind: 'duplicate', topic: toTopic(existing.rows[0]) };
  const count = await q.query<{ n: number }>('SELECT COUNT(*) AS n FROM topics WHERE chat_id = $1', [chatId]);
  if (count.rows[0]!.n >= MAX_TOPICS_PER_CHAT) return { kind: 'limit', max: MAX_TOPICS_PER_CHAT };
  const { rows } = await q.query<TopicRow>('INSERT INTO topics (chat_id, query, key, created_at) VALUES ($1, $2, $3, $4) RETURNING *', [
    chatId,
    text,
    key,
    now,
  ]);
  return { kind: 'added', topic: toTopic(rows[0]!) };
}

async function loadSubscribers(q: Queryable): Promise<Subscriber[]> {
  const { rows } = await q.query<ChatRow & SettingsRow & { t_id: number; query: string; key: string; t_created_at: number; t_last_digest_at: number | null; s_last_digest_at: number | null }>(
    `SELECT c.*, s.mode, s.digest_time, s.time_zone, s.paused, s.last_digest_at AS s_last_digest_at, s.schedule_since,
            t.id AS t_id, t.query, t.key, t.created_at AS t_created_at, t.last_digest_at AS t_last_digest_at
     FROM chats c JOIN settings s ON s.chat_id = c.id JOIN topics t ON t.chat_id = c.id
     WHERE c.active ORDER BY c.id, t.id`,
  );
  const result: Subscriber[] = [];
  let last: Subscriber | undefined;
  for (const r of rows) {
    if (!last || last.chat.id !== r.id) {
      last = {
        chat: toChat(r),
        settings: toSettings({ ...r, chat_id: r.id, last_digest_at: r.s_last_digest_at }),
        topics: [],
      };
      result.push(last);
    }
    last.topics.push(toTopic({ id: r.t_id, chat_id: r.id, query: r.query, key: r.key, created_at: r.t_created_at, last_digest_at: r.t_last_digest_at }));
  }
  return result;
}

/** `chat|i|item` and `chat|s|story` for every chat that has, or is about to get, one of these items or stories. */
async function knownPairs(q: Queryable, items: readonly FanOutItem[]): Promise<Set<string>> {
  const ids = items.map((i) => i.id);
  const stories = items.map((i) => i.storyKey);
  const { rows } = await q.query<{ chat_id: number; item_id: string; story_key: string }>(
    `SELECT chat_id, item_id, story_key FROM deliveries WHERE item_id = ANY($1::text[]) OR story_key = ANY($2::text[])
     UNION ALL SELECT chat_id, item_id, story_key FROM outbox_items WHERE item_id = ANY($1::text[]) OR story_key = ANY($2::text[])
     UNION ALL SELECT chat_id, item_id, story_key FROM pending_items WHERE item_id = ANY($1::text[]) OR story_key = ANY($2::text[])`,
    [ids, stories],
  );
  const known = new Set<string>();
  for (const r of rows) {
    known.add(`${r.chat_id}|i|${r.item_id}`);
    known.add(`${r.chat_id}|s|${r.story_key}`);
  }
  return known;
}

function pgResultLists(pool: Pool, ttlMs: number): ResultLists<unknown> {
  let puts = 0;
  return {
    async put(chatId, value, now) {
      const key = newListKey();
      await pool.query('INSERT INTO result_lists (key, chat_id, value, touched_at) VALUES ($1, $2, $3, $4)', [key, chatId, JSON.stringify(value), now]);
      // Now and then, forget what expired (any replica may do it).
      if (++puts % 100 === 1) await pool.query('DELETE FROM result_lists WHERE touched_at < $1', [now - ttlMs]);
      return key;
    },
    async get(chatId, key, now) {
      const { rows } = await pool.query<{ value: string }>(
        'UPDATE result_lists SET touched_at = $1 WHERE key = $2 AND chat_id = $3 AND touched_at > $4 RETURNING value',
        [now, key, chatId, now - ttlMs],
      );
      return rows[0] ? JSON.parse(rows[0].value) : undefined;
    },
  };
}
