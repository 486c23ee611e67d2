/**
 * Daily digests on each reader's own clock: croner computes the next run of `MM HH * * *` in the
 * reader's time zone; a digest is due when that run, counted from the last digest (or from when the
 * schedule was set), has come. A bot that was down at 08:00 sends the digest once when it is back.
 */
import { Cron } from 'croner';
import type { Clock, Sleep } from './clock.js';
import type { ChatSettings } from './store.js';
import type { Subscriptions } from './subscriptions.js';

export type ScheduleSettings = Pick<ChatSettings, 'mode' | 'digestTime' | 'timeZone' | 'paused' | 'scheduleSince'>;

/** Builds croner schedules; one per (time, zone), reused. */
export class DigestCalendar {
  private readonly crons = new Map<string, Cron>();

  /** The first digest time strictly after `from` (epoch ms), or null if the pattern never runs. */
  nextRun(digestTime: string, timeZone: string, from: number): number | null {
    const key = `${digestTime} ${timeZone}`;
    let cron = this.crons.get(key);
    if (!cron) {
      const [hours, minutes] = digestTime.split(':').map(Number);
      // No callback: croner only computes dates, it starts no timer.
      cron = new Cron(`${minutes} ${hours} * * *`, { timezone: timeZone });
      this.crons.set(key, cron);
    }
    return cron.nextRun(new Date(from))?.getTime() ?? null;
  }
}

/**
 * Whether a daily digest is due at `now`. Pure apart from croner's date arithmetic.
 * @example isDue({ mode: 'daily', digestTime: '08:00', timeZone: 'Asia/Shanghai', paused: false, scheduleSince: t0 }, null, now)
 */
export function isDue(
  settings: ScheduleSettings,
  lastDigestAt: number | null,
  now: number,
  calendar: DigestCalendar = new DigestCalendar(),
): boolean {
  if (settings.mode !== 'daily' || settings.paused) return false;
  const from = Math.max(lastDigestAt ?? Number.NEGATIVE_INFINITY, settings.scheduleSince);
  const next = calendar.nextRun(settings.digestTime, settings.timeZone, from);
  return next !== null && next <= now;
}

export interface SchedulerOptions {
  /** Where daily chats and their held items are (either store; several replicas may tick at once). */
  subscriptions: Pick<Subscriptions, 'dailyChats' | 'queueDigest'>;
  clock: Clock;
  sleep: Sleep;
  /** Called after digests were queued (wake the delivery worker here). */
  onQueued?: (chatIds: number[]) => void;
  /** How often to look, in ms. Default 30 s: digests go out within half a minute of their time. */
  tickMs?: number;
}

export interface TickReport {
  due: number;
  queued: number[];
  /** Due chats with nothing new: their time moved on, no message. */
  empty: number;
}

/**
 * @example
 * const scheduler = new DigestScheduler({ subscriptions, clock: systemClock, sleep: realSleep, onQueued: () => worker.wake() });
 * void scheduler.run(abort.signal);
 */
export class DigestScheduler {
  private readonly calendar = new DigestCalendar();

  constructor(private readonly options: SchedulerOptions) {}

  /** Queue every due digest at the clock's current time. */
  async tick(): Promise<TickReport> {
    const { subscriptions, clock } = this.options;
    const now = clock.now();
    const report: TickReport = { due: 0, queued: [], empty: 0 };
    for (const { chatId, settings } of await subscriptions.dailyChats()) {
      if (!isDue(settings, settings.lastDigestAt, now, this.calendar)) continue;
      report.due += 1;
      // Another replica may have queued it a moment ago: then this finds nothing held and returns null.
      const digest = await subscriptions.queueDigest(chatId, now);
      if (digest) report.queued.push(chatId);
      else report.empty += 1;
    }
    if (report.queued.length > 0) this.options.onQueued?.(report.queued);
    return report;
  }

  /** Tick until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const tickMs = this.options.tickMs ?? 30_000;
    while (!signal.aborted) {
      await this.tick();
      const now = this.options.clock.now();
      await this.options.sleep(tickMs - (now % tickMs), signal);
    }
  }
}
