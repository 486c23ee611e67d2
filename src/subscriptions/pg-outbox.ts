/**
 * The outbox on PostgreSQL: the same rows and states as `outbox.ts`, shared by every replica. Each
 * row also has a `generation`: the delivery job that may act on it is the one made for its current
 * generation, so a job left over from a retry, a crash or a sweep can never send a row twice.
 */
import type { Queryable } from './pg-database.js';
import { toOutboxRow, type OutboxContent, type OutboxCounts, type OutboxRow, type QueuedItem, type RawOutboxRow, type RenderedMessage } from './outbox.js';

type RawRow = RawOutboxRow & { generation: number };

export interface PgOutboxRow extends OutboxRow {
  generation: number;
}

const toRow = (raw: RawRow): PgOutboxRow => ({ ...toOutboxRow(raw), generation: raw.generation });

/**
 * Queue one message carrying `items`, leaving out items already queued for or delivered to the chat
 * (the `outbox_items` key). Call inside the caller's transaction. Null when nothing was left.
 */
export async function enqueuePg(
  q: Queryable,
  chatId: number,
  content: OutboxContent,
  items: readonly QueuedItem[],
  now: number,
): Promise<number | null> {
  const inserted = await q.query<{ id: number }>(
    // A chat held by a 429 or a backoff keeps its new rows behind the held one.
    `INSERT INTO outbox (chat_id, kind, content, created_at, updated_at, not_before)
     VALUES ($1, $2, $3, $4, $4, COALESCE((SELECT MAX(not_before) FROM outbox WHERE chat_id = $1 AND state = 'pending'), 0))
     RETURNING id`,
    [chatId, content.kind, JSON.stringify(content), now],
  );
  const id = inserted.rows[0]!.id;
  const accepted = await q.query<{ item_id: string }>(
    `INSERT INTO outbox_items (chat_id, item_id, story_key, outbox_id)
     SELECT $1, i, s, $4 FROM unnest($2::text[], $3::text[]) AS u(i, s)
     ON CONFLICT DO NOTHING RETURNING item_id`,
    [chatId, items.map((i) => i.itemId), items.map((i) => i.storyKey), id],
  );
  const kept = new Set(accepted.rows.map((r) => r.item_id));
  const topics = content.topics
    .map((t) => ({ ...t, itemIds: t.itemIds.filter((itemId) => kept.has(itemId)) }))
    .filter((t) => t.itemIds.length > 0);
  if (topics.length === 0) {
    await q.query('DELETE FROM outbox WHERE id = $1', [id]);
    return null;
  }
  if (kept.size !== items.length) await q.query('UPDATE outbox SET content = $1 WHERE id = $2', [JSON.stringify({ ...content, topics }), id]);
  return id;
}

/**
 * `enqueuePg` for many messages at once (a fan-out): a few statements whatever their number, in the
 * caller's transaction. Returns the ids of the rows kept, in the order of `messages`.
 */
export async function enqueueManyPg(
  q: Queryable,
  messages: ReadonlyArray<{ chatId: number; content: OutboxContent; items: readonly QueuedItem[] }>,
  now: number,
): Promise<number[]> {
  if (messages.length === 0) return [];
  const chatIds = messages.map((m) => m.chatId);
  // A chat held by a 429 or a backoff keeps its new rows behind the held one.
  const held = await q.query<{ chat_id: number; t: number }>(
    `SELECT chat_id, MAX(not_before) AS t FROM outbox WHERE chat_id = ANY($1::bigint[]) AND state = 'pending' GROUP BY chat_id`,
    [chatIds],
  );
  const notBefore = new Map(held.rows.map((r) => [r.chat_id, r.t]));
  // Ids taken first, so each row's items can name it without relying on the order of RETURNING.
  const ids = (await q.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('outbox', 'id')) AS id FROM generate_series(1, $1)`, [messages.length])).rows.map(
    (r) => r.id,
  );
  await q.query(
    `INSERT INTO outbox (id, chat_id, kind, content, created_at, updated_at, not_before)
     SELECT id, chat_id, kind, content, $5, $5, nb FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $6::bigint[]) AS u(id, chat_id, kind, content, nb)`,
    [ids, chatIds, messages.map((m) => m.content.kind), messages.map((m) => JSON.stringify(m.content)), now, chatIds.map((c) => notBefore.get(c) ?? 0)],
  );
  const rows: Array<[number, number, string, string]> = [];
  messages.forEach((m, i) => m.items.forEach((item) => rows.push([ids[i]!, m.chatId, item.itemId, item.storyKey])));
  const accepted = await q.query<{ outbox_id: number; item_id: string }>(
    `INSERT INTO outbox_items (outbox_id, chat_id, item_id, story_key)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[])
     ON CONFLICT DO NOTHING RETURNING outbox_id, item_id`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
  );
  const kept = new Map<number, Set<string>>();
  for (const r of accepted.rows) kept.set(r.outbox_id, (kept.get(r.outbox_id) ?? new Set()).add(r.item_id));
  const result: number[] = [];
  const empty: number[] = [];
  for (const [i, m] of messages.entries()) {
    const id = ids[i]!;
    const items = kept.get(id);
    if (!items) {
      empty.push(id);
      continue;
    }
    result.push(id);
    if (items.size === m.items.length) continue;
    const topics = m.content.topics.map((t) => ({ ...t, itemIds: t.itemIds.filter((x) => items.has(x)) })).filter((t) => t.itemIds.length > 0);
    await q.query('UPDATE outbox SET content = $1 WHERE id = $2', [JSON.stringify({ ...m.content, topics }), id]);
  }
  if (empty.length > 0) await q.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [empty]);
  return result;
}

const SELECT_ROW = `SELECT o.*, c.type AS chat_type FROM outbox o LEFT JOIN chats c ON c.id = o.chat_id`;

/** The row operations of the delivery jobs; each is one statement or one transaction. */
export class PgOutbox {
  constructor(private readonly q: Queryable & { connect?: unknown }) {}

  async get(id: number): Promise<PgOutboxRow | null> {
    const { rows } = await this.q.query<RawRow>(`${SELECT_ROW} WHERE o.id = $1`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Keep the first rendering (another replica may have rendered first: theirs wins); returns the kept one. */
  async saveRendered(id: number, messages: readonly RenderedMessage[], now: number): Promise<RenderedMessage[] | null> {
    const { rows } = await this.q.query<{ rendered: string | null }>(
      `WITH saved AS (UPDATE outbox SET rendered = $1, updated_at = $2 WHERE id = $3 AND rendered IS NULL RETURNING rendered)
       SELECT COALESCE((SELECT rendered FROM saved), (SELECT rendered FROM outbox WHERE id = $3)) AS rendered`,
      [JSON.stringify(messages), now, id],
    );
    const rendered = rows[0]?.rendered;
    return rendered ? (JSON.parse(rendered) as RenderedMessage[]) : null;
  }

  /** Mark the row as being with Telegram, committed before the call; false unless pending in this generation. */
  async claim(id: number, generation: number, now: number): Promise<boolean> {
    const result = await this.q.query(
      `UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = $1
       WHERE id = $2 AND generation = $3 AND state = 'pending'`,
      [now, id, generation],
    );
    return result.rowCount === 1;
  }

  /**
   * A part arrived; the last part records the deliveries in the same statement batch. Returns true
   * when the row is now sent.
   */
  async partSent(id: number, totalParts: number, now: number, certain = true): Promise<boolean> {
    // One statement: the row moves on and, with its last part, its deliveries are recorded.
    const { rows } = await this.q.query<{ state: string }>(
      `WITH moved AS (
         UPDATE outbox SET parts_sent = parts_sent + 1, failures = 0, updated_at = $1::bigint,
           last_error = CASE WHEN uncertain THEN last_error ELSE NULL END,
           state = CASE WHEN parts_sent + 1 >= $2 THEN 'sent' ELSE 'pending' END,
           sent_at = CASE WHEN parts_sent + 1 >= $2 THEN $1::bigint ELSE NULL END
         WHERE id = $3 AND state = 'sending' RETURNING state, uncertain
       ), recorded AS (
         INSERT INTO deliveries (chat_id, item_id, story_key, outbox_id, delivered_at, certain)
         SELECT i.chat_id, i.item_id, i.story_key, i.outbox_id, $1::bigint, $4::boolean AND NOT moved.uncertain
         FROM outbox_items i, moved WHERE i.outbox_id = $3 AND moved.state = 'sent'
         ON CONFLICT DO NOTHING
       )
       SELECT state FROM moved`,
      [now, totalParts, id, certain],
    );
    return rows[0]?.state === 'sent';
  }

  /**
   * Back to pending until `notBefore` under a new generation (whose job the caller queues); the
   * chat's later rows wait too. Returns the new generation.
   */
  async retryLater(id: number, chatId: number, notBefore: number, error: string | null, countFailure: boolean, now: number): Promise<number> {
    const { rows } = await this.q.query<{ generation: number }>(
      `UPDATE outbox SET state = 'pending', not_before = $1, last_error = COALESCE($2, last_error), failures = failures + $3,
         updated_at = $4, generation = generation + 1
       WHERE id = $5 RETURNING generation`,
      [notBefore, error, countFailure ? 1 : 0, now, id],
    );
    await this.q.query(
      `UPDATE outbox SET not_before = GREATEST(not_before, $1) WHERE chat_id = $2 AND state = 'pending' AND id <> $3`,
      [notBefore, chatId, id],
    );
    return rows[0]?.generation ?? 0;
  }

  async fail(id: number, error: string, now: number): Promise<void> {
    await this.q.query(`UPDATE outbox SET state = 'failed', last_error = $1, failures = failures + 1, updated_at = $2 WHERE id = $3`, [error, now, id]);
  }

  async cancel(id: number, reason: string, now: number): Promise<void> {
    await this.q.query(`UPDATE outbox SET state = 'cancelled', last_error = $1, updated_at = $2 WHERE id = $3`, [reason, now, id]);
  }

  async markUncertain(id: number, note: string, now: number): Promise<void> {
    await this.q.query('UPDATE outbox SET uncertain = TRUE, last_error = $1, updated_at = $2 WHERE id = $3', [note, now, id]);
  }

  /** Rows waiting to be sent, with the generation their job must carry (for the sweep). */
  async waiting(updatedBefore: number, afterId: number, limit: number): Promise<Array<{ id: number; generation: number; notBefore: number }>> {
    const { rows } = await this.q.query<{ id: number; generation: number; not_before: number }>(
      `SELECT id, generation, not_before FROM outbox WHERE state IN ('pending', 'sending') AND updated_at <= $1 AND id > $2
       ORDER BY id LIMIT $3`,
      [Math.min(updatedBefore, Number.MAX_SAFE_INTEGER), afterId, limit],
    );
    return rows.map((r) => ({ id: r.id, generation: r.generation, notBefore: r.not_before }));
  }

  /** Jobs for these rows: their id and current generation. */
  async generations(ids: readonly number[]): Promise<Array<{ id: number; generation: number; notBefore: number }>> {
    const { rows } = await this.q.query<{ id: number; generation: number; not_before: number }>(
      'SELECT id, generation, not_before FROM outbox WHERE id = ANY($1::bigint[])',
      [ids],
    );
    return rows.map((r) => ({ id: r.id, generation: r.generation, notBefore: r.not_before }));
  }

  async counts(): Promise<OutboxCounts> {
    const counts: OutboxCounts = { pending: 0, sending: 0, sent: 0, failed: 0, cancelled: 0, uncertain: 0 };
    const { rows } = await this.q.query<{ state: OutboxRow['state']; n: number; u: number }>(
      'SELECT state, COUNT(*) AS n, COUNT(*) FILTER (WHERE uncertain) AS u FROM outbox GROUP BY state',
    );
    for (const r of rows) {
      counts[r.state] = r.n;
      counts.uncertain += r.u;
    }
    return counts;
  }
}
