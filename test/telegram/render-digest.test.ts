import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IndexedItem } from '../../src/pages/item.js';
import { catalogues } from '../../src/i18n/messages.js';
import type { OutboxContent } from '../../src/subscriptions/outbox.js';
import { MAX_ITEMS_PER_MESSAGE, renderOutboxContent } from '../../src/telegram/render-digest.js';
import { makeItem } from './fixtures.js';
import { parseTelegramHtml } from './telegram-html.js';

function entry(id: string, title: string, summary = '开化县出台新政策，惠及全县茶农。', county: string | null = '开化县'): IndexedItem {
  return { item: makeItem({ id, title, county, counties: county ? [county] : [] }), summary, keywords: [], order: 0 };
}

function lookupOf(entries: IndexedItem[]) {
  const byId = new Map(entries.map((e) => [e.item.id, e]));
  return (id: string) => byId.get(id);
}

describe('renderOutboxContent', () => {
  it('an instant push: title, topic heading, numbered items with county and date, summary, a read button each', () => {
    const items = [entry('a1', '开化龙顶茶开采'), entry('a2', '江山新建停车场', '江山市新增停车位。', '江山市')];
    const content: OutboxContent = { kind: 'instant', page: 'p.txt', topics: [{ topicId: 1, query: '开化', itemIds: ['a1'] }, { topicId: 2, query: '停车场 江山', itemIds: ['a2'] }] };
    const [message, ...rest] = renderOutboxContent(content, { messages: catalogues.zh, lookup: lookupOf(items) });
    expect(rest).toHaveLength(0);
    expect(parseTelegramHtml(message!.text)).toBe(
      '订阅的新文章（2 篇）\n\n话题“开化”\n\n1. 开化龙顶茶开采\n开化县 · 2025年10月28日\n开化县出台新政策，惠及全县茶农。\n\n' +
        '话题“停车场 江山”\n\n2. 江山新建停车场\n江山市 · 2025年10月28日\n江山市新增停车位。',
    );
    expect(message!.keyboard).toEqual([[{ text: '1. 开化龙顶茶开采', callback_data: 'a:a1' }], [{ text: '2. 江山新建停车场', callback_data: 'a:a2' }]]);
  });

  it('escapes headlines, summaries and the reader’s topic', () => {
    const items = [entry('x1', '<b>标题</b> & 更多', '摘要 <i>斜体</i> & "引号"')];
    const content: OutboxContent = { kind: 'digest', page: null, topics: [{ topicId: 1, query: '<script>&', itemIds: ['x1'] }] };
    const [message] = renderOutboxContent(content, { messages: catalogues.zh, lookup: lookupOf(items) });
    expect(message!.text).toContain('&lt;script&gt;&amp;');
    expect(parseTelegramHtml(message!.text)).toContain('1. <b>标题</b> & 更多');
    expect(parseTelegramHtml(message!.text)).toContain('摘要 <i>斜体</i> & "引号"');
  });

  it('leaves out items that left the index, and renders nothing when none is left', () => {
    const items = [entry('k1', '仍在索引')];
    const content: OutboxContent = { kind: 'digest', page: null, topics: [{ topicId: 1, query: '开化', itemIds: ['gone', 'k1'] }, { topicId: 2, query: '医保', itemIds: ['gone2'] }] };
    const [message] = renderOutboxContent(content, { messages: catalogues.en, lookup: lookupOf(items) });
    const text = parseTelegramHtml(message!.text);
    expect(text.startsWith('Your digest: 1 new article(s)\n\nTopic “开化”')).toBe(true);
    expect(text).not.toContain('医保');
    expect(renderOutboxContent({ kind: 'digest', page: null, topics: [{ topicId: 1, query: 'x', itemIds: ['gone'] }] }, { messages: catalogues.zh, lookup: lookupOf(items) })).toEqual([]);
  });

  it('a long digest is split: every message within the limit and the button cap, a split topic repeats its heading, every item once', () => {
    const items = Array.from({ length: 70 }, (_, i) => entry(`i${i}`, `第${i}篇很长的标题`.repeat(3), '摘要句子。'.repeat(50)));
    const content: OutboxContent = {
      kind: 'digest',
      page: null,
      topics: [
        { topicId: 1, query: '开化', itemIds: items.slice(0, 40).map((e) => e.item.id) },
        { topicId: 2, query: '江山', itemIds: items.slice(40).map((e) => e.item.id) },
      ],
    };
    const messages = renderOutboxContent(content, { messages: catalogues.zh, lookup: lookupOf(items) });
    expect(messages.length).toBeGreaterThan(4);
    const texts = messages.map((m) => parseTelegramHtml(m.text));
    for (const [i, m] of messages.entries()) {
      expect(texts[i]!.length).toBeLessThanOrEqual(4096);
      expect(m.keyboard!.length).toBeLessThanOrEqual(MAX_ITEMS_PER_MESSAGE);
      if (i > 0) expect(texts[i]!).toMatch(new RegExp(`^（续 ${i + 1}/${messages.length}）\\n话题“(开化|江山)”`));
    }
    const buttons = messages.flatMap((m) => m.keyboard!.flat().map((b) => ('callback_data' in b ? b.callback_data : '')));
    expect(buttons).toEqual(items.map((e) => `a:${e.item.id}`));
  });

  it('property: any items and topics render within 4,096 characters, well-formed, every known item exactly once', () => {
    const arbitraryItem = fc.record({
      title: fc.string({ minLength: 1, maxLength: 300 }),
      summary: fc.string({ maxLength: 2000 }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryItem, { minLength: 1, maxLength: 60 }), fc.array(fc.string({ minLength: 1, maxLength: 100 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 200, max: 4096 }), (raw, queries, max) => {
        const items = raw.map((r, i) => entry(`p${i}`, r.title, r.summary));
        const topics = queries.map((query, t) => ({ topicId: t, query, itemIds: items.filter((_, i) => i % queries.length === t).map((e) => e.item.id) }));
        const messages = renderOutboxContent({ kind: 'instant', page: 'p', topics }, { messages: catalogues.zh, lookup: lookupOf(items), maxLength: max });
        for (const m of messages) {
          const visible = parseTelegramHtml(m.text);
          expect(visible.length).toBeLessThanOrEqual(max);
          expect(visible.trim().length).toBeGreaterThan(0);
        }
        const ids = messages.flatMap((m) => (m.keyboard ?? []).flat().map((b) => ('callback_data' in b ? b.callback_data : '')));
        expect(ids).toEqual(topics.flatMap((t) => t.itemIds).map((id) => `a:${id}`));
      }),
      { numRuns: 150 },
    );
  });
});
