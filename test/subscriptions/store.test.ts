import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_TOPICS_PER_CHAT } from '../../src/subscriptions/store.js';
import { topicKey } from '../../src/subscriptions/topic-key.js';
import { openWorld, type World } from './world.js';

describe('topicKey', () => {
  it('folds order, spacing, width and case, and keeps quoted phrases whole', () => {
    expect(topicKey('停车场　江山')).toBe(topicKey('江山  停车场'));
    expect(topicKey('ＡＢＣ 医保')).toBe(topicKey('abc 医保'));
    expect(topicKey('“公交 线路” -江山')).toBe(topicKey('-江山 "公交 线路"'));
    expect(topicKey('"公交 线路"')).not.toBe(topicKey('公交 线路'));
    expect(topicKey('   ')).toBe('');
  });
});

describe('SubscriptionStore', () => {
  let w: World;
  beforeEach(() => {
    w = openWorld();
  });
  afterEach(() => w.close());

  it('registers a chat with the default settings (instant, 08:00 Asia/Shanghai)', () => {
    const chat = w.store.registerChat({ id: 7, type: 'private', language: 'en' }, 1000);
    expect(chat).toMatchObject({ id: 7, type: 'private', language: 'en', active: true });
    expect(w.store.getSettings(7)).toMatchObject({ mode: 'instant', digestTime: '08:00', timeZone: 'Asia/Shanghai', paused: false });
  });

  it('keeps the query as typed and refuses a duplicate by its normalised form', () => {
    w.store.registerChat({ id: 1, type: 'private' }, 1000);
    const added = w.store.addTopic(1, ' 停车场 江山 ', 1000);
    expect(added).toMatchObject({ kind: 'added', topic: { query: '停车场 江山' } });
    expect(w.store.addTopic(1, '江山　停车场', 2000)).toMatchObject({ kind: 'duplicate', topic: { query: '停车场 江山' } });
    expect(w.store.listTopics(1)).toHaveLength(1);
  });

  it(`allows ${MAX_TOPICS_PER_CHAT} topics per chat and answers the 21st with a limit result`, () => {
    w.store.registerChat({ id: 1, type: 'group' }, 1000);
    for (let i = 0; i < MAX_TOPICS_PER_CHAT; i++) expect(w.store.addTopic(1, `话题${i}`, 1000).kind).toBe('added');
    expect(w.store.addTopic(1, '再来一个', 1000)).toEqual({ kind: 'limit', max: 20 });
    expect(w.store.listTopics(1)).toHaveLength(20);
    // Another chat has its own 20.
    w.store.registerChat({ id: 2, type: 'private' }, 1000);
    expect(w.store.addTopic(2, '再来一个', 1000).kind).toBe('added');
  });

  it('answers empty, too long and unknown chats without storing anything', () => {
    w.store.registerChat({ id: 1, type: 'private' }, 1000);
    expect(w.store.addTopic(1, '  ', 1000)).toEqual({ kind: 'empty' });
    expect(w.store.addTopic(1, '词'.repeat(101), 1000)).toEqual({ kind: 'too-long', max: 100 });
    expect(w.store.addTopic(99, '开化', 1000)).toEqual({ kind: 'unknown-chat' });
    expect(w.store.listTopics(1)).toEqual([]);
  });

  it('removes topics by id (only the own chat) and by text', () => {
    w.store.registerChat({ id: 1, type: 'private' }, 1000);
    w.store.registerChat({ id: 2, type: 'private' }, 1000);
    const a = w.store.addTopic(1, '开化', 1000);
    w.store.addTopic(1, '医保 江山', 1000);
    if (a.kind !== 'added') throw new Error('not added');
    expect(w.store.removeTopic(2, a.topic.id)).toBe(false);
    expect(w.store.removeTopic(1, a.topic.id)).toBe(true);
    expect(w.store.removeTopicByQuery(1, '江山 医保')?.query).toBe('医保 江山');
    expect(w.store.listTopics(1)).toEqual([]);
  });

  it('validates settings and restarts the schedule when it changes', () => {
    w.store.registerChat({ id: 1, type: 'private' }, 1000);
    expect(w.store.updateSettings(1, { digestTime: '25:00' }, 2000)).toMatchObject({ ok: false, problem: 'bad-digest-time' });
    expect(w.store.updateSettings(1, { timeZone: 'Mars/Olympus' }, 2000)).toMatchObject({ ok: false, problem: 'bad-time-zone' });
    const daily = w.store.updateSettings(1, { mode: 'daily', digestTime: '21:30', timeZone: 'Europe/Berlin' }, 5000);
    expect(daily).toMatchObject({ ok: true, settings: { mode: 'daily', digestTime: '21:30', scheduleSince: 5000 } });
    const paused = w.store.updateSettings(1, { paused: true }, 9000);
    expect(paused).toMatchObject({ ok: true, settings: { paused: true, scheduleSince: 5000 } });
  });

  it('deactivates a chat with its reason, and a chat that talks again is active again', () => {
    w.store.registerChat({ id: 1, type: 'private' }, 1000);
    w.store.addTopic(1, '开化', 1000);
    w.store.deactivateChat(1, 'Forbidden: bot was blocked by the user', 3000);
    expect(w.store.getChat(1)).toMatchObject({ active: false, deactivatedReason: 'Forbidden: bot was blocked by the user', deactivatedAt: 3000 });
    expect(w.store.subscribers()).toEqual([]);
    expect(w.store.listTopics(1)).toHaveLength(1); // kept for when the reader returns
    w.store.registerChat({ id: 1, type: 'private' }, 4000);
    expect(w.store.getChat(1)).toMatchObject({ active: true, deactivatedReason: null });
    expect(w.store.subscribers()).toHaveLength(1);
  });

  it('moves a group that became a supergroup: topics, settings and deliveries follow, the old id points there', () => {
    w.store.registerChat({ id: -100, type: 'group' }, 1000);
    w.store.addTopic(-100, '开化', 1000);
    w.store.addTopic(-100, '医保', 1000);
    w.store.updateSettings(-100, { mode: 'daily', digestTime: '19:00' }, 1000);
    w.db.prepare(`INSERT INTO deliveries (chat_id, item_id, story_key, delivered_at) VALUES (-100, 'a1', 'p|article|x', 1)`).run();
    w.store.migrateChat(-100, -1009, 2000);
    expect(w.store.getChat(-100)).toMatchObject({ active: false, migratedTo: -1009 });
    expect(w.store.getChat(-1009)).toMatchObject({ active: true, type: 'supergroup' });
    expect(w.store.listTopics(-1009).map((t) => t.query)).toEqual(['开化', '医保']);
    expect(w.store.listTopics(-100)).toEqual([]);
    expect(w.store.getSettings(-1009)).toMatchObject({ mode: 'daily', digestTime: '19:00' });
    expect(w.store.isKnownToChat(-1009, 'a1', 'other')).toBe(true);
    // A message from the old id does not revive it.
    w.store.registerChat({ id: -100, type: 'group' }, 3000);
    expect(w.store.getChat(-100)?.active).toBe(false);
  });
});
