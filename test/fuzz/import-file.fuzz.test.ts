/**
 * Fuzzing `/import` files against the real store on a real database file: malformed and hostile
 * JSON (deep nesting, `__proto__`, huge strings and numbers), files over the size limit, ten
 * thousand topics. Never a throw; a refused file changes nothing; an accepted one never takes a
 * chat past its topic limit or a topic past its length limit. The bot's side of /import (texts,
 * size checks before download) is fuzzed in bot-input.fuzz.test.ts.
 *
 * Depth: FUZZ_RUNS=2000 npx vitest run test/fuzz/import-file (see fuzz-settings.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteSubscriptions, type SqliteSubscriptions } from '../../src/subscriptions/sqlite-subscriptions.js';
import { MAX_TOPICS_PER_CHAT, type SubscriptionStore } from '../../src/subscriptions/store.js';
import { importSubscriptions, MAX_IMPORT_BYTES, SUBSCRIPTIONS_FORMAT } from '../../src/subscriptions/subscriptions-file.js';
import { MAX_TOPIC_CHARS } from '../../src/subscriptions/topic-key.js';
import { fuzzParameters, fuzzTimeout, hostileText } from './fuzz-settings.js';

let dir: string;
let subscriptions: SqliteSubscriptions;
let store: SubscriptionStore;
let nextChat = 1;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'import-fuzz-'));
  subscriptions = openSqliteSubscriptions(join(dir, 'bot.db'), { digestTime: '08:00', timeZone: 'Asia/Shanghai' });
  store = subscriptions.store;
});
afterAll(async () => {
  await subscriptions.close();
  rmSync(dir, { recursive: true, force: true });
});

const topicEntry = fc.oneof(hostileText, fc.record({ query: hostileText }), fc.anything(), fc.constantFrom('医保', '停车场 江山', '开化'));
const file = fc.oneof(
  // Well-formed envelopes around hostile contents
  fc
    .record({
      format: fc.oneof(fc.constant(SUBSCRIPTIONS_FORMAT), fc.string()),
      version: fc.oneof(fc.constant(1), fc.anything()),
      topics: fc.oneof(fc.array(topicEntry, { maxLength: 40 }), fc.anything()),
      settings: fc.oneof(fc.record({ mode: fc.constantFrom('instant', 'daily', 'weekly'), digestTime: fc.string(), timeZone: fc.constantFrom('Asia/Shanghai', 'Mars/Olympus', '') }), fc.anything()),
    })
    .map((v) => JSON.stringify(v)),
  // Not JSON, or any JSON
  hostileText,
  fc.json(),
  // Deep nesting, prototype keys, a huge number, ten thousand topics, over the size limit
  fc.integer({ min: 40_000, max: 200_000 }).map((n) => `{"format":"${SUBSCRIPTIONS_FORMAT}","version":1,"topics":${'['.repeat(n)}${']'.repeat(n)}}`),
  fc.constant(`{"format":"${SUBSCRIPTIONS_FORMAT}","version":1,"topics":["医保"],"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`),
  fc.constant(`{"format":"${SUBSCRIPTIONS_FORMAT}","version":1e999,"topics":[]}`),
  fc.integer({ min: 1000, max: 10_000 }).map((n) => JSON.stringify({ format: SUBSCRIPTIONS_FORMAT, version: 1, topics: Array.from({ length: n }, (_, i) => String(i)) })),
  fc.integer({ min: MAX_IMPORT_BYTES + 1, max: MAX_IMPORT_BYTES * 4 }).map((n) => JSON.stringify({ format: SUBSCRIPTIONS_FORMAT, version: 1, topics: ['x'.repeat(n)] })),
);

function snapshot(chatId: number) {
  return { topics: store.listTopics(chatId), settings: store.getSettings(chatId) };
}

describe('fuzzing /import files', () => {
  it(
    'never throws; a refused file changes nothing; limits hold',
    async () => {
      await fc.assert(
        fc.asyncProperty(file, fc.boolean(), async (text, hasTopics) => {
          const chatId = nextChat++;
          store.registerChat({ id: chatId, type: 'private', language: 'zh' }, 0);
          if (hasTopics) store.addTopic(chatId, '停车场', 0);
          const before = snapshot(chatId);
          const result = await importSubscriptions(subscriptions, chatId, text, 1);
          const after = snapshot(chatId);
          if (!result.ok) {
            expect(['too-large', 'not-json', 'wrong-format', 'unsupported-version']).toContain(result.problem);
            expect(after).toEqual(before);
          } else {
            expect(after.topics.length).toBe(before.topics.length + result.added.length);
            expect(after.topics.length).toBeLessThanOrEqual(MAX_TOPICS_PER_CHAT);
            for (const topic of after.topics) expect(topic.query.trim().length).toBeLessThanOrEqual(MAX_TOPIC_CHARS);
          }
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          expect(Buffer.byteLength(text) <= MAX_IMPORT_BYTES || (!result.ok && result.problem === 'too-large')).toBe(true);
        }),
        fuzzParameters(150),
      );
    },
    fuzzTimeout(150, 30),
  );

  // Found by this fuzzing: JSON.stringify of such an entry overflowed the stack (RangeError).
  it('refuses or skips a deeply nested topic entry without throwing', async () => {
    const chatId = nextChat++;
    store.registerChat({ id: chatId, type: 'private', language: 'zh' }, 0);
    const depth = 30_000;
    const text = `{"format":"${SUBSCRIPTIONS_FORMAT}","version":1,"topics":[${'['.repeat(depth)}${']'.repeat(depth)}]}`;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_IMPORT_BYTES);
    await expect(importSubscriptions(subscriptions, chatId, text, 1)).resolves.toBeDefined();
  });
});
