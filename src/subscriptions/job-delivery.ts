/**
 * Deliveries as pg-boss jobs (PostgreSQL mode): every queued outbox row gets a job; any replica's
 * worker may take it; Telegram's limits hold across replicas through `SharedRateLimiter`.
 *
 * Exactly once, across replicas and crashes:
 * - A job names a row and the row's `generation`; its id is derived from both, so queueing it
 *   again (after a crash between the commit and the queueing, or by the sweep) is a no-op.
 * - Before the API call the row is claimed (`pending` → `sending`, only in that generation) in a
 *   committed statement; the call follows with no await in between; the result is recorded right
 *   after, the last part with its deliveries. Two replicas can never both claim a part.
 * - A replica killed mid-call leaves the row `sending`; its job expires and pg-boss hands it to a
 *   live worker, which settles it as the SQLite worker's `recover()` does: not resent (a duplicate
 *   is what readers complain about), recorded with `certain = false`, flagged `uncertain`.
 * - 429 waits `retry_after` (the bot or the chat, for every replica); network and other failures
 *   back off; each retry is a new generation with its own job, so the old job can do nothing more.
 *   403 deactivates the chat and cancels what it was owed; a group's move follows the supergroup.
 */
import PgBoss from 'pg-boss';
import type { Clock, Sleep } from './clock.js';
import { isGroup, validMessages, type DeliveryEvent, type Render, type Sender } from './delivery.js';
import type { RenderedMessage } from './outbox.js';
import type { PgOutbox, PgOutboxRow } from './pg-outbox.js';
import type { PgSubscriptions } from './pg-subscriptions.js';
import type { SendRate } from './rate-limiter.js';
import { SendError, type SendFailure } from './send-error.js';
import { SharedRateLimiter } from './shared-rate-limiter.js';

export const DELIVERY_QUEUE = 'deliveries';

const QUEUE_SETUP_LOCK = 727_413_002;

/**
 * A send slot reached later than this is given up for a new one: late sends followed by punctual
 * ones would start more messages in one second than the rate allows. A tenth of a second late lets
 * a tenth more start in one second, what the default 25/s leaves under Telegram's 30. Each slot
 * given up is capacity lost: at 50 ms, a busy machine (timers 50-100 ms late) gave up so many that
 * two replicas at 40/s achieved 30/s.
 */
const LATE_SLOT_MS = 100;
/** Times a row whose items this replica cannot render yet is tried again, a second apart, before it is cancelled. */
const NOT_INDEXED_RETRIES = 30;

export interface JobDeliveryOptions {
  subscriptions: PgSubscriptions;
  /** The PostgreSQL URL pg-boss connects to (the same database). */
  url: string;
  sender: Sender;
  render: Render;
  /** Telegram's limits, shared by all replicas; null turns them off. */
  sendRate: SendRate | null;
  clock: Clock;
  sleep: Sleep;
  /** Jobs this replica works on at once. Default 8. */
  concurrency?: number;
  /** pg-boss's schema. Default `pgboss`. */
  schema?: string;
  /** A job a dead replica held is handed on after this long. Default 60 s. */
  expireInSeconds?: number;
  /** How often pg-boss expires jobs (its maintenance). Default 30 s. */
  maintenanceIntervalSeconds?: number;
  /** How often rows waiting longer than this without a live job are given one (the sweep). Default 60 s. */
  sweepMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  maxNetworkFailures?: number;
  maxOtherFailures?: number;
  onEvent?: (event: DeliveryEvent) => void;
  onError?: (error: unknown) => void;
}

interface JobData {
  outboxId: number;
  generation: number;
}

/** The job id of a row's generation: a UUID, the same every time it is asked for. */
export function deliveryJobId(outboxId: number, generation: number): string {
  const id = outboxId.toString(16).padStart(12, '0');
  const gen = generation.toString(16).padStart(8, '0');
  return `${gen}-0000-4000-8000-${id}`;
}

/**
 * @example
 * const delivery = new JobDelivery({ subscriptions, url: config.databaseUrl, sender, render, sendRate: config.sendRate, clock, sleep });
 * await delivery.start(); subscriptions.afterQueued = (ids) => delivery.enqueue(ids);
 */
export class JobDelivery {
  private readonly boss: PgBoss;
  private readonly limiter: SharedRateLimiter;
  private readonly outbox: PgOutbox;
  private readonly workerIds: string[] = [];
  private sweepTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly inflight = new Set<Promise<void>>();

  constructor(private readonly options: JobDeliveryOptions) {
    this.boss = new PgBoss({
      connectionString: options.url,
      schema: options.schema ?? 'pgboss',
      max: 4,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 30,
      // Jobs are small and the outbox keeps the record: completed jobs need not stay long.
      archiveCompletedAfterSeconds: 3600,
    });
    this.boss.on('error', (error) => options.onError?.(error));
    this.limiter = new SharedRateLimiter(options.subscriptions.pool, options.sendRate);
    this.outbox = options.subscriptions.outbox;
  }

  /** Start pg-boss (it creates its schema once), the workers and the sweep. */
  async start(): Promise<void> {
    await this.boss.start();
    const queue = {
      name: DELIVERY_QUEUE,
      // Our own retries are new jobs; pg-boss retries only what failed on the way (a dead replica, the database).
      retryLimit: 1000,
      retryDelay: 1,
      expireInSeconds: this.options.expireInSeconds ?? 60,
    };
    // Replicas starting together would create the queue at once (pg-boss's DDL then deadlocks): one
    // at a time, under a session lock of ours.
    const lock = await this.options.subscriptions.pool.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [QUEUE_SETUP_LOCK]);
      if (await this.boss.getQueue(DELIVERY_QUEUE)) await this.boss.updateQueue(DELIVERY_QUEUE, queue);
      else await this.boss.createQueue(DELIVERY_QUEUE, queue);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [QUEUE_SETUP_LOCK]).catch(() => undefined);
      lock.release();
    }
    const concurrency = Math.max(1, this.options.concurrency ?? 8);
    // Several workers per replica: while some wait for their batch's last slot, others have fetched.
    const workers = Math.min(4, concurrency);
    for (let i = 0; i < workers; i++) {
      const batchSize = Math.ceil(concurrency / workers);
      let workerId = '';
      workerId = await this.boss.work<JobData>(DELIVERY_QUEUE, { batchSize, pollingIntervalSeconds: 0.5 }, async (jobs) => {
        await this.track(Promise.all(jobs.map((job) => this.handle(job.data))).then(() => undefined));
        // A full batch means more are waiting: fetch again at once instead of after the polling pause.
        if (jobs.length === batchSize && workerId) this.boss.notifyWorker(workerId);
      });
      this.workerIds.push(workerId);
    }
    await this.sweep(Number.POSITIVE_INFINITY);
    const sweepMs = this.options.sweepMs ?? 60_000;
    this.sweepTimer = setInterval(() => {
      const now = this.options.clock.now();
      void this.sweep(now - sweepMs)
        .then(() => this.limiter.prune(now))
        .catch((error: unknown) => this.options.onError?.(error));
    }, sweepMs);
    this.sweepTimer.unref();
  }

  /** Give freshly queued rows their jobs (call right after the transaction that queued them). */
  async enqueue(outboxIds: readonly number[]): Promise<void> {
    if (outboxIds.length === 0 || this.stopped) return;
    const rows = await this.outbox.generations(outboxIds);
    await this.insertJobs(rows);
    for (const id of this.workerIds) this.boss.notifyWorker(id);
  }

  /** Rows waiting without a live job (a crash between commit and `enqueue`) get one; existing jobs are kept. */
  async sweep(updatedBefore: number): Promise<number> {
    let total = 0;
    for (let after = 0; ; ) {
      const rows = await this.outbox.waiting(updatedBefore, after, 5000);
      if (rows.length === 0) break;
      await this.insertJobs(rows);
      total += rows.length;
      after = rows[rows.length - 1]!.id;
      if (rows.length < 5000) break;
    }
    return total;
  }

  /** Stop taking jobs and wait for the sends in flight; the jobs left wait in the database. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    await Promise.all([...this.inflight]);
  }

  private track(work: Promise<void>): Promise<void> {
    this.inflight.add(work);
    return work.finally(() => this.inflight.delete(work));
  }

  private async insertJobs(rows: ReadonlyArray<{ id: number; generation: number; notBefore: number }>): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) {
      await this.boss.insert(
        rows.slice(i, i + 1000).map((r) => ({
          id: deliveryJobId(r.id, r.generation),
          name: DELIVERY_QUEUE,
          data: { outboxId: r.id, generation: r.generation },
          ...(r.notBefore > this.options.clock.now() ? { startAfter: new Date(r.notBefore).toISOString() } : {}),
        })),
      );
    }
  }

  private async requeue(id: number, generation: number, notBefore: number): Promise<void> {
    await this.insertJobs([{ id, generation, notBefore }]);
  }

  /** One job: settle an interrupted part, then send the row's remaining parts. Throws only when the database fails (pg-boss retries). */
  private async handle(job: JobData): Promise<void> {
    const { clock, sleep, onEvent } = this.options;
    const outbox = this.outbox;
    let row = await outbox.get(job.outboxId);
    if (!row || row.generation !== job.generation) return;
    if (row.state === 'sending') {
      // The replica that claimed this part died (its job expired and came here): presumed delivered.
      const parts = row.rendered?.length ?? 0;
      const now = clock.now();
      await outbox.markUncertain(row.id, `进程在发送第 ${row.partsSent + 1}/${parts} 部分时退出，无法确认是否送达（未重发以免重复）`, now);
      onEvent?.({ type: 'recovered', outboxId: row.id, chatId: row.chatId, resend: false });
      if (parts === 0 || (await outbox.partSent(row.id, parts, now, false))) return;
      row = (await outbox.get(row.id))!;
    }
    if (row.state !== 'pending') return;
    const early = row.notBefore - clock.now();
    if (early > 0 && early <= 2000) await sleep(early);
    else if (early > 0) {
      // Held after this job was made (a 429 or backoff of an earlier row of the chat): a job for then.
      const generation = await outbox.retryLater(row.id, row.chatId, row.notBefore, null, false, clock.now());
      return this.requeue(row.id, generation, row.notBefore);
    }
    const messages = await this.messagesOf(row);
    if (!messages) return;
    for (let part = row.partsSent; part < messages.length; part++) {
      let at = await this.limiter.reserve(row.chatId, isGroup(row.chatType), clock.now());
      for (;;) {
        const wait = at - clock.now();
        if (wait > 0) await sleep(wait);
        // Reached late (the event loop or the database was held): sending now would bunch this
        // message with those of the slots after it, so it takes a new slot.
        if (clock.now() - at <= LATE_SLOT_MS) break;
        at = await this.limiter.reserve(row.chatId, isGroup(row.chatType), clock.now());
      }
      if (!(await outbox.claim(row.id, row.generation, clock.now()))) return;
      // No await between the committed claim and the call: this is the whole crash window.
      let sending: Promise<void>;
      try {
        sending = this.options.sender.send(row.chatId, messages[part]!);
      } catch (error) {
        sending = Promise.reject(error);
      }
      try {
        await sending;
      } catch (error) {
        return this.handleFailure(row, error);
      }
      const sentAt = clock.now();
      await outbox.partSent(row.id, messages.length, sentAt);
      onEvent?.({ type: 'sent', outboxId: row.id, chatId: row.chatId, part: part + 1, parts: messages.length, at: sentAt });
    }
  }

  /** The row's parts, rendered once (the first rendering stored wins); null when nothing is to be sent. */
  private async messagesOf(row: PgOutboxRow): Promise<RenderedMessage[] | null> {
    if (row.rendered) return row.rendered;
    const { clock, onEvent } = this.options;
    try {
      const rendered: unknown = await this.options.render(row.chatId, row.content, await this.options.subscriptions.getChat(row.chatId));
      if (!validMessages(rendered)) throw new Error('render must return an array of { text: string, … }');
      if (rendered.length === 0 && row.failures < NOT_INDEXED_RETRIES) {
        // Each replica indexes its own archive: this one may not have read the new page yet.
        const generation = await this.outbox.retryLater(row.id, row.chatId, clock.now() + 1000, 'items not in this replica\'s archive yet', true, clock.now());
        await this.requeue(row.id, generation, clock.now() + 1000);
        return null;
      }
      if (rendered.length === 0) {
        const reason = 'nothing to send: no item of this message can be rendered any more';
        await this.outbox.cancel(row.id, reason, clock.now());
        onEvent?.({ type: 'cancelled', outboxId: row.id, chatId: row.chatId, reason });
        return null;
      }
      return await this.outbox.saveRendered(row.id, rendered, clock.now());
    } catch (error) {
      const message = `render failed: ${(error as Error).message ?? String(error)}`;
      await this.outbox.fail(row.id, message, clock.now());
      onEvent?.({ type: 'failed', outboxId: row.id, chatId: row.chatId, error: message });
      return null;
    }
  }

  private async handleFailure(row: PgOutboxRow, error: unknown): Promise<void> {
    const { clock, onEvent, subscriptions } = this.options;
    const failure: SendFailure =
      error instanceof SendError ? error.failure : { kind: 'other', description: error instanceof Error ? error.message : String(error) };
    const now = clock.now();
    const retry = async (notBefore: number, note: string, countFailure: boolean): Promise<void> => {
      const generation = await this.outbox.retryLater(row.id, row.chatId, notBefore, note, countFailure, now);
      await this.requeue(row.id, generation, notBefore);
      onEvent?.({ type: 'retry', outboxId: row.id, chatId: row.chatId, failure, notBefore });
    };
    switch (failure.kind) {
      case 'retry-after': {
        const until = now + Math.max(1, failure.seconds) * 1000;
        // As in the SQLite worker: a private chat's 429 means the bot is too fast; a group's, the group.
        const scope = failure.scope ?? (isGroup(row.chatType) ? 'chat' : 'global');
        if (scope === 'global') await this.limiter.pauseAll(until);
        else await this.limiter.pauseChat(row.chatId, until);
        return retry(until, `429: retry after ${failure.seconds}s (${scope})`, false);
      }
      case 'network':
      case 'other': {
        const failures = row.failures + 1;
        const max = failure.kind === 'network' ? (this.options.maxNetworkFailures ?? 20) : (this.options.maxOtherFailures ?? 3);
        const note = `${failure.kind}: ${failure.description}`;
        if (failures >= max) {
          await this.outbox.fail(row.id, `${note} (${failures} failures in a row)`, now);
          onEvent?.({ type: 'failed', outboxId: row.id, chatId: row.chatId, error: note });
          return;
        }
        const backoff = this.options.backoff ?? { baseMs: 2000, maxMs: 600_000 };
        return retry(now + Math.min(backoff.maxMs, backoff.baseMs * 2 ** (failures - 1)), note, true);
      }
      case 'forbidden': {
        await subscriptions.deactivateChat(row.chatId, failure.description, now);
        onEvent?.({ type: 'deactivated', chatId: row.chatId, reason: failure.description });
        return;
      }
      case 'migrated': {
        if (!Number.isSafeInteger(failure.newChatId) || failure.newChatId === row.chatId) {
          await this.outbox.fail(row.id, `migrated to an unusable chat id ${failure.newChatId}`, now);
          return;
        }
        await subscriptions.migrateChat(row.chatId, failure.newChatId, now);
        const generation = await this.outbox.retryLater(row.id, failure.newChatId, now, null, false, now);
        await this.requeue(row.id, generation, now);
        onEvent?.({ type: 'migrated', fromChatId: row.chatId, toChatId: failure.newChatId });
        return;
      }
    }
  }
}
