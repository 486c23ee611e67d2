import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportSubscriptions, importSubscriptions } from '../../src/subscriptions/subscriptions-file.js';
import { SqliteSubscriptions } from '../../src/subscriptions/sqlite-subscriptions.js';
import { DEFAULTS, openWorld, type World } from './world.js';

describe('export and import of subscriptions', async () => {
  let w: World;
  let subs: SqliteSubscriptions;
  beforeEach(() => {
    w = openWorld();
    subs = new SqliteSubscriptions(w.db, DEFAULTS);
    w.store.registerChat({ id: 1, type: 'private' }, 1000);
    w.store.registerChat({ id: 2, type: 'group' }, 1000);
  });
  afterEach(() => w.close());

  it('round-trips topics and schedule into another chat', async () => {
    for (const q of ['开化', '停车场 江山', '"公交 线路" -柯城区']) w.store.addTopic(1, q, 1000);
    w.store.updateSettings(1, { mode: 'daily', digestTime: '07:15', timeZone: 'Europe/Berlin' }, 1000);
    const text = await exportSubscriptions(subs, 1, Date.UTC(2025, 0, 2));
    const parsed = JSON.parse(text);
    expect(parsed).toMatchObject({ format: 'quzhou-news-bot/subscriptions', version: 1, exportedAt: '2025-01-02T00:00:00.000Z' });
    const result = await importSubscriptions(subs, 2, text, 5000);
    expect(result).toEqual({ ok: true, added: ['开化', '停车场 江山', '"公交 线路" -柯城区'], skipped: [], settingsApplied: true });
    expect(w.store.listTopics(2).map((t) => t.query)).toEqual(w.store.listTopics(1).map((t) => t.query));
    expect(w.store.getSettings(2)).toMatchObject({ mode: 'daily', digestTime: '07:15', timeZone: 'Europe/Berlin' });
    // Importing again adds nothing and says why.
    const again = await importSubscriptions(subs, 2, text, 6000);
    expect(again).toMatchObject({ ok: true, added: [] });
    if (again.ok) expect(again.skipped.map((s) => s.reason)).toEqual(['duplicate', 'duplicate', 'duplicate']);
  });

  it('reports topics over the limit and bad entries, adding the rest', async () => {
    for (let i = 0; i < 18; i++) w.store.addTopic(2, `旧${i}`, 1000);
    const file = {
      format: 'quzhou-news-bot/subscriptions',
      version: 1,
      topics: ['新1', { query: '新2' }, 42, '', '词'.repeat(200), '新3', '新4'],
    };
    const result = await importSubscriptions(subs, 2, JSON.stringify(file), 2000);
    expect(result).toMatchObject({ ok: true, added: ['新1', '新2'], settingsApplied: false });
    if (result.ok) {
      expect(result.skipped.map((s) => s.reason)).toEqual(['invalid', 'empty', 'too-long', 'limit', 'limit']);
    }
    expect(w.store.listTopics(2)).toHaveLength(20);
  });

  it('refuses what is not a subscriptions file, changing nothing', async () => {
    expect(await importSubscriptions(subs, 1, 'not json {', 1)).toMatchObject({ ok: false, problem: 'not-json' });
    expect(await importSubscriptions(subs, 1, '{"topics":["开化"]}', 1)).toMatchObject({ ok: false, problem: 'wrong-format' });
    expect(
      await importSubscriptions(subs, 1, '{"format":"quzhou-news-bot/subscriptions","version":9,"topics":[]}', 1),
    ).toMatchObject({ ok: false, problem: 'unsupported-version' });
    expect(await importSubscriptions(subs, 1, 'x'.repeat(70_000), 1)).toMatchObject({ ok: false, problem: 'too-large' });
    expect(w.store.listTopics(1)).toEqual([]);
  });
});
