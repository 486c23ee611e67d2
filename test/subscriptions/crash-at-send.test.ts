/**
 * A kill at the exact instant between the committed claim and the request leaving, at a chosen
 * send: the deterministic counterpart of crash.test.ts (which kills at a random moment and so hits
 * this window only now and then). A message in several parts whose first part was cut off this way
 * must not be recorded as certainly delivered when its later parts go out after the restart.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/subscriptions/database.js';
import { Outbox } from '../../src/subscriptions/outbox.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import { drainOnce } from './crash-child.js';
import { DEFAULTS, tempDir } from './world.js';

const CHILD = join(import.meta.dirname, 'crash-child.ts');
const CHATS = 3;
const ITEMS = ['k1', 'k2', 'k3']; // idsRender(2): parts "k1,k2" and "k3"

describe('killed exactly between the claim and the send', () => {
  let t: ReturnType<typeof tempDir>;
  let dbPath: string;
  let record: string;
  beforeEach(() => {
    t = tempDir();
    dbPath = join(t.dir, 'data', 'bot.db');
    record = join(t.dir, 'telegram.log');
    const db = openDatabase(dbPath);
    const store = new SubscriptionStore(db, DEFAULTS);
    const outbox = new Outbox(db);
    for (let c = 1; c <= CHATS; c++) {
      store.registerChat({ id: c, type: 'private' }, 0);
      outbox.enqueue(
        c,
        { kind: 'instant', page: 'p.txt', topics: [{ topicId: 0, query: '开化', itemIds: ITEMS }] },
        ITEMS.map((itemId) => ({ itemId, storyKey: `p.txt|article|${itemId}` })),
        0,
      );
    }
    db.close();
  });
  afterEach(() => t.remove());

  /** Run the delivery process until it kills itself at send number `killAt`, then restart and drain. */
  async function crashAndRecover(killAt: number) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, dbPath, record, '0', String(killAt)], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const recordedAtKill = lines().length;
    const recovery = await drainOnce(dbPath, record, 0);
    const seen = new Map<string, number>();
    for (const line of lines()) {
      const [chat, text] = line.split('\t');
      for (const id of text!.split(',')) seen.set(`${chat} ${id}`, (seen.get(`${chat} ${id}`) ?? 0) + 1);
    }
    const db = openDatabase(dbPath);
    const deliveries = db
      .prepare(`SELECT chat_id || ' ' || item_id AS pair, certain FROM deliveries`)
      .all() as Array<{ pair: string; certain: number }>;
    const counts = new Outbox(db).counts();
    db.close();
    const expected = Array.from({ length: CHATS }, (_, i) => ITEMS.map((id) => `${i + 1} ${id}`)).flat();
    return {
      recordedAtKill,
      recovery,
      counts,
      twice: [...seen].filter(([, n]) => n > 1).map(([pair]) => pair),
      missing: expected.filter((pair) => !seen.has(pair)),
      recorded: deliveries.map((d) => d.pair).sort(),
      uncertain: deliveries.filter((d) => d.certain === 0).map((d) => d.pair).sort(),
      expected: expected.sort(),
    };
  }

  function lines(): string[] {
    return existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : [];
  }

  it("the first part of a two-part message: its items are recorded uncertain, not silently lost", async () => {
    // Send 1 is chat 1's part 1 ("k1,k2"): claimed and committed, never sent.
    const r = await crashAndRecover(1);
    expect(r.recordedAtKill).toBe(0);
    expect(r.recovery).toEqual({ interrupted: 1, resent: 0, presumedDelivered: 1 });
    expect(r.missing).toEqual(['1 k1', '1 k2']); // presumed delivered (no duplicate risk), so never resent
    expect(r.twice).toEqual([]);
    expect(r.recorded).toEqual(r.expected);
    // The whole row is flagged: which of its items were in the lost part is the renderer's business.
    expect(r.uncertain).toEqual(['1 k1', '1 k2', '1 k3']);
    expect(r.counts).toMatchObject({ pending: 0, sending: 0, sent: CHATS, uncertain: 1 });
  });

  it.each([2, 4, 6])('killed at send %i: whatever is missing is recorded uncertain, nothing twice, every pair recorded', async (killAt) => {
    const r = await crashAndRecover(killAt);
    expect(r.recordedAtKill).toBe(killAt - 1);
    // Every chat's row that was with Telegram at the kill is interrupted (up to `concurrency`).
    expect(r.recovery.interrupted).toBeGreaterThanOrEqual(1);
    expect(r.missing.length).toBeGreaterThan(0);
    expect(r.missing.filter((pair) => !r.uncertain.includes(pair))).toEqual([]);
    expect(r.twice).toEqual([]);
    expect(r.recorded).toEqual(r.expected);
    expect(r.counts).toMatchObject({ pending: 0, sending: 0, sent: CHATS, uncertain: r.recovery.interrupted });
  });
});
