import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryWorker, type DeliveryOptions } from '../../src/subscriptions/delivery.js';
import { RateLimiter, type SendRate } from '../../src/subscriptions/rate-limiter.js';
import { SendError } from '../../src/subscriptions/send-error.js';
import { FakeClock, fakeSleep } from './fake-time.js';
import { RecordingSender, idsRender, openWorld, type World } from './world.js';

const TELEGRAM: SendRate = { global: 25, perChatMs: 1000, perGroupPerMinute: 20 };
const T0 = Date.UTC(2025, 5, 1, 0, 0, 0);

describe('DeliveryWorker', () => {
  let w: World;
  let clock: FakeClock;
  let n = 0;
  beforeEach(() => {
    w = openWorld();
    clock = new FakeClock(T0);
    n = 0;
  });
  afterEach(() => w.close());

  /** Queue one message carrying `count` fresh items for a chat (registering it). */
  function queue(chatId: number, type: 'private' | 'group' = 'private', count = 1): string[] {
    if (!w.store.getChat(chatId)) w.store.registerChat({ id: chatId, type }, T0);
    const ids = Array.from({ length: count }, () => `i${++n}`);
    const items = ids.map((itemId) => ({ itemId, storyKey: `p|article|${itemId}` }));
    w.outbox.enqueue(chatId, { kind: 'instant', page: 'p.txt', topics: [{ topicId: 0, query: 'q', itemIds: ids }] }, items, clock.now());
    return ids;
  }

  function worker(sender: RecordingSender, options: Partial<DeliveryOptions> = {}, rate: SendRate | null = TELEGRAM) {
    return new DeliveryWorker({
      outbox: w.outbox,
      store: w.store,
      sender,
      render: idsRender(),
      limiter: new RateLimiter(rate),
      clock,
      sleep: fakeSleep(clock),
      ...options,
    });
  }

  const delivered = (chatId: number): string[] =>
    (w.db.prepare('SELECT item_id FROM deliveries WHERE chat_id = ? ORDER BY item_id').pluck().all(chatId) as string[]);

  /** Largest number of sends in any window of `ms` starting at a send. */
  function maxInWindow(times: number[], ms: number): number {
    let max = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[j]! <= times[i]! - ms) j++;
      max = Math.max(max, i - j + 1);
    }
    return max;
  }

  it('sends 200 chats at 25 a second overall: the rate is reached and never exceeded', async () => {
    for (let c = 1; c <= 200; c++) queue(c);
    const sender = new RecordingSender(clock);
    await worker(sender).drain();
    const times = sender.sent.map((s) => s.at - T0);
    expect(sender.sent).toHaveLength(200);
    expect(maxInWindow(times, 1000)).toBe(25);
    expect(times.at(-1)).toBeLessThanOrEqual(7000 + 50); // 8 windows of 25: the last starts at 7 s
    expect(w.outbox.counts()).toMatchObject({ sent: 200, pending: 0, sending: 0 });
  });

  it('sends to one chat at most once per second, in the order queued', async () => {
    const queued = Array.from({ length: 10 }, () => queue(5)[0]!);
    const sender = new RecordingSender(clock);
    await worker(sender).drain();
    expect(sender.sent.map((s) => s.text)).toEqual(queued);
    const gaps = sender.sent.slice(1).map((s, i) => s.at - sender.sent[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
    expect(sender.sent.at(-1)!.at - T0).toBeLessThanOrEqual(9000 + 50);
  });

  it('sends to one group at most 20 a minute', async () => {
    for (let i = 0; i < 45; i++) queue(-42, 'group');
    const sender = new RecordingSender(clock);
    await worker(sender).drain();
    const times = sender.sent.map((s) => s.at - T0);
    expect(times).toHaveLength(45);
    expect(maxInWindow(times, 60_000)).toBe(20);
    expect(times[20]).toBeGreaterThanOrEqual(60_000);
    expect(times.at(-1)).toBeLessThanOrEqual(120_000 + 4_000);
  });

  it('honours a 429 for one group: that chat waits retry_after, the others go on, nothing is lost', async () => {
    const groupItems = [...queue(-7, 'group'), ...queue(-7, 'group')];
    for (let c = 1; c <= 5; c++) queue(c);
    const sender = new RecordingSender(clock, (chatId, call) =>
      chatId === -7 && call === 1 ? new SendError({ kind: 'retry-after', seconds: 30 }) : undefined,
    );
    await worker(sender).drain();
    const group = sender.sent.filter((s) => s.chatId === -7);
    expect(group.map((s) => s.text)).toEqual(groupItems);
    expect(group[0]!.at - T0).toBeGreaterThanOrEqual(30_000);
    expect(sender.sent.filter((s) => s.chatId > 0).every((s) => s.at - T0 < 1000)).toBe(true);
    expect(delivered(-7)).toEqual([...groupItems].sort());
  });

  it('pauses everyone on a 429 for a private chat (the bot as a whole was too fast)', async () => {
    for (let c = 1; c <= 30; c++) queue(c);
    const sender = new RecordingSender(clock, (chatId, call) =>
      chatId === 3 && call === 1 ? new SendError({ kind: 'retry-after', seconds: 10 }) : undefined,
    );
    await worker(sender, { concurrency: 1 }).drain();
    expect(sender.sent).toHaveLength(30);
    const failedAt = sender.sent[1]!.at; // chats 1 and 2 went first, chat 3 failed right after
    const after = sender.sent.slice(2);
    expect(after.every((s) => s.at >= failedAt + 10_000)).toBe(true);
    expect(w.outbox.counts()).toMatchObject({ sent: 30, failed: 0 });
  });

  it('deactivates a chat on 403 with the reason and cancels (keeps) its queued messages', async () => {
    w.store.registerChat({ id: 9, type: 'private' }, T0);
    w.store.addTopic(9, '开化', T0);
    queue(9);
    queue(9);
    queue(10);
    const reason = 'Forbidden: bot was blocked by the user';
    const sender = new RecordingSender(clock, (chatId) =>
      chatId === 9 ? new SendError({ kind: 'forbidden', description: reason }) : undefined,
    );
    const events: string[] = [];
    await worker(sender, { onEvent: (e) => events.push(e.type) }).drain();
    expect(w.store.getChat(9)).toMatchObject({ active: false, deactivatedReason: reason });
    expect(w.store.subscribers().map((s) => s.chat.id)).not.toContain(9);
    expect(sender.sent.map((s) => s.chatId)).toEqual([10]);
    const problems = w.outbox.problems().filter((p) => p.chatId === 9);
    expect(problems).toHaveLength(2);
    expect(problems.every((p) => p.state === 'cancelled' && p.lastError!.includes(reason))).toBe(true);
    expect(events).toContain('deactivated');
  });

  it('follows a group that became a supergroup and resends there', async () => {
    w.store.registerChat({ id: -100, type: 'group' }, T0);
    w.store.addTopic(-100, '开化', T0);
    const first = queue(-100, 'group');
    const second = queue(-100, 'group');
    const sender = new RecordingSender(clock, (chatId) =>
      chatId === -100 ? new SendError({ kind: 'migrated', newChatId: -1001234 }) : undefined,
    );
    await worker(sender).drain();
    expect(sender.sent.map((s) => [s.chatId, s.text])).toEqual([
      [-1001234, first[0]],
      [-1001234, second[0]],
    ]);
    expect(w.store.getChat(-100)).toMatchObject({ active: false, migratedTo: -1001234 });
    expect(w.store.listTopics(-1001234).map((t) => t.query)).toEqual(['开化']);
    expect(delivered(-1001234)).toEqual([...first, ...second].sort());
  });

  it('retries network errors with exponential backoff until they pass', async () => {
    const ids = queue(1);
    const sender = new RecordingSender(clock, (_chatId, call) =>
      call <= 3 ? new SendError({ kind: 'network', description: 'ECONNRESET' }) : undefined,
    );
    const retries: number[] = [];
    await worker(sender, { onEvent: (e) => e.type === 'retry' && retries.push(e.notBefore - clock.now()) }).drain();
    expect(retries).toEqual([2000, 4000, 8000]);
    expect(sender.sent.map((s) => s.text)).toEqual(ids);
    expect(sender.sent[0]!.at - T0).toBeGreaterThanOrEqual(14_000);
    expect(delivered(1)).toEqual(ids);
  });

  it('keeps a message that keeps failing as failed with its error, and goes on with the chat', async () => {
    const bad = queue(1);
    const good = queue(1);
    const sender = new RecordingSender(clock, (_chatId, _call, text) =>
      text === bad[0] ? new SendError({ kind: 'other', description: "Bad Request: can't parse entities" }) : undefined,
    );
    await worker(sender).drain();
    expect(sender.sent.map((s) => s.text)).toEqual(good);
    const [failed] = w.outbox.problems();
    expect(failed).toMatchObject({ state: 'failed', failures: 3, chatId: 1 });
    expect(failed!.lastError).toContain("can't parse entities");
    expect(delivered(1)).toEqual(good);
    // An operator can send it again after fixing the cause.
    expect(w.outbox.retryFailed(clock.now())).toBe(1);
  });

  it('sends a long message in parts, in order, and records the items once after the last part', async () => {
    const ids = queue(1, 'private', 5);
    const sender = new RecordingSender(clock);
    await worker(sender, { render: idsRender(2) }).drain();
    expect(sender.sent.map((s) => s.text)).toEqual(['i1,i2', 'i3,i4', 'i5']);
    expect(delivered(1)).toEqual(ids);
    expect(w.outbox.counts()).toMatchObject({ sent: 1 });
  });

  it('cancels, visibly, a message whose items can no longer be rendered', async () => {
    queue(1);
    await worker(new RecordingSender(clock), { render: () => [] }).drain();
    expect(w.outbox.problems()[0]).toMatchObject({ state: 'cancelled', lastError: expect.stringContaining('nothing to send') });
  });

  it('after a crash mid-send, does not resend the one uncertain message by default, and records it as uncertain', async () => {
    const ids = queue(1, 'private', 4);
    queue(2);
    // The previous process rendered the row in two parts, sent part 1, claimed part 2 and died.
    const row = w.outbox.ready(clock.now(), [], 10).find((r) => r.chatId === 1)!;
    w.outbox.saveRendered(row.id, [{ text: 'i1,i2' }, { text: 'i3,i4' }], T0);
    w.outbox.claim(row.id, T0);
    w.outbox.partSent(row.id, 2, T0);
    w.outbox.claim(row.id, T0);
    const sender = new RecordingSender(clock);
    const fresh = worker(sender);
    expect(fresh.recover()).toEqual({ interrupted: 1, resent: 0, presumedDelivered: 1 });
    await fresh.drain();
    expect(sender.sent.map((s) => s.chatId)).toEqual([2]);
    expect(w.outbox.get(row.id)).toMatchObject({ state: 'sent', uncertain: true });
    expect(w.outbox.counts().uncertain).toBe(1);
    expect(delivered(1)).toEqual(ids);
    expect(w.db.prepare('SELECT DISTINCT certain FROM deliveries WHERE chat_id = 1').pluck().all()).toEqual([0]);
  });

  it('after a crash in the first of two parts, sends the second and still records every item as uncertain', async () => {
    const ids = queue(1, 'private', 3);
    // The previous process rendered the row in two parts, claimed part 1 and died before it went out.
    const row = w.outbox.ready(clock.now(), [], 10)[0]!;
    w.outbox.claim(row.id, T0, [{ text: 'i1,i2' }, { text: 'i3' }]);
    const sender = new RecordingSender(clock);
    const fresh = worker(sender);
    expect(fresh.recover()).toEqual({ interrupted: 1, resent: 0, presumedDelivered: 1 });
    await fresh.drain();
    expect(sender.sent.map((s) => s.text)).toEqual(['i3']);
    expect(w.outbox.get(row.id)).toMatchObject({ state: 'sent', uncertain: true, partsSent: 2 });
    expect(delivered(1)).toEqual(ids);
    // Part 1 may never have reached the reader: a certain record would be a silent loss.
    expect(w.db.prepare('SELECT DISTINCT certain FROM deliveries WHERE chat_id = 1').pluck().all()).toEqual([0]);
  });

  it("resends the uncertain part with onUncertain: 'resend'", async () => {
    queue(1, 'private', 2);
    const row = w.outbox.ready(clock.now(), [], 10)[0]!;
    w.outbox.saveRendered(row.id, [{ text: 'i1,i2' }], T0);
    w.outbox.claim(row.id, T0);
    const sender = new RecordingSender(clock);
    await worker(sender, { onUncertain: 'resend' }).drain();
    expect(sender.sent.map((s) => s.text)).toEqual(['i1,i2']);
    expect(w.outbox.get(row.id)).toMatchObject({ state: 'sent', uncertain: true });
  });

  it('wakes for newly queued rows while running, and stops when aborted', async () => {
    const sender = new RecordingSender(clock);
    const wk = worker(sender, { sleep: (ms, signal) => new Promise((r) => { const t = setTimeout(r, Math.min(ms, 50)); signal?.addEventListener('abort', () => { clearTimeout(t); r(); }); }) });
    const stop = new AbortController();
    const running = wk.run(stop.signal);
    await new Promise((r) => setTimeout(r, 20));
    const ids = queue(3);
    wk.wake();
    for (let i = 0; i < 50 && sender.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    await running;
    expect(sender.sent.map((s) => s.text)).toEqual(ids);
  });
});

describe('RateLimiter', () => {
  it('never lets more than the limits through, whatever the sequence of attempts (property)', () => {
    const rate: SendRate = { global: 5, perChatMs: 300, perGroupPerMinute: 3 };
    fc.assert(
      fc.property(
        fc.array(fc.record({ chat: fc.integer({ min: -3, max: 6 }), dt: fc.integer({ min: 0, max: 400 }) }), { maxLength: 300 }),
        (attempts) => {
          const limiter = new RateLimiter(rate);
          let now = 0;
          const sends: Array<{ chat: number; at: number }> = [];
          for (const a of attempts) {
            now += a.dt;
            const group = a.chat < 0;
            if (limiter.waitFor(a.chat, group, now) === 0) {
              limiter.record(a.chat, group, now);
              sends.push({ chat: a.chat, at: now });
            }
          }
          for (const s of sends) {
            expect(sends.filter((o) => o.at >= s.at && o.at < s.at + 1000).length).toBeLessThanOrEqual(rate.global);
            const same = sends.filter((o) => o.chat === s.chat);
            expect(same.filter((o) => o.at > s.at && o.at < s.at + rate.perChatMs)).toEqual([]);
            if (s.chat < 0) expect(same.filter((o) => o.at >= s.at && o.at < s.at + 60_000).length).toBeLessThanOrEqual(3);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('waits exactly until the window opens again', () => {
    const limiter = new RateLimiter({ global: 2, perChatMs: 1000, perGroupPerMinute: 20 });
    limiter.record(1, false, 0);
    limiter.record(2, false, 100);
    expect(limiter.waitFor(3, false, 200)).toBe(800);
    expect(limiter.waitFor(1, false, 1000)).toBe(0);
    limiter.pauseAll(5000);
    expect(limiter.waitFor(3, false, 1000)).toBe(4000);
  });
});
