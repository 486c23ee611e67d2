import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fanOut } from '../../src/subscriptions/fan-out.js';
import { DigestScheduler, isDue, type ScheduleSettings } from '../../src/subscriptions/schedule.js';
import { FakeClock, fakeSleep } from './fake-time.js';
import { SqliteSubscriptions } from '../../src/subscriptions/sqlite-subscriptions.js';
import { Corpus, DEFAULTS, openWorld, type World } from './world.js';

// 2025-06-01 00:00 UTC is 08:00 in Shanghai.
const at = (iso: string): number => Date.parse(iso);
const daily = (over: Partial<ScheduleSettings> = {}): ScheduleSettings => ({
  mode: 'daily',
  digestTime: '08:00',
  timeZone: 'Asia/Shanghai',
  paused: false,
  scheduleSince: at('2025-05-31T12:00:00Z'),
  ...over,
});

describe('isDue', () => {
  it('is due at 08:00 Shanghai time, not a minute before', () => {
    expect(isDue(daily(), null, at('2025-05-31T23:59:00Z'))).toBe(false);
    expect(isDue(daily(), null, at('2025-06-01T00:00:00Z'))).toBe(true);
  });

  it('is not due again the same day once sent, and due the next day', () => {
    const sent = at('2025-06-01T00:00:10Z');
    expect(isDue(daily(), sent, at('2025-06-01T15:00:00Z'))).toBe(false);
    expect(isDue(daily(), sent, at('2025-06-02T00:00:00Z'))).toBe(true);
  });

  it("uses the reader's own time zone, daylight saving included", () => {
    const berlin = daily({ digestTime: '07:30', timeZone: 'Europe/Berlin', scheduleSince: at('2025-03-29T12:00:00Z') });
    // Summer time starts on 30 March: 07:30 in Berlin is 05:30 UTC that day (06:30 UTC the day before).
    expect(isDue(berlin, null, at('2025-03-30T05:29:00Z'))).toBe(false);
    expect(isDue(berlin, null, at('2025-03-30T05:30:00Z'))).toBe(true);
  });

  it('catches up once after downtime, and never for instant, paused, or a schedule set after the time', () => {
    expect(isDue(daily(), at('2025-05-29T00:00:00Z'), at('2025-06-01T03:00:00Z'))).toBe(true);
    expect(isDue(daily({ mode: 'instant' }), null, at('2025-06-02T00:00:00Z'))).toBe(false);
    expect(isDue(daily({ paused: true }), null, at('2025-06-02T00:00:00Z'))).toBe(false);
    // Switched to daily at 09:00 Shanghai: the first digest is tomorrow's, not this morning's.
    expect(isDue(daily({ scheduleSince: at('2025-06-01T01:00:00Z') }), null, at('2025-06-01T02:00:00Z'))).toBe(false);
  });
});

describe('DigestScheduler', () => {
  let w: World;
  beforeEach(() => {
    w = openWorld();
  });
  afterEach(() => w.close());

  it('queues each daily chat its digest at its own time, on a clock under test control', async () => {
    const clock = new FakeClock(at('2025-05-31T12:00:00Z'));
    const corpus = new Corpus();
    for (const [id, time, zone] of [
      [1, '08:00', 'Asia/Shanghai'],
      [2, '20:00', 'Asia/Shanghai'],
      [3, '08:00', 'Europe/London'],
    ] as const) {
      w.store.registerChat({ id, type: 'private' }, clock.now());
      w.store.addTopic(id, '开化', clock.now());
      w.store.updateSettings(id, { mode: 'daily', digestTime: time, timeZone: zone }, clock.now());
    }
    w.store.registerChat({ id: 4, type: 'private' }, clock.now());
    w.store.addTopic(4, '开化', clock.now()); // instant: never in the schedule
    fanOut({ store: w.store, outbox: w.outbox, match: corpus.match }, corpus.add('p.txt', [{ id: 'k1', title: '开化新闻' }]), clock.now());

    const queued: Array<[number, string]> = [];
    const scheduler = new DigestScheduler({
      subscriptions: new SqliteSubscriptions(w.db, DEFAULTS),
      clock,
      sleep: fakeSleep(clock),
      tickMs: 300_000,
      onQueued: (ids) => ids.forEach((id) => queued.push([id, new Date(clock.now()).toISOString()])),
    });
    const stop = new AbortController();
    const running = scheduler.run(stop.signal);
    while (clock.now() < at('2025-06-01T13:00:00Z')) await new Promise((r) => setImmediate(r));
    stop.abort();
    await running;
    // The schedules started at 12:00 UTC on 31 May (20:00 in Shanghai): chat 2's first run is the
    // next day's. Shanghai 08:00 = 00:00 UTC; London 08:00 (summer time) = 07:00 UTC.
    expect(queued).toEqual([
      [1, '2025-06-01T00:00:00.000Z'],
      [3, '2025-06-01T07:00:00.000Z'],
      [2, '2025-06-01T12:00:00.000Z'],
    ]);
    expect(w.outbox.counts().pending).toBe(4); // chat 4's instant push and three digests
    for (const id of [1, 2, 3]) expect(w.store.pendingItems(id)).toEqual([]);
    // Ticking again the same day queues nothing more.
    expect(await scheduler.tick()).toEqual({ due: 0, queued: [], empty: 0 });
  });
});
