/**
 * Telegram's sending limits held across every replica, in PostgreSQL: one row says when the bot's
 * next message may start, one row per chat when that chat's may. Reserving a slot takes the rows'
 * locks, so replicas take turns: messages start at least `1000 / global` ms apart bot-wide,
 * `perChatMs` apart in a chat, and `60000 / perGroupPerMinute` apart in a group (even spacing is a
 * little stricter than Telegram's windows and never bursts). A 429 pauses the bot or the chat for
 * everyone until `retry_after` has passed.
 */
import type { Pool } from './pg-database.js';
import type { SendRate } from './rate-limiter.js';

const GLOBAL = 'global';
const chatScope = (chatId: number) => `chat:${chatId}`;

/**
 * @example
 * const at = await limiter.reserve(chatId, false, clock.now()); await sleep(at - clock.now()); send();
 */
export class SharedRateLimiter {
  constructor(
    private readonly pool: Pool,
    /** Null turns the limits off; 429 pauses still apply. */
    private readonly rate: SendRate | null,
  ) {}

  /** Reserve the earliest moment (epoch ms, ≥ now) a message to this chat may start, and return it. */
  async reserve(chatId: number, isGroup: boolean, now: number): Promise<number> {
    const rate = this.rate;
    const globalGap = rate ? 1000 / rate.global : 0;
    const chatGap = rate ? Math.max(rate.perChatMs, isGroup ? 60_000 / rate.perGroupPerMinute : 0) : 0;
    // One statement: lock both rows (global first, always the same order), take the later of now,
    // their next slots and pauses, and move both on.
    const { rows } = await this.pool.query<{ at: number }>(
      `WITH ensure AS (
         INSERT INTO send_slots (scope, next_at) VALUES ($1, 0), ($2, 0) ON CONFLICT DO NOTHING
       ), locked AS (
         SELECT scope, next_at, paused_until FROM send_slots WHERE scope IN ($1, $2) ORDER BY scope = $1 DESC FOR UPDATE
       ), slot AS (
         SELECT GREATEST($3::float8, COALESCE(MAX(GREATEST(next_at, paused_until)), 0))::float8 AS at, COUNT(*) AS n FROM locked
       )
       UPDATE send_slots s SET next_at = slot.at + CASE WHEN s.scope = $1 THEN $4::float8 ELSE $5::float8 END
       FROM slot WHERE s.scope IN ($1, $2) AND slot.n = 2
       RETURNING slot.at`,
      [GLOBAL, chatScope(chatId), now, globalGap, chatGap],
    );
    // A row this statement had to create is not visible to its own lock: nothing was reserved, ask again.
    if (rows.length < 2) return this.reserve(chatId, isGroup, now);
    return rows[0]!.at;
  }

  /** Hold every replica's sends until `until` (a 429 for the whole bot). */
  pauseAll(until: number): Promise<void> {
    return this.pause(GLOBAL, until);
  }

  /** Hold one chat until `until` (a 429 for that chat). */
  pauseChat(chatId: number, until: number): Promise<void> {
    return this.pause(chatScope(chatId), until);
  }

  /** Forget chats whose slots and pauses have passed, so the table follows the active chats. */
  async prune(now: number): Promise<void> {
    await this.pool.query(`DELETE FROM send_slots WHERE scope <> $1 AND next_at < $2 AND paused_until < $2`, [GLOBAL, now - 60_000]);
  }

  private async pause(scope: string, until: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO send_slots (scope, next_at, paused_until) VALUES ($1, 0, $2)
       ON CONFLICT (scope) DO UPDATE SET paused_until = GREATEST(send_slots.paused_until, $2)`,
      [scope, until],
    );
  }
}
