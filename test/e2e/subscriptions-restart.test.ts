/**
 * A "next page" button pressed after the bot restarted (SQLite, one process): the result list is in
 * the database file, so the page turns instead of saying the list expired.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotService, type BotService } from '../../src/run-bot.js';
import { startSubscriptionsHarness, type SubscriptionsHarness } from './subscriptions-harness.js';

let h: SubscriptionsHarness;
let restarted: BotService | null = null;

beforeAll(async () => {
  h = await startSubscriptionsHarness();
});

afterAll(async () => {
  await restarted?.stop('test finished');
  await h?.stop();
});

describe('result lists across a restart (SQLite)', () => {
  it('turns the page of a list shown before the restart, and only in its own chat', async () => {
    const user = h.client(401);
    const [answer] = await user.command('/latest');
    const next = answer!.buttons.find((b) => b.data.endsWith(':2'));
    expect(next).toBeDefined();
    await h.service.stop('restart');
    restarted = await startBotService(h.config, h.logs.log, { pollIdleDelayMs: 10, flood: { burst: 50, perSecond: 50 } });
    await user.press(answer!, next!.data);
    const edited = await user.waitForEdit(answer!, 8000);
    expect(edited.text).not.toBe(answer!.text);
    expect(edited.buttons.some((b) => b.data.endsWith(':1'))).toBe(true);
    // Another chat pressing the same key gets "expired", not this reader's list.
    const other = h.client(402);
    const [own] = await other.command('/help');
    await other.press(own!, next!.data);
    await new Promise((r) => setTimeout(r, 500));
    expect(other.messages().find((m) => m.messageId === own!.messageId)!.text).toBe(own!.text);
  });
});
