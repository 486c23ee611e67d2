/**
 * Telegram's sending limits as sliding windows on a clock the caller passes in: at most `global`
 * messages in any second, one per `perChatMs` to a chat, `perGroupPerMinute` in any minute to a group,
 * plus the pauses a 429 asks for. Exact windows rather than token buckets, so a burst can never
 * exceed a limit over any window.
 */

export interface SendRate {
  /** Messages per second over all chats. */
  global: number;
  /** Minimum milliseconds between two messages to one chat. */
  perChatMs: number;
  /** Messages per minute to one group. */
  perGroupPerMinute: number;
}

const SECOND = 1000;
const MINUTE = 60_000;

/**
 * @example
 * const limiter = new RateLimiter(config.sendRate);
 * if (limiter.waitFor(chatId, false, now) === 0) { limiter.record(chatId, false, now); send(); }
 */
export class RateLimiter {
  /** Start times of the last `global` sends, oldest first. */
  private readonly recent: number[] = [];
  private readonly lastByChat = new Map<number, number>();
  private readonly groupSends = new Map<number, number[]>();
  private readonly chatPausedUntil = new Map<number, number>();
  private globalPausedUntil = 0;

  /** `rate` null turns the limits off; 429 pauses still apply. */
  constructor(private readonly rate: SendRate | null) {}

  /** Milliseconds until a message to this chat may start without breaking a limit; 0 means now. */
  waitFor(chatId: number, isGroup: boolean, now: number): number {
    let until = Math.max(this.globalPausedUntil, this.chatPausedUntil.get(chatId) ?? 0);
    const rate = this.rate;
    if (rate) {
      if (this.recent.length >= rate.global) until = Math.max(until, this.recent[this.recent.length - rate.global]! + SECOND);
      const last = this.lastByChat.get(chatId);
      if (last !== undefined) until = Math.max(until, last + rate.perChatMs);
      if (isGroup) {
        const sends = this.groupSends.get(chatId);
        if (sends && sends.length >= rate.perGroupPerMinute) {
          until = Math.max(until, sends[sends.length - rate.perGroupPerMinute]! + MINUTE);
        }
      }
    }
    return Math.max(0, until - now);
  }

  /** Milliseconds until any message may start (the global window and a global pause). */
  globalWait(now: number): number {
    let until = this.globalPausedUntil;
    if (this.rate && this.recent.length >= this.rate.global) {
      until = Math.max(until, this.recent[this.recent.length - this.rate.global]! + SECOND);
    }
    return Math.max(0, until - now);
  }

  /** Count a message starting now. */
  record(chatId: number, isGroup: boolean, now: number): void {
    const rate = this.rate;
    if (!rate) return;
    this.recent.push(now);
    if (this.recent.length > rate.global) this.recent.splice(0, this.recent.length - rate.global);
    this.lastByChat.set(chatId, now);
    if (isGroup) {
      const sends = this.groupSends.get(chatId) ?? [];
      sends.push(now);
      if (sends.length > rate.perGroupPerMinute) sends.splice(0, sends.length - rate.perGroupPerMinute);
      this.groupSends.set(chatId, sends);
    }
    // Forget chats whose windows have passed, so memory follows the active chats only.
    if (this.lastByChat.size > 4096) this.prune(now);
  }

  /** Hold one chat until `until` (a 429 for that chat). */
  pauseChat(chatId: number, until: number): void {
    this.chatPausedUntil.set(chatId, Math.max(until, this.chatPausedUntil.get(chatId) ?? 0));
  }

  /** Hold every chat until `until` (a 429 for the whole bot). */
  pauseAll(until: number): void {
    this.globalPausedUntil = Math.max(this.globalPausedUntil, until);
  }

  private prune(now: number): void {
    const perChat = this.rate?.perChatMs ?? 0;
    for (const [chat, at] of this.lastByChat) if (at + perChat <= now) this.lastByChat.delete(chat);
    for (const [chat, sends] of this.groupSends) if (sends[sends.length - 1]! + MINUTE <= now) this.groupSends.delete(chat);
    for (const [chat, until] of this.chatPausedUntil) if (until <= now) this.chatPausedUntil.delete(chat);
  }
}
