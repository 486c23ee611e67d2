import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueDigest, collectDigest } from '../../src/subscriptions/digest.js';
import { fanOut, storyKey } from '../../src/subscriptions/fan-out.js';
import { Corpus, openWorld, type World } from './world.js';

const PAGE1 = '001_a.txt';
const PAGE2 = '002_b.txt';

describe('fanOut', () => {
  let w: World;
  let corpus: Corpus;
  const deps = (): Parameters<typeof fanOut>[0] => ({ store: w.store, outbox: w.outbox, match: corpus.match });
  const rows = (chatId: number) =>
    (w.db.prepare('SELECT id FROM outbox WHERE chat_id = ? ORDER BY id').all(chatId) as Array<{ id: number }>).map(
      (r) => w.outbox.get(r.id)!,
    );

  beforeEach(() => {
    w = openWorld();
    corpus = new Corpus();
    w.store.registerChat({ id: 1, type: 'private' }, 0);
    w.store.addTopic(1, '开化', 0);
    w.store.addTopic(1, '医保', 0);
    w.store.registerChat({ id: 2, type: 'private' }, 0);
    w.store.addTopic(2, '江山 停车场', 0);
    w.store.registerChat({ id: 3, type: 'group' }, 0);
    w.store.addTopic(3, '开化', 0);
    w.store.updateSettings(3, { mode: 'daily' }, 0);
  });
  afterEach(() => w.close());

  const page1 = () =>
    corpus.add(PAGE1, [
      { id: 'k1', title: '开化县根缘小镇开园', body: '游客' },
      { id: 'k2', title: '开化医保服务进村', body: '医保 便民' },
      { id: 'j1', title: '江山新增停车场三处', body: '停车' },
      { id: 'x1', title: '柯城区举办读书节' },
    ]);

  it('queues one instant message per chat for a page, grouped by topic, each item once', () => {
    const report = fanOut(deps(), page1(), 100);
    expect(report).toMatchObject({ newItems: 4, messages: 2, queuedItems: 3, heldItems: 2, duplicates: 0, chats: 3 });
    const [one] = rows(1);
    // k2 matches both 开化 and 医保: listed once, under the older topic.
    expect(one!.content).toMatchObject({ kind: 'instant', page: PAGE1, topics: [{ query: '开化', itemIds: ['k1', 'k2'] }] });
    expect(rows(2)[0]!.content.topics).toEqual([expect.objectContaining({ query: '江山 停车场', itemIds: ['j1'] })]);
    expect(rows(3)).toEqual([]); // daily: held for the digest
    expect(w.store.pendingItems(3).map((p) => p.itemId)).toEqual(['k1', 'k2']);
  });

  it('gives one message per page when several pages arrive at once', () => {
    const items = [...page1(), ...corpus.add(PAGE2, [{ id: 'k3', title: '开化龙顶茶开采' }])];
    fanOut(deps(), items, 100);
    expect(rows(1).map((r) => r.content.page)).toEqual([PAGE1, PAGE2]);
  });

  it('does not send again when a page changes: same items are seen, an edited item keeps its story', () => {
    fanOut(deps(), page1(), 100);
    const before = w.outbox.counts().pending;
    // The page is edited: k1 gets a typo fixed in its body (new id, same headline), a new item k4 appears.
    const changed = corpus.add(PAGE1, [
      { id: 'k1b', title: '开化县根缘小镇开园', body: '游客 众多' },
      { id: 'k2', title: '开化医保服务进村', body: '医保 便民' },
      { id: 'k4', title: '开化举行马拉松' },
    ]);
    const report = fanOut(deps(), changed, 200);
    expect(report.newItems).toBe(2); // k1b and k4; k2 was seen
    expect(report.duplicates).toBe(2); // k1b for chat 1 and for chat 3
    const latest = rows(1).at(-1)!;
    expect(latest.content.topics.flatMap((t) => t.itemIds)).toEqual(['k4']);
    expect(w.outbox.counts().pending).toBe(before + 1);
    expect(w.store.pendingItems(3).map((p) => p.itemId)).toEqual(['k1', 'k2', 'k4']);
    // Feeding the same items again does nothing at all.
    expect(fanOut(deps(), changed, 300)).toMatchObject({ newItems: 0, messages: 0 });
  });

  it('skips items a chat already received, even when they are new to the fan-out', () => {
    const items = page1();
    w.db
      .prepare(`INSERT INTO deliveries (chat_id, item_id, story_key, delivered_at) VALUES (1, 'k1', ?, 1)`)
      .run(items[0]!.storyKey);
    fanOut(deps(), items, 100);
    expect(rows(1)[0]!.content.topics[0]!.itemIds).toEqual(['k2']);
  });

  it('holds matches for paused chats and sends nothing to inactive ones', () => {
    w.store.updateSettings(1, { paused: true }, 50);
    w.store.deactivateChat(2, 'Forbidden: bot was blocked by the user', 50);
    const report = fanOut(deps(), page1(), 100);
    expect(report.messages).toBe(0);
    expect(w.store.pendingItems(1).map((p) => p.itemId)).toEqual(['k1', 'k2']);
    expect(w.store.pendingItems(2)).toEqual([]);
  });

  it('builds a digest of held items grouped by topic, queues it once and clears the held list', () => {
    w.store.addTopic(3, '江山', 0);
    fanOut(deps(), page1(), 100);
    expect(collectDigest(w.store, 3)).toEqual({
      kind: 'digest',
      page: null,
      topics: [
        { topicId: expect.any(Number), query: '开化', itemIds: ['k1', 'k2'] },
        { topicId: expect.any(Number), query: '江山', itemIds: ['j1'] },
      ],
    });
    const queued = queueDigest({ store: w.store, outbox: w.outbox }, 3, 500);
    expect(queued?.content.topics.map((t) => t.itemIds)).toEqual([['k1', 'k2'], ['j1']]);
    expect(w.store.getSettings(3)?.lastDigestAt).toBe(500);
    expect(w.store.listTopics(3).every((t) => t.lastDigestAt === 500)).toBe(true);
    expect(collectDigest(w.store, 3)).toBeNull();
    expect(queueDigest({ store: w.store, outbox: w.outbox }, 3, 600)).toBeNull();
    expect(w.store.getSettings(3)?.lastDigestAt).toBe(600);
  });

  it('derives story keys from page, kind and headline', () => {
    const item = { kind: 'article' as const, title: '开化 县根缘　小镇', source: { file: 'p.txt', index: 3 } };
    expect(storyKey(item)).toBe('p.txt|article|开化县根缘小镇');
  });
});
