import { afterAll, describe, expect, it } from 'vitest';
import { systemClock, realSleep } from '../../src/subscriptions/clock.js';
import { DeliveryWorker } from '../../src/subscriptions/delivery.js';
import { fanOut } from '../../src/subscriptions/fan-out.js';
import { RateLimiter } from '../../src/subscriptions/rate-limiter.js';
import { Corpus, idsRender, openWorld } from './world.js';

const SUBSCRIBERS = 10_000;

describe('throughput', () => {
  const w = openWorld();
  afterAll(() => w.close());

  it(`fans a page out to ${SUBSCRIBERS} subscribers and sends it (limiter off): every chat once`, async () => {
    const corpus = new Corpus();
    const topics = ['开化', '江山 停车场', '医保', '柯城区', '龙游 -旅游'];
    let t = performance.now();
    w.db.transaction(() => {
      for (let c = 1; c <= SUBSCRIBERS; c++) {
        w.store.registerChat({ id: c, type: c % 10 === 0 ? 'group' : 'private' }, 0);
        w.store.addTopic(c, topics[c % topics.length]!, 0);
        if (c % 2 === 0) w.store.addTopic(c, topics[(c + 1) % topics.length]!, 0);
      }
    })();
    const setupMs = performance.now() - t;
    const items = corpus.add('p.txt', [
      { id: 'a', title: '开化根缘小镇开园' },
      { id: 'b', title: '江山新增停车场' },
      { id: 'c', title: '医保服务进村', body: '开化' },
      { id: 'd', title: '柯城区读书节' },
      { id: 'e', title: '龙游石窟', body: '文化' },
      { id: 'f', title: '与订阅无关的新闻' },
    ]);
    t = performance.now();
    const report = fanOut({ store: w.store, outbox: w.outbox, match: corpus.match }, items, 1);
    const fanOutMs = performance.now() - t;
    expect(report.messages).toBe(SUBSCRIBERS);

    let sent = 0;
    const perChat = new Map<number, number>();
    const worker = new DeliveryWorker({
      outbox: w.outbox,
      store: w.store,
      sender: {
        async send(chatId) {
          sent += 1;
          perChat.set(chatId, (perChat.get(chatId) ?? 0) + 1);
        },
      },
      render: idsRender(),
      limiter: new RateLimiter(null),
      clock: systemClock,
      sleep: realSleep,
      concurrency: 16,
    });
    t = performance.now();
    await worker.drain();
    const sendMs = performance.now() - t;
    console.log(
      `throughput: ${SUBSCRIBERS} subscribers (setup ${setupMs.toFixed(0)} ms); fan-out ${fanOutMs.toFixed(0)} ms ` +
        `(${report.messages} messages, ${report.queuedItems} chat-items); delivery ${sendMs.toFixed(0)} ms = ` +
        `${((sent / sendMs) * 1000).toFixed(0)} messages/s`,
    );
    expect(sent).toBe(SUBSCRIBERS);
    expect([...perChat.values()].every((n) => n === 1)).toBe(true);
    expect(w.outbox.counts()).toMatchObject({ sent: SUBSCRIBERS, pending: 0 });
  });
});
