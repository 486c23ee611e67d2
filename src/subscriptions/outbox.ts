/**
 * The persistent outbox: every message the bot owes a reader, from queued to sent (or failed, kept
 * with its error). Rows hold plain data; the Telegram adapter renders them at the first attempt.
 */
import type { Database } from './database.js';

/** One topic's items in a message: the topic as the reader typed it and the item ids, in page order. */
export interface ContentTopic {
  topicId: number;
  query: string;
  itemIds: string[];
}

/** What a push or digest says, as data. `instant`: one page's new items; `digest`: a digest. */
export interface OutboxContent {
  kind: 'instant' | 'digest';
  /** The page file for an instant push; null for a digest. */
  page: string | null;
  topics: ContentTopic[];
}

/**
 * A message ready for the sender. Everything in it must be JSON (it is stored so a resumed send
 * continues with the very same parts); the adapter puts parse mode, buttons… beside `text`.
 */
export interface RenderedMessage {
  text: string;
  [extra: string]: unknown;
}

export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';

export interface OutboxRow {
  id: number;
  chatId: number;
  kind: 'instant' | 'digest';
  content: OutboxContent;
  rendered: RenderedMessage[] | null;
  partsSent: number;
  state: OutboxState;
  uncertain: boolean;
  attempts: number;
  failures: number;
  notBefore: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
  /** The chat's type, joined in so the sender can apply group limits. */
  chatType: string | null;
}

export interface QueuedItem {
  itemId: string;
  storyKey: string;
}

export type OutboxCounts = Record<OutboxState, number> & { uncertain: number };

/** An outbox row as stored (SQLite's 0/1 or PostgreSQL's booleans). */
export interface RawOutboxRow {
  id: number;
  chat_id: number;
  kind: 'instant' | 'digest';
  content: string;
  rendered: string | null;
  parts_sent: number;
  state: OutboxState;
  uncertain: number | boolean;
  attempts: number;
  failures: number;
  not_before: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  chat_type: string | null;
}

export function toOutboxRow(raw: RawOutboxRow): OutboxRow {
  return {
    id: raw.id,
    chatId: raw.chat_id,
    kind: raw.kind,
    content: JSON.parse(raw.content) as OutboxContent,
    rendered: raw.rendered === null ? null : (JSON.parse(raw.rendered) as RenderedMessage[]),
    partsSent: raw.parts_sent,
    state: raw.state,
    uncertain: raw.uncertain === 1 || raw.uncertain === true,
    attempts: raw.attempts,
    failures: raw.failures,
    notBefore: raw.not_before,
    lastError: raw.last_error,
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
    sentAt: raw.sent_at,
    chatType: raw.chat_type,
  };
}

const SELECT_ROW = `SELECT o.*, c.type AS chat_type FROM outbox o LEFT JOIN chats c ON c.id = o.chat_id`;

/**
 * @example const outbox = new Outbox(db); outbox.enqueue(chatId, content, items, now);
 */
export class Outbox {
  private readonly statements;

  constructor(readonly db: Database) {
    this.statements = {
      insertRow: db.prepare(
        // A chat held by a 429 or a backoff keeps its new rows behind the held one.
        `INSERT INTO outbox (chat_id, kind, content, created_at, updated_at, not_before)
         VALUES (@chatId, @kind, @content, @now, @now,
                 COALESCE((SELECT MAX(not_before) FROM outbox INDEXED BY outbox_chat
                           WHERE chat_id = @chatId AND state = 'pending'), 0))`,
      ),
      insertItem: db.prepare(
        `INSERT OR IGNORE INTO outbox_items (chat_id, item_id, story_key, outbox_id) VALUES (?, ?, ?, ?)`,
      ),
      setContent: db.prepare(`UPDATE outbox SET content = ? WHERE id = ?`),
      deleteRow: db.prepare(`DELETE FROM outbox WHERE id = ?`),
      // Per-chat order: a row is ready only when no older unfinished row of its chat exists.
      ready: db.prepare(
        `SELECT o.*, c.type AS chat_type FROM outbox o INDEXED BY outbox_ready LEFT JOIN chats c ON c.id = o.chat_id
         WHERE o.state = 'pending' AND o.not_before <= ?
           AND o.chat_id NOT IN (SELECT value FROM json_each(?))
           AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.chat_id = o.chat_id
                           AND e.state IN ('pending', 'sending') AND e.id < o.id)
         ORDER BY o.id LIMIT ?`,
      ),
      nextNotBefore: db.prepare(`SELECT MIN(not_before) AS t FROM outbox WHERE state = 'pending'`),
      get: db.prepare(`${SELECT_ROW} WHERE o.id = ?`),
      saveRendered: db.prepare(`UPDATE outbox SET rendered = ?, updated_at = ? WHERE id = ? AND rendered IS NULL`),
      claim: db.prepare(
        `UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'pending'`,
      ),
      partSent: db.prepare(
        `UPDATE outbox SET parts_sent = parts_sent + 1, failures = 0, updated_at = ?,
           last_error = CASE WHEN uncertain = 1 THEN last_error ELSE NULL END,
           state = CASE WHEN parts_sent + 1 >= ? THEN 'sent' ELSE 'pending' END,
           sent_at = CASE WHEN parts_sent + 1 >= ? THEN ? ELSE NULL END
         WHERE id = ? AND state = 'sending'`,
      ),
      recordDeliveries: db.prepare(
        `INSERT OR IGNORE INTO deliveries (chat_id, item_id, story_key, outbox_id, delivered_at, certain)
         SELECT chat_id, item_id, story_key, outbox_id, ?, ? FROM outbox_items WHERE outbox_id = ?`,
      ),
      retryLater: db.prepare(
        `UPDATE outbox SET state = 'pending', not_before = ?, last_error = ?, failures = failures + ?, updated_at = ?
         WHERE id = ?`,
      ),
      holdChat: db.prepare(
        `UPDATE outbox INDEXED BY outbox_chat SET not_before = MAX(not_before, ?) WHERE chat_id = ? AND state = 'pending'`,
      ),
      fail: db.prepare(
        `UPDATE outbox SET state = 'failed', last_error = ?, failures = failures + 1, updated_at = ? WHERE id = ?`,
      ),
      cancelChat: db.prepare(
        `UPDATE outbox INDEXED BY outbox_chat SET state = 'cancelled', last_error = ?, updated_at = ?
         WHERE chat_id = ? AND state IN ('pending', 'sending')`,
      ),
      cancel: db.prepare(`UPDATE outbox SET state = 'cancelled', last_error = ?, updated_at = ? WHERE id = ?`),
      release: db.prepare(`UPDATE outbox SET state = 'pending', not_before = 0, updated_at = ? WHERE id = ?`),
      interrupted: db.prepare(`${SELECT_ROW} WHERE o.state = 'sending' ORDER BY o.id`),
      markUncertain: db.prepare(`UPDATE outbox SET uncertain = 1, last_error = ?, updated_at = ? WHERE id = ?`),
      counts: db.prepare(`SELECT state, COUNT(*) AS n, SUM(uncertain) AS u FROM outbox GROUP BY state`),
      problems: db.prepare(
        `${SELECT_ROW} WHERE o.state IN ('failed', 'cancelled') OR o.uncertain = 1 OR o.last_error IS NOT NULL
         ORDER BY o.updated_at DESC LIMIT ?`,
      ),
      retryFailed: db.prepare(
        `UPDATE outbox SET state = 'pending', failures = 0, not_before = 0, updated_at = ? WHERE state = 'failed'`,
      ),
    };
  }

  /**
   * Queue one message for a chat carrying `items`. Items already queued for or delivered to this chat
   * (by id) are left out; returns the row id, or null when nothing was left to send.
   * Runs in a transaction (nested in the caller's, if any).
   */
  enqueue(chatId: number, content: OutboxContent, items: readonly QueuedItem[], now: number): number | null {
    return this.db.transaction((): number | null => {
      const s = this.statements;
      const id = Number(
        s.insertRow.run({ chatId, kind: content.kind, content: JSON.stringify(content), now }).lastInsertRowid,
      );
      const accepted = new Set<string>();
      for (const item of items) {
        if (s.insertItem.run(chatId, item.itemId, item.storyKey, id).changes > 0) accepted.add(item.itemId);
      }
      const topics = content.topics
        .map((t) => ({ ...t, itemIds: t.itemIds.filter((itemId) => accepted.has(itemId)) }))
        .filter((t) => t.itemIds.length > 0);
      if (topics.length === 0) {
        s.deleteRow.run(id);
        return null;
      }
      if (accepted.size !== items.length) s.setContent.run(JSON.stringify({ ...content, topics }), id);
      return id;
    })();
  }

  /** Up to `limit` rows that may go now: oldest first, only each chat's oldest, none of `skipChats`. */
  ready(now: number, skipChats: Iterable<number>, limit: number): OutboxRow[] {
    const rows = this.statements.ready.all(now, JSON.stringify([...skipChats]), limit) as RawOutboxRow[];
    return rows.map(toOutboxRow);
  }

  /** The earliest `not_before` of waiting rows, or null when none wait. */
  nextNotBefore(): number | null {
    const row = this.statements.nextNotBefore.get() as { t: number | null };
    return row.t;
  }

  get(id: number): OutboxRow | null {
    const raw = this.statements.get.get(id) as RawOutboxRow | undefined;
    return raw ? toOutboxRow(raw) : null;
  }

  /** Keep the rendered parts so a retry or a restart sends exactly these. */
  saveRendered(id: number, messages: readonly RenderedMessage[], now: number): void {
    this.statements.saveRendered.run(JSON.stringify(messages), now, id);
  }

  /**
   * Mark the row as being with Telegram; committed before the API call. With `rendered`, the parts
   * are stored in the same transaction. False if the row was not pending.
   */
  claim(id: number, now: number, rendered?: readonly RenderedMessage[]): boolean {
    return this.db.transaction((): boolean => {
      if (rendered) this.statements.saveRendered.run(JSON.stringify(rendered), now, id);
      return this.statements.claim.run(now, id).changes > 0;
    })();
  }

  /**
   * A part arrived. The last part also records the deliveries, in the same transaction.
   * A row flagged uncertain records them with `certain = 0` even when this last part is certain:
   * an earlier part of it was with Telegram when a process died, and which items that part
   * carried is the renderer's business, so every item of the row stays uncertain.
   * @returns true when the row is now complete.
   */
  partSent(id: number, totalParts: number, now: number, certain = true): boolean {
    return this.db.transaction((): boolean => {
      this.statements.partSent.run(now, totalParts, totalParts, now, id);
      const row = this.statements.get.get(id) as RawOutboxRow;
      if (row.state !== 'sent') return false;
      this.statements.recordDeliveries.run(now, certain && row.uncertain !== 1 ? 1 : 0, id);
      return true;
    })();
  }

  /** Try again at `notBefore`; the chat's later rows wait too, so its messages stay in order. */
  retryLater(id: number, chatId: number, notBefore: number, error: string, countFailure: boolean, now: number): void {
    this.db.transaction(() => {
      this.statements.retryLater.run(notBefore, error, countFailure ? 1 : 0, now, id);
      this.statements.holdChat.run(notBefore, chatId);
    })();
  }

  /** Give up on a row, keeping it and its error for an operator. */
  fail(id: number, error: string, now: number): void {
    this.statements.fail.run(error, now, id);
  }

  cancel(id: number, reason: string, now: number): void {
    this.statements.cancel.run(reason, now, id);
  }

  /** Cancel every unsent row of a chat (it blocked the bot); rows are kept with the reason. */
  cancelChat(chatId: number, reason: string, now: number): number {
    return this.statements.cancelChat.run(reason, now, chatId).changes;
  }

  /** Put a claimed row back to be sent at once (after its chat moved). */
  release(id: number, now: number): void {
    this.statements.release.run(now, id);
  }

  /** Rows a previous process left with Telegram: it died between the API call and recording it. */
  interrupted(): OutboxRow[] {
    return (this.statements.interrupted.all() as RawOutboxRow[]).map(toOutboxRow);
  }

  markUncertain(id: number, note: string, now: number): void {
    this.statements.markUncertain.run(note, now, id);
  }

  counts(): OutboxCounts {
    const counts: OutboxCounts = { pending: 0, sending: 0, sent: 0, failed: 0, cancelled: 0, uncertain: 0 };
    for (const r of this.statements.counts.all() as Array<{ state: OutboxState; n: number; u: number }>) {
      counts[r.state] = r.n;
      counts.uncertain += r.u;
    }
    return counts;
  }

  /** Failed, cancelled and uncertain rows, newest first: what an operator should look at. */
  problems(limit = 50): OutboxRow[] {
    return (this.statements.problems.all(limit) as RawOutboxRow[]).map(toOutboxRow);
  }

  /** Give every failed row another chance (an operator's decision after fixing the cause). */
  retryFailed(now: number): number {
    return this.statements.retryFailed.run(now).changes;
  }
}
