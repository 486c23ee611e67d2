/**
 * The contract of `Subscriptions`, written once and run against both stores: SQLite in a temp file
 * and PostgreSQL in a fresh schema or database (skipped with one line when no PostgreSQL answers;
 * `.ci/run` requires it). Where two replicas could race, the race is run for real: concurrent calls
 * on separate connections.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPgSubscriptions, type PgSubscriptions } from '../../src/subscriptions/pg-subscriptions.js';
import { openSqliteSubscriptions } from '../../src/subscriptions/sqlite-subscriptions.js';
import type { Subscriptions } from '../../src/subscriptions/subscriptions.js';
import { useTestPostgres } from './postgres.js';
import { Corpus, DEFAULTS, tempDir } from './world.js';

interface Backend {
  name: string;
  available(): boolean;
  /** A store on a clean database. */
  open(): Promise<Subscriptions>;
  /** Another store on the same database (a restart, or a second replica). */
  reopen(): Promise<Subscriptions>;
  clean(): Promise<void>;
}

const fixture = useTestPostgres();

const sqlite = (): Backend => {
  let temp = tempDir();
  const path = () => join(temp.dir, 'bot.db');
  return {
    name: 'SQLite',
    available: () => true,
    open: async () => openSqliteSubscriptions(path(), DEFAULTS),
    reopen: async () => openSqliteSubscriptions(path(), DEFAULTS),
    clean: async () => {
      temp.remove();
      temp = tempDir();
    },
  };
};

const pgBackend = (): Backend => ({
  name: 'PostgreSQL',
  available: () => fixture.current() !== null,
  open: async () => openPgSubscriptions(fixture.current()!.url, DEFAULTS),
  reopen: async () => openPgSubscriptions(fixture.current()!.url, DEFAULTS),
  clean: async () => {
    const subs = await openPgSubscriptions(fixture.current()!.url, DEFAULTS);
    await subs.pool.query(
      'TRUNCATE chats, settings, topics, seen_items, pending_items, outbox, outbox_items, deliveries, result_lists, send_slots RESTART IDENTITY CASCADE',
    );
    await subs.close();
  },
});

describe.each([sqlite(), pgBackend()])('Subscriptions on $name', (backend) => {
  let subs: Subscriptions;
  const opened: Subscriptions[] = [];
  const open = async (again = false) => {
    const s = again ? await backend.reopen() : await backend.open();
    opened.push(s);
    return s;
  };

  beforeEach(async (context) => {
    if (!backend.available()) return context.skip();
    await backend.clean();
    subs = await open();
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });

  it('registers a chat with the default settings and revives one that had blocked the bot', async () => {
    const chat = await subs.registerChat({ id: 7, type: 'private', language: 'en' }, 1000);
    expect(chat).toMatchObject({ id: 7, type: 'private', language: 'en', active: true, createdAt: 1000 });
    expect(await subs.getSettings(7)).toEqual({
      mode: 'instant',
      digestTime: '08:00',
      timeZone: 'Asia/Shanghai',
      paused: false,
      lastDigestAt: null,
      scheduleSince: 1000,
    });
    await subs.deactivateChat(7, 'Forbidden: bot was blocked by the user', 2000);
    expect(await subs.getChat(7)).toMatchObject({ active: false, deactivatedReason: 'Forbidden: bot was blocked by the user', deactivatedAt: 2000 });
    expect(await subs.registerChat({ id: 7, type: 'private' }, 3000)).toMatchObject({ active: true, deactivatedReason: null, language: 'en' });
    expect(await subs.getChat(8)).toBeNull();
    // Telegram's group ids are large negative numbers: they come back as the same numbers.
    expect(await subs.registerChat({ id: -1001234567890, type: 'supergroup' }, 1)).toMatchObject({ id: -1001234567890 });
  });

  it('keeps topics as typed, refuses normalised duplicates, empty, too long, unknown chats and the 21st', async () => {
    await subs.registerChat({ id: 1, type: 'private' }, 0);
    expect(await subs.addTopic(1, ' 停车场 江山 ', 10)).toMatchObject({ kind: 'added', topic: { query: '停车场 江山', chatId: 1, createdAt: 10 } });
    expect(await subs.addTopic(1, '江山　停车场', 20)).toMatchObject({ kind: 'duplicate', topic: { query: '停车场 江山' } });
    expect(await subs.addTopic(1, '  ', 0)).toEqual({ kind: 'empty' });
    expect(await subs.addTopic(1, '词'.repeat(101), 0)).toEqual({ kind: 'too-long', max: 100 });
    expect(await subs.addTopic(99, '开化', 0)).toEqual({ kind: 'unknown-chat' });
    for (let i = 1; i < 20; i++) expect((await subs.addTopic(1, `话题${i}`, i)).kind).toBe('added');
    expect(await subs.addTopic(1, '再来一个', 0)).toEqual({ kind: 'limit', max: 20 });
    expect((await subs.listTopics(1)).map((t) => t.query).slice(0, 2)).toEqual(['停车场 江山', '话题1']);
  });

  it('holds the limit of 20 topics when 25 subscribe requests race (two connections)', async () => {
    const other = await open(true);
    await subs.registerChat({ id: 5, type: 'group' }, 0);
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => (i % 2 === 0 ? subs : other).addTopic(5, `并发${i}`, i)),
    );
    expect(results.filter((r) => r.kind === 'added')).toHaveLength(20);
    expect(results.filter((r) => r.kind === 'limit')).toHaveLength(5);
    expect(await other.listTopics(5)).toHaveLength(20);
  });

  it('removes a topic by id only from its own chat, and by its text', async () => {
    await subs.registerChat({ id: 1, type: 'private' }, 0);
    await subs.registerChat({ id: 2, type: 'private' }, 0);
    const a = await subs.addTopic(1, '开化', 0);
    await subs.addTopic(1, '医保 江山', 0);
    if (a.kind !== 'added') throw new Error('not added');
    expect(await subs.removeTopic(2, a.topic.id)).toBe(false);
    expect(await subs.removeTopic(1, a.topic.id)).toBe(true);
    expect(await subs.removeTopic(1, a.topic.id)).toBe(false);
    expect(await subs.removeTopicByQuery(1, '江山 医保')).toMatchObject({ query: '医保 江山' });
    expect(await subs.removeTopicByQuery(1, '江山 医保')).toBeNull();
    expect(await subs.listTopics(1)).toEqual([]);
  });

  it('lists the topics two or more active chats follow, most followed first, as the first chat typed them', async () => {
    for (const id of [1, 2, 3, 4]) await subs.registerChat({ id, type: 'private' }, 0);
    await subs.addTopic(1, '停车场 江山', 1);
    await subs.addTopic(2, '江山　停车场', 2);
    for (const id of [1, 2, 3]) await subs.addTopic(id, '医保', 3);
    await subs.addTopic(4, '只有我关心的事', 4);
    expect(await subs.followedTopics(2, 10)).toEqual([
      { query: '医保', chats: 3 },
      { query: '停车场 江山', chats: 2 },
    ]);
    expect(await subs.followedTopics(2, 1)).toEqual([{ query: '医保', chats: 3 }]);
    // A chat that blocked the bot no longer counts.
    await subs.deactivateChat(2, 'Forbidden: bot was blocked by the user', 5);
    expect(await subs.followedTopics(2, 10)).toEqual([{ query: '医保', chats: 2 }]);
    expect((await subs.followedTopics(1, 10)).map((t) => t.query)).toContain('只有我关心的事');
  });

  it('changes settings, refuses bad times, zones and unknown chats, and restarts the schedule only when it changed', async () => {
    await subs.registerChat({ id: 1, type: 'private' }, 100);
    expect(await subs.updateSettings(1, { digestTime: '25:00' }, 200)).toEqual({ ok: false, problem: 'bad-digest-time', value: '25:00' });
    expect(await subs.updateSettings(1, { timeZone: 'Mars/Base' }, 200)).toEqual({ ok: false, problem: 'bad-time-zone', value: 'Mars/Base' });
    expect(await subs.updateSettings(9, { paused: true }, 200)).toEqual({ ok: false, problem: 'unknown-chat', value: '9' });
    expect(await subs.updateSettings(1, { paused: true }, 200)).toMatchObject({ ok: true, settings: { paused: true, scheduleSince: 100 } });
    expect(await subs.updateSettings(1, { mode: 'daily', digestTime: '07:30' }, 300)).toMatchObject({
      ok: true,
      settings: { mode: 'daily', digestTime: '07:30', paused: true, scheduleSince: 300 },
    });
    expect(await subs.dailyChats()).toEqual([]); // paused
    await subs.updateSettings(1, { paused: false }, 400);
    expect((await subs.dailyChats()).map((d) => d.chatId)).toEqual([1]);
  });

  async function threeReaders(): Promise<void> {
    await subs.registerChat({ id: 1, type: 'private' }, 0);
    await subs.addTopic(1, '开化', 0);
    await subs.addTopic(1, '医保', 0);
    await subs.registerChat({ id: 2, type: 'private' }, 0);
    await subs.addTopic(2, '江山 停车场', 0);
    await subs.registerChat({ id: 3, type: 'group' }, 0);
    await subs.addTopic(3, '开化', 0);
    await subs.updateSettings(3, { mode: 'daily' }, 0);
  }
  const page1 = (corpus: Corpus) =>
    corpus.add('001_a.txt', [
      { id: 'k1', title: '开化县根缘小镇开园', body: '游客' },
      { id: 'k2', title: '开化医保服务进村', body: '医保 便民' },
      { id: 'j1', title: '江山新增停车场三处', body: '停车' },
      { id: 'x1', title: '柯城区举办读书节' },
    ]);

  it('fans a page out once: one message per instant chat, grouped by topic, held for a daily chat', async () => {
    await threeReaders();
    const corpus = new Corpus();
    const report = await subs.fanOut(page1(corpus), corpus.match, 100);
    expect(report).toMatchObject({ newItems: 4, messages: 2, queuedItems: 3, heldItems: 2, duplicates: 0, chats: 3 });
    expect(report.outboxIds).toHaveLength(2);
    expect((await subs.pendingItems(3)).map((p) => [p.itemId, p.page])).toEqual([
      ['k1', '001_a.txt'],
      ['k2', '001_a.txt'],
    ]);
    expect((await subs.counts()).outbox).toMatchObject({ pending: 2 });
    // The same page again (a restart, another replica): every item is seen, nothing is queued.
    expect(await subs.fanOut(page1(corpus), corpus.match, 200)).toMatchObject({ newItems: 0, messages: 0, outboxIds: [] });
  });

  it('does not send a new version of a story a chat already has, nor an item it already has', async () => {
    await threeReaders();
    const corpus = new Corpus();
    await subs.fanOut(page1(corpus), corpus.match, 100);
    // The tea story edited: a new id, the same page and headline (the same story key).
    const edited = corpus.add('001_a.txt', [{ id: 'k1b', title: '开化县根缘小镇开园', body: '游客 更多' }]);
    expect(await subs.fanOut(edited, corpus.match, 200)).toMatchObject({ newItems: 1, messages: 0, heldItems: 0, duplicates: 2 });
  });

  it('fans out once when two replicas see the same page at the same moment', async () => {
    await threeReaders();
    const other = await open(true);
    const corpus = new Corpus();
    const items = page1(corpus);
    const [a, b] = await Promise.all([subs.fanOut(items, corpus.match, 100), other.fanOut(items, corpus.match, 100)]);
    expect(a.newItems + b.newItems).toBe(4);
    expect(a.messages + b.messages).toBe(2);
    expect(a.heldItems + b.heldItems).toBe(2);
    expect((await subs.counts()).outbox).toMatchObject({ pending: 2 });
  });

  it('queues a digest of the held items once, even when two replicas ask at once', async () => {
    await threeReaders();
    const corpus = new Corpus();
    await subs.fanOut(page1(corpus), corpus.match, 100);
    const other = await open(true);
    const [a, b] = await Promise.all([subs.queueDigest(3, 500), other.queueDigest(3, 500)]);
    const digest = a ?? b;
    expect([a, b].filter((d) => d !== null)).toHaveLength(1);
    expect(digest!.content).toEqual({ kind: 'digest', page: null, topics: [expect.objectContaining({ query: '开化', itemIds: ['k1', 'k2'] })] });
    expect(await subs.pendingItems(3)).toEqual([]);
    expect((await subs.getSettings(3))!.lastDigestAt).toBe(500);
    expect(await subs.queueDigest(3, 600)).toBeNull();
    expect((await subs.getSettings(3))!.lastDigestAt).toBe(600);
  });

  it('imports topics and a schedule in one go, saying what it skipped', async () => {
    await subs.registerChat({ id: 1, type: 'private' }, 0);
    await subs.addTopic(1, '开化', 0);
    const outcome = await subs.importTopics(1, { queries: ['医保', '开化', ' '], settings: { mode: 'daily', digestTime: '21:00', timeZone: 'Asia/Shanghai' } }, 50);
    expect(outcome.results.map((r) => r.kind)).toEqual(['added', 'duplicate', 'empty']);
    expect(outcome.settingsApplied).toBe(true);
    expect(await subs.getSettings(1)).toMatchObject({ mode: 'daily', digestTime: '21:00', scheduleSince: 50 });
  });

  it('deactivating a chat cancels what it was owed and keeps it out of the next fan-out', async () => {
    await threeReaders();
    const corpus = new Corpus();
    await subs.fanOut(page1(corpus), corpus.match, 100);
    await subs.deactivateChat(1, 'Forbidden: bot was blocked by the user', 150);
    expect((await subs.counts()).outbox).toMatchObject({ pending: 1, cancelled: 1 });
    const more = corpus.add('002_b.txt', [{ id: 'k9', title: '开化新闻' }]);
    expect(await subs.fanOut(more, corpus.match, 200)).toMatchObject({ newItems: 1, messages: 0, heldItems: 1, chats: 1 });
  });

  it('moves topics and held items to the supergroup a group became', async () => {
    await threeReaders();
    const corpus = new Corpus();
    await subs.fanOut(page1(corpus), corpus.match, 100);
    await subs.migrateChat(3, -1009, 200);
    expect(await subs.getChat(3)).toMatchObject({ active: false, migratedTo: -1009 });
    expect(await subs.getChat(-1009)).toMatchObject({ active: true, type: 'supergroup' });
    expect((await subs.listTopics(-1009)).map((t) => t.query)).toEqual(['开化']);
    expect((await subs.pendingItems(-1009)).map((p) => p.itemId)).toEqual(['k1', 'k2']);
    expect(await subs.getSettings(-1009)).toMatchObject({ mode: 'daily' });
    expect(await subs.listTopics(3)).toEqual([]);
  });

  it('keeps result lists for their own chat only, across a restart, until unused for the time to live', async () => {
    const key = await subs.lists.put(42, { command: 'search', query: '医保' }, 1000);
    expect(key).toMatch(/^[a-z0-9]{12}$/);
    expect(await subs.lists.put(42, { command: 'latest', query: '' }, 1000)).not.toBe(key);
    expect(await subs.lists.get(43, key, 2000)).toBeUndefined();
    expect(await subs.lists.get(42, 'nosuchkey123', 2000)).toBeUndefined();
    await subs.close();
    opened.splice(opened.indexOf(subs), 1);
    const again = await open(true);
    expect(await again.lists.get(42, key, 3000)).toEqual({ command: 'search', query: '医保' });
    const week = 7 * 24 * 60 * 60 * 1000;
    // Used at 3000, so alive until 3000 + a week.
    expect(await again.lists.get(42, key, 3000 + week - 1)).toEqual({ command: 'search', query: '医保' });
    expect(await again.lists.get(42, key, 3000 + 2 * week)).toBeUndefined();
  });
});
