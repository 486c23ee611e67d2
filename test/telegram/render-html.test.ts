import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Answer, ProblemCode } from '../../src/answers/answer.js';
import { en } from '../../src/i18n/en.js';
import { zh } from '../../src/i18n/zh.js';
import { byteLength, CALLBACK_DATA_MAX_BYTES, decodeCallback } from '../../src/telegram/callback-data.js';
import { renderAnswer, renderGreeting, renderHelp, type TelegramMessage } from '../../src/telegram/render-html.js';
import { makeEntry, makeItem, makeResults } from './fixtures.js';
import { parseTelegramHtml } from './telegram-html.js';

/** Text as messy as real pages and readers: HTML characters, emoji, quotes, newlines, CJK. */
const messyChar = fc.constantFrom('<', '>', '&', '"', "'", '。', '！', '？', '，', '\n', ' ', '😀', '医', '保', 'a', '1', '.', '”', '&amp;');
const messyText = (maxLength: number) => fc.array(fc.oneof(messyChar, fc.string({ unit: 'grapheme', maxLength: 3 })), { maxLength }).map((a) => a.join(''));
const hugeText = fc.oneof(messyText(40), messyText(400), fc.tuple(messyText(20), fc.integer({ min: 100, max: 6000 })).map(([t, n]) => (t || '字').repeat(Math.ceil(n / Math.max(1, t.length)))));

function visibleLengths(messages: TelegramMessage[]): number[] {
  return messages.map((m) => parseTelegramHtml(m.text).length);
}

function callbackData(messages: TelegramMessage[]): string[] {
  return messages.flatMap((m) => (m.keyboard ?? []).flat().flatMap((b) => ('callback_data' in b ? [b.callback_data] : [])));
}

describe('renderAnswer: results', () => {
  it('shows a bold headline, county and date, the summary and the snippet with matched words bold', () => {
    const [message] = renderAnswer(makeResults([makeEntry()]), { messages: zh, listKey: null });
    expect(message!.text).toContain('<b>搜索“医保”</b>');
    expect(message!.text).toContain('找到 1 篇，第 1/1 页');
    expect(message!.text).toContain('<b>1. 推进医保服务 保障人民健康</b>');
    expect(message!.text).toContain('<i>开化县 · 2025年10月28日</i>');
    expect(message!.text).toContain('衢州市医保局出台意见。');
    expect(message!.text).toContain('» 推进<b>医保</b>服务成为名片。');
  });

  it('labels a city-level item 城市要闻 and an undated one 未注明日期', () => {
    const item = makeItem({ county: null, counties: [], date: null });
    const [message] = renderAnswer(makeResults([makeEntry(item)]), { messages: zh });
    expect(message!.text).toContain('<i>城市要闻 · 未注明日期</i>');
  });

  it('gives one read button per result and 上一页/下一页 only where there is such a page', () => {
    const entries = [makeEntry(makeItem({ id: 'a1' })), makeEntry(makeItem({ id: 'a2' }))];
    const middle = renderAnswer(makeResults(entries, { page: 2, pageCount: 3, total: 6 }), { messages: zh, listKey: 'k9' });
    const rows = middle[0]!.keyboard!;
    expect(rows.slice(0, 2).map((r) => r.map((b) => ('callback_data' in b ? b.callback_data : '')))).toEqual([['a:a1'], ['a:a2']]);
    expect(rows[2]!.map((b) => b.text)).toEqual(['◀ 上一页', '下一页 ▶']);
    expect(rows[2]!.map((b) => ('callback_data' in b ? decodeCallback(b.callback_data) : null))).toEqual([
      { kind: 'page', key: 'k9', page: 1 },
      { kind: 'page', key: 'k9', page: 3 },
    ]);
    // Numbers continue across pages: page 2 of a 2-per-page list starts at 3.
    expect(middle[0]!.text).toContain('<b>3. ');
    const last = renderAnswer(makeResults(entries, { page: 3, pageCount: 3, total: 6 }), { messages: zh, listKey: 'k9' });
    expect(last[0]!.keyboard!.at(-1)!.map((b) => b.text)).toEqual(['◀ 上一页']);
    const noKey = renderAnswer(makeResults(entries, { page: 2, pageCount: 3, total: 6 }), { messages: zh });
    expect(noKey[0]!.keyboard!.length).toBe(2);
  });

  it('escapes headline, summary and query text', () => {
    const item = makeItem({ title: '<script>&"x"' });
    const answer = makeResults([makeEntry(item, { title: { text: item.title, marks: [[0, 3]] }, summary: 'a<b>&c' })], { query: '<b>&' });
    const [message] = renderAnswer(answer, { messages: zh });
    expect(message!.text).toContain('<b><u>&lt;sc</u></b><b>ript&gt;&amp;&quot;x&quot;</b>');
    expect(message!.text).toContain('a&lt;b&gt;&amp;c');
    expect(message!.text).toContain('搜索“&lt;b&gt;&amp;”');
    expect(parseTelegramHtml(message!.text)).toContain('搜索“<b>&”');
  });

  it('keeps a list to one message under the limit however long the summaries (the pager edits it)', () => {
    const long = '很长的摘要。'.repeat(400);
    const entries = Array.from({ length: 20 }, (_, i) => makeEntry(makeItem({ id: `i${i}` }), { summary: long }));
    const messages = renderAnswer(makeResults(entries, { pageCount: 2, total: 40 }), { messages: zh, listKey: 'k1' });
    expect(messages).toHaveLength(1);
    expect(parseTelegramHtml(messages[0]!.text).length).toBeLessThanOrEqual(4096);
    expect(messages[0]!.text).toContain('<b>20. ');
  });
});

describe('renderAnswer: the full article', () => {
  it('sends head, byline and paragraphs, and a photo with its credit', () => {
    const messages = renderAnswer({ kind: 'article', item: makeItem({ subtitle: '副题' }), summary: '', keywords: [] }, { messages: zh });
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toBe('<b>推进医保服务 保障人民健康</b>\n副题\n<i>开化县 · 2025年10月28日</i>\n作者：周毅辉\n\n第一段。\n\n第二段。');
    const photo = renderAnswer(
      { kind: 'article', item: makeItem({ kind: 'photo', authors: [], photographers: ['张三', '李四'], paragraphs: ['图为茶农。'] }), summary: '', keywords: [] },
      { messages: zh },
    );
    expect(photo[0]!.text).toContain('开化县 · 2025年10月28日 · 图片新闻');
    expect(photo[0]!.text).toContain('<i>张三 李四 摄</i>');
  });

  it('splits a long article at paragraph boundaries, marking the continuations', () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => `第${i + 1}段。${'内容'.repeat(150)}`);
    const messages = renderAnswer({ kind: 'article', item: makeItem({ paragraphs }), summary: '', keywords: [] }, { messages: zh });
    expect(messages.length).toBeGreaterThan(2);
    const texts = messages.map((m) => parseTelegramHtml(m.text));
    texts.forEach((t, i) => {
      expect(t.length).toBeLessThanOrEqual(4096);
      if (i > 0) expect(t.startsWith(`（续 ${i + 1}/${messages.length}）\n第`)).toBe(true);
      expect(t.endsWith('内容')).toBe(true); // every message ends where a paragraph ends
    });
  });

  it('splits one huge paragraph at sentence ends, closing quotes kept with their sentence', () => {
    const paragraph = Array.from({ length: 600 }, (_, i) => `他说：“这是第${i}句！”`).join('');
    const messages = renderAnswer({ kind: 'article', item: makeItem({ paragraphs: [paragraph] }), summary: '', keywords: [] }, { messages: zh });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages.slice(0, -1)) expect(parseTelegramHtml(m.text).endsWith('句！”')).toBe(true);
  });
});

describe('renderAnswer: other answers', () => {
  it('no results: suggestions as buttons, counties as buttons', () => {
    const [message] = renderAnswer(
      { kind: 'no-results', query: '<b>&', county: null, suggestions: ['医疗'], counties: [{ name: '开化县', count: 3 }] },
      { messages: zh },
    );
    expect(parseTelegramHtml(message!.text)).toContain('没有找到与“<b>&”相关的文章。');
    expect(message!.text).toContain('试试这些词：<b>医疗</b>');
    expect(callbackData([message!])).toEqual(['s:医疗', 'c:开化县']);
  });

  it('the county list: a line and a button per county, city-level items counted', () => {
    const [message] = renderAnswer(
      { kind: 'county-list', unknown: '火星', cityLevel: 2, counties: [{ name: '开化县', count: 3 }, { name: '江山市', count: 1 }] },
      { messages: zh },
    );
    const text = parseTelegramHtml(message!.text);
    expect(text).toContain('没有叫“火星”的区县');
    expect(text).toContain('• 开化县 3 篇');
    expect(text).toContain('城市要闻（全市）2 篇');
    expect(message!.keyboard).toEqual([[{ text: '开化县 3 篇', callback_data: 'c:开化县' }, { text: '江山市 1 篇', callback_data: 'c:江山市' }]]);
  });

  it('has a text for every problem, in both languages', () => {
    const codes: ProblemCode[] = ['empty-query', 'query-too-long', 'no-searchable-words', 'page-out-of-range', 'unknown-article', 'not-ready', 'no-items'];
    for (const messages of [zh, en]) {
      for (const problem of codes) {
        const [m] = renderAnswer({ kind: 'problem', problem, input: '？？', pageCount: 3 }, { messages });
        expect(parseTelegramHtml(m!.text).length).toBeGreaterThan(5);
      }
    }
    const [notReady] = renderAnswer({ kind: 'problem', problem: 'not-ready', input: '' }, { messages: zh });
    expect(notReady!.text).toBe('索引正在建立，请稍候再搜索；/latest 和 /county 已可用');
  });

  it('greets in three lines and lists every command with an example', () => {
    const greeting = parseTelegramHtml(renderGreeting(zh).text);
    expect(greeting.split('\n\n')[0]!.split('\n')).toHaveLength(3);
    for (const command of ['search', 'latest', 'county', 'subscribe', 'subscriptions', 'unsubscribe', 'digest', 'settings', 'export', 'import', 'help']) {
      expect(greeting).toContain(`/${command} — `);
    }
    expect(parseTelegramHtml(renderHelp(en).text)).toContain('/search — Search articles  /search 医保');
  });
});

describe('renderAnswer: Telegram limits hold for any input (properties)', () => {
  const marks = fc.array(fc.tuple(fc.integer({ min: -5, max: 300 }), fc.integer({ min: -5, max: 300 })), { maxLength: 6 });
  const entry = fc.record({ title: messyText(120), summary: hugeText, snippet: hugeText, marks, titleMarks: marks, county: fc.option(messyText(10)), id: fc.stringMatching(/^[a-z0-9]{1,40}$/) });
  const maxLength = fc.oneof(fc.constant(4096), fc.integer({ min: 60, max: 4096 }));

  it('a result list is one well-formed message of at most the limit, buttons at most 64 bytes', () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 20 }), messyText(1000), fc.integer({ min: 1, max: 500 }), maxLength, (entries, query, page, max) => {
        const results = entries.map((e) => {
          const item = makeItem({ id: e.id, title: e.title, county: e.county });
          return makeEntry(item, { summary: e.summary, snippet: { text: e.snippet, marks: e.marks as Array<[number, number]> }, title: { text: e.title, marks: e.titleMarks as Array<[number, number]> } });
        });
        const answer = makeResults(results, { query, page, pageCount: page + 1, total: 1000 });
        const messages = renderAnswer(answer, { messages: zh, listKey: 'zz99', maxLength: max });
        expect(messages).toHaveLength(1);
        for (const length of visibleLengths(messages)) expect(length).toBeLessThanOrEqual(max);
        for (const data of callbackData(messages)) expect(byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
      }),
      { numRuns: 150 },
    );
  });

  it('an article of any size is split into well-formed messages of at most the limit, losing no text', () => {
    fc.assert(
      fc.property(messyText(100), fc.array(hugeText, { maxLength: 8 }), maxLength, (title, paragraphs, max) => {
        const item = makeItem({ title, paragraphs });
        const messages = renderAnswer({ kind: 'article', item, summary: '', keywords: [] }, { messages: zh, maxLength: max });
        const lengths = visibleLengths(messages);
        for (const length of lengths) {
          expect(length).toBeGreaterThan(0);
          expect(length).toBeLessThanOrEqual(max);
        }
        const squeeze = (s: string) => s.replace(/\s/g, '');
        const shown = squeeze(messages.map((m, i) => parseTelegramHtml(m.text).replace(i > 0 ? /^（续 \d+\/\d+）/ : /^$/, '')).join(''));
        expect(shown.endsWith(squeeze(paragraphs.join('')))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('county and suggestion buttons never exceed 64 bytes, whatever the names', () => {
    fc.assert(
      fc.property(fc.array(messyText(40), { maxLength: 8 }), fc.array(fc.record({ name: messyText(40), count: fc.nat() }), { maxLength: 8 }), (suggestions, counties) => {
        const answers: Answer[] = [
          { kind: 'no-results', query: 'x', county: null, suggestions, counties },
          { kind: 'county-list', unknown: null, cityLevel: 0, counties },
        ];
        for (const answer of answers) {
          const messages = renderAnswer(answer, { messages: zh });
          visibleLengths(messages);
          for (const data of callbackData(messages)) {
            expect(byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
            expect(decodeCallback(data)).not.toBeNull();
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a problem echoes the reader input escaped and short', () => {
    fc.assert(
      fc.property(messyText(1000), (input) => {
        const [m] = renderAnswer({ kind: 'problem', problem: 'no-searchable-words', input }, { messages: zh });
        const text = parseTelegramHtml(m!.text);
        expect(text.length).toBeLessThan(200);
      }),
    );
  });
});
