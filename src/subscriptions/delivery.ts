/**
 * The delivery worker: takes rows from the outbox, renders them once, and sends them through a
 * `Sender` within Telegram's limits.
 *
 * Exactly once per (chat, item), and how small the crash window is:
 * 1. Before the API call, the row is marked `sending` in a committed transaction; the call follows
 *    in the same synchronous step (no await in between).
 * 2. Right after the call returns, one transaction advances the row and, with its last part,
 *    records every (chat, item) in `deliveries` and marks the row `sent`.
 * 3. So a process killed at any moment leaves at most the parts that were with Telegram at that
 *    instant uncertain: one message per chat at the most (a chat never has two in flight), and at
 *    most `concurrency` in all. At startup `recover()` finds them as rows still `sending`.
 * 4. Those are NOT resent by default (`onUncertain: 'skip'`): a process dies mid-call far more often
 *    after Telegram received the request than before, and a duplicate is what readers complain
 *    about. They are counted as delivered with `certain = 0`, flagged `uncertain` and kept with a
 *    note, so nothing disappears silently; `onUncertain: 'resend'` chooses at-least-once instead.
 *    A row cut off before its last part goes on with the next part after the restart; its items
 *    are still recorded `certain = 0` when that last part arrives (the flag stays with the row).
 * Nothing is dropped silently either: a message that keeps failing ends `failed` with its error, a
 * chat that blocked the bot gets its rows `cancelled` with the reason; both stay in the outbox.
 */
import type { Clock, Sleep } from './clock.js';
import type { Outbox, OutboxContent, OutboxRow, RenderedMessage } from './outbox.js';
import type { RateLimiter } from './rate-limiter.js';
import { SendError, type SendFailure } from './send-error.js';
import type { ChatRecord, SubscriptionStore } from './store.js';

/** Sends one message to one chat; rejects with `SendError` (anything else counts as `other`). */
export interface Sender {
  send(chatId: number, message: RenderedMessage): Promise<void>;
}

/**
 * Turns a row's data into messages (each under Telegram's 4,096 characters). Called once per row;
 * an empty list means nothing is left to say (e.g. the items left the index).
 */
export type Render = (
  chatId: number,
  content: OutboxContent,
  chat: ChatRecord | null,
) => RenderedMessage[] | Promise<RenderedMessage[]>;

export type DeliveryEvent =
  | { type: 'sent'; outboxId: number; chatId: number; part: number; parts: number; at: number }
  | { type: 'retry'; outboxId: number; chatId: number; failure: SendFailure; notBefore: number }
  | { type: 'failed'; outboxId: number; chatId: number; error: string }
  | { type: 'cancelled'; outboxId: number; chatId: number; reason: string }
  | { type: 'deactivated'; chatId: number; reason: string }
  | { type: 'migrated'; fromChatId: number; toChatId: number }
  | { type: 'recovered'; outboxId: number; chatId: number; resend: boolean };

export interface DeliveryOptions {
  outbox: Outbox;
  store: SubscriptionStore;
  sender: Sender;
  render: Render;
  limiter: RateLimiter;
  clock: Clock;
  sleep: Sleep;
  /** Messages in flight at once (never two to one chat). Default 8. */
  concurrency?: number;
  /** With nothing queued, look again after this long even without `wake()`. Default 30 s. */
  idlePollMs?: number;
  /** Exponential backoff for network and other errors. Default 2 s doubling up to 10 min. */
  backoff?: { baseMs: number; maxMs: number };
  /** Network failures in a row before a row is `failed`. Default 20 (hours of outage at the cap). */
  maxNetworkFailures?: number;
  /** Other (400-like) failures in a row before a row is `failed`. Default 3. */
  maxOtherFailures?: number;
  /** What `recover()` does with parts that were with Telegram when the process died. Default 'skip'. */
  onUncertain?: 'skip' | 'resend';
  onEvent?: (event: DeliveryEvent) => void;
}

export interface RecoveryReport {
  /** Parts left `sending` by the previous process. */
  interrupted: number;
  resent: number;
  presumedDelivered: number;
}

/** Whether a chat type is held to Telegram's group limits (both delivery paths use it). */
export function isGroup(type: string | null): boolean {
  return type === 'group' || type === 'supergroup';
}

/** Whether a `Render` returned what a sender can send. */
export function validMessages(value: unknown): value is RenderedMessage[] {
  return Array.isArray(value) && value.every((m) => typeof m === 'object' && m !== null && typeof m.text === 'string');
}

/**
 * @example
 * const worker = new DeliveryWorker({ outbox, store, sender, render, limiter, clock: systemClock, sleep: realSleep });
 * worker.recover();
 * void worker.run(abort.signal); // and worker.wake() after each fan-out
 */
export class DeliveryWorker {
  private readonly concurrency: number;
  private readonly idlePollMs: number;
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly maxNetworkFailures: number;
  private readonly maxOtherFailures: number;
  private waitController: AbortController | null = null;
  private woken = false;
  private recovered = false;

  constructor(private readonly options: DeliveryOptions) {
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.idlePollMs = options.idlePollMs ?? 30_000;
    this.backoff = options.backoff ?? { baseMs: 2000, maxMs: 600_000 };
    this.maxNetworkFailures = options.maxNetworkFailures ?? 20;
    this.maxOtherFailures = options.maxOtherFailures ?? 3;
  }

  /** Settle what a killed process left `sending`. Runs once, at the latest when `run` or `drain` starts. */
  recover(): RecoveryReport {
    const { outbox, clock } = this.options;
    this.recovered = true;
    const resend = this.options.onUncertain === 'resend';
    const report: RecoveryReport = { interrupted: 0, resent: 0, presumedDelivered: 0 };
    for (const row of outbox.interrupted()) {
      const now = clock.now();
      const parts = row.rendered?.length ?? 0;
      report.interrupted += 1;
      outbox.markUncertain(
        row.id,
        `进程在发送第 ${row.partsSent + 1}/${parts} 部分时退出，无法确认是否送达（${resend ? '已重发' : '未重发以免重复'}）`,
        now,
      );
      if (resend || parts === 0) {
        outbox.release(row.id, now);
        report.resent += 1;
      } else {
        outbox.partSent(row.id, parts, now, false);
        report.presumedDelivered += 1;
      }
      this.options.onEvent?.({ type: 'recovered', outboxId: row.id, chatId: row.chatId, resend });
    }
    return report;
  }

  /** Look at the outbox now instead of at the next poll (call after queueing messages). */
  wake(): void {
    this.woken = true;
    this.waitController?.abort();
  }

  /** Send until `signal` aborts; waits for limits, backoffs and new rows. */
  async run(signal: AbortSignal): Promise<void> {
    const onAbort = (): void => this.waitController?.abort();
    signal.addEventListener('abort', onAbort);
    try {
      await this.loop(signal, false);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Send until no row is waiting (including rows held for a later time), then return. */
  async drain(signal?: AbortSignal): Promise<void> {
    await this.loop(signal ?? new AbortController().signal, true);
  }

  private async loop(signal: AbortSignal, untilEmpty: boolean): Promise<void> {
    const { outbox, limiter, clock } = this.options;
    if (!this.recovered) this.recover();
    const inflight = new Map<number, Promise<void>>();
    const batch = Math.max(32, this.concurrency * 4);
    while (!signal.aborted) {
      this.woken = false;
      const now = clock.now();
      let wakeAt = Number.POSITIVE_INFINITY;
      const globalWait = limiter.globalWait(now);
      if (globalWait > 0) {
        wakeAt = now + globalWait;
      } else if (inflight.size < this.concurrency) {
        const skip = new Set(inflight.keys());
        fill: for (;;) {
          const rows = outbox.ready(now, skip, batch);
          for (const row of rows) {
            skip.add(row.chatId);
            const group = isGroup(row.chatType);
            // The time of this very send, not of the loop's start: the limiter's windows hold only
            // if what it records is when each call really went out (see `deliver`).
            const at = clock.now();
            const wait = limiter.waitFor(row.chatId, group, at);
            if (wait > 0) {
              wakeAt = Math.min(wakeAt, at + wait);
              if (limiter.globalWait(at) > 0) break fill;
              continue;
            }
            limiter.record(row.chatId, group, at);
            const chatId = row.chatId;
            inflight.set(chatId, this.deliver(row).finally(() => inflight.delete(chatId)));
            if (inflight.size >= this.concurrency) break fill;
          }
          if (rows.length < batch) break;
        }
      }
      const next = outbox.nextNotBefore();
      if (next !== null && next > now) wakeAt = Math.min(wakeAt, next);
      if (inflight.size === 0 && next === null) {
        if (untilEmpty) return;
        wakeAt = Math.min(wakeAt, now + this.idlePollMs);
      }
      if (this.woken) continue;
      await this.waitForEvent(inflight, wakeAt, now);
    }
    await Promise.all(inflight.values());
  }

  /** Until a send finishes, `wakeAt` comes, or `wake()` is called. */
  private async waitForEvent(inflight: Map<number, Promise<void>>, wakeAt: number, now: number): Promise<void> {
    const controller = new AbortController();
    this.waitController = controller;
    const waiters: Array<Promise<void>> = [...inflight.values()];
    if (Number.isFinite(wakeAt)) waiters.push(this.options.sleep(Math.max(0, wakeAt - now), controller.signal));
    else if (waiters.length === 0) waiters.push(this.options.sleep(this.idlePollMs, controller.signal));
    try {
      await Promise.race(waiters);
    } finally {
      controller.abort();
      if (this.waitController === controller) this.waitController = null;
    }
  }

  /** Send the next part of one row and record the outcome. Never rejects. */
  private async deliver(row: OutboxRow): Promise<void> {
    const { outbox, store, sender, render, clock, onEvent } = this.options;
    let messages = row.rendered;
    let fresh: RenderedMessage[] | undefined;
    try {
      if (messages === null) {
        // A synchronous render is not awaited, so the call below starts within the loop step that
        // counted it; awaiting would let the rest of the batch run first and bunch the sends.
        const result = render(row.chatId, row.content, store.getChat(row.chatId));
        const rendered: unknown = result instanceof Promise ? await result : result;
        if (!validMessages(rendered)) throw new Error('render must return an array of { text: string, … }');
        messages = rendered;
        if (messages.length === 0) {
          const reason = 'nothing to send: no item of this message can be rendered any more';
          outbox.cancel(row.id, reason, clock.now());
          onEvent?.({ type: 'cancelled', outboxId: row.id, chatId: row.chatId, reason });
          return;
        }
        fresh = messages;
      }
    } catch (error) {
      const message = `render failed: ${(error as Error).message ?? String(error)}`;
      outbox.fail(row.id, message, clock.now());
      onEvent?.({ type: 'failed', outboxId: row.id, chatId: row.chatId, error: message });
      return;
    }
    const part = messages[row.partsSent];
    if (part === undefined || !outbox.claim(row.id, clock.now(), fresh)) return;
    // No await between the committed claim and the call: this is the whole crash window.
    let sending: Promise<void>;
    try {
      sending = sender.send(row.chatId, part);
    } catch (error) {
      sending = Promise.reject(error);
    }
    try {
      await sending;
    } catch (error) {
      this.handleFailure(row, error);
      return;
    }
    const at = clock.now();
    outbox.partSent(row.id, messages.length, at);
    onEvent?.({ type: 'sent', outboxId: row.id, chatId: row.chatId, part: row.partsSent + 1, parts: messages.length, at });
  }

  private handleFailure(row: OutboxRow, error: unknown): void {
    const { outbox, store, limiter, clock, onEvent } = this.options;
    const failure: SendFailure =
      error instanceof SendError
        ? error.failure
        : { kind: 'other', description: error instanceof Error ? error.message : String(error) };
    const now = clock.now();
    const retry = (notBefore: number, note: string, countFailure: boolean): void => {
      outbox.retryLater(row.id, row.chatId, notBefore, note, countFailure, now);
      onEvent?.({ type: 'retry', outboxId: row.id, chatId: row.chatId, failure, notBefore });
    };
    const giveUp = (note: string): void => {
      outbox.fail(row.id, note, now);
      onEvent?.({ type: 'failed', outboxId: row.id, chatId: row.chatId, error: note });
    };
    switch (failure.kind) {
      case 'retry-after': {
        const until = now + Math.max(1, failure.seconds) * 1000;
        // Unknown scope: a private chat is already held to the per-chat rate, so its 429 means the
        // bot as a whole is too fast; a group's 429 is most likely its own 20-a-minute limit.
        const scope = failure.scope ?? (isGroup(row.chatType) ? 'chat' : 'global');
        if (scope === 'global') limiter.pauseAll(until);
        else limiter.pauseChat(row.chatId, until);
        retry(until, `429: retry after ${failure.seconds}s (${scope})`, false);
        return;
      }
      case 'network':
      case 'other': {
        const failures = row.failures + 1;
        const max = failure.kind === 'network' ? this.maxNetworkFailures : this.maxOtherFailures;
        const note = `${failure.kind}: ${failure.description}`;
        if (failures >= max) return giveUp(`${note} (${failures} failures in a row)`);
        const delay = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** (failures - 1));
        retry(now + delay, note, true);
        return;
      }
      case 'forbidden': {
        store.deactivateChat(row.chatId, failure.description, now);
        const reason = `chat deactivated: ${failure.description}`;
        outbox.cancelChat(row.chatId, reason, now);
        onEvent?.({ type: 'deactivated', chatId: row.chatId, reason: failure.description });
        return;
      }
      case 'migrated': {
        if (!Number.isSafeInteger(failure.newChatId) || failure.newChatId === row.chatId) {
          return giveUp(`migrated to an unusable chat id ${failure.newChatId}`);
        }
        store.migrateChat(row.chatId, failure.newChatId, now);
        outbox.release(row.id, now);
        onEvent?.({ type: 'migrated', fromChatId: row.chatId, toChatId: failure.newChatId });
        return;
      }
    }
  }
}
