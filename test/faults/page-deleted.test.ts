/**
 * A page file deleted while the bot reads it: written into the watched SEEDS_DIR and deleted again
 * after 0 to 60 ms, around the watcher's debounce, so the delete lands before, during and after the
 * read. The bot never fails (no error line, no crash), a page it could not read is named in a
 * warning and the other pages keep answering; once the dust settles the deleted page should be gone.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTelegramHtml } from '../telegram/telegram-html.js';
import { waitFor } from '../e2e/harness.js';
import { startSubscriptionsHarness, type SubscriptionsHarness } from '../e2e/subscriptions-harness.js';

let h: SubscriptionsHarness;
beforeAll(async () => {
  h = await startSubscriptionsHarness();
});
afterAll(async () => {
  await h?.stop();
});

const page = (n: number) => `# 龙游石窟第${n}次灯光秀\n\n龙游县石窟景区今晚举办第${n}次灯光秀，游客可以免费入园观看。\n`;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a page file deleted while read', () => {
  it('never fails the bot, and the other pages keep answering', async () => {
    for (let n = 1; n <= 12; n++) {
      h.writePage(`2024-01-${String(n).padStart(2, '0')}.txt`, page(n));
      await pause((n * 5) % 60);
      rmSync(join(h.seedsDir, `2024-01-${String(n).padStart(2, '0')}.txt`), { force: true });
    }
    await pause(600); // the watcher's debounce (40 ms) and rescan (250 ms), twice
    const entries = h.logs.entries();
    expect(entries.filter((e) => Number(e.level) >= 50)).toEqual([]);
    const reader = h.client(301);
    const [latest] = await reader.command('/latest');
    expect(parseTelegramHtml(latest!.text)).toContain('最新文章');
    const [seed] = await reader.command('/search 硅烷');
    expect(parseTelegramHtml(seed!.text)).toContain('搜索“硅烷”');
  });

  // Today the watcher ignores a file that is gone, so a deleted page's items keep serving; issue 10
  // (the lead's archive sync) applies removed pages. Remove `.fails` once it does.
  it('forgets the deleted pages once the watcher caught up', async () => {
    await waitFor(() => (h.service.news.answers.search('灯光秀').kind !== 'results' ? true : null), 1500, 'the deleted pages to go');
  });
});
