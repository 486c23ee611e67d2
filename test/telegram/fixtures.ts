import type { UserFromGetMe } from 'telegraf/types';
/** Hand-built answers for the renderer's unit tests (the renderer is tested alone; e2e uses the real core). */
import type { ResultEntry, ResultsAnswer } from '../../src/answers/answer.js';
import type { Item } from '../../src/pages/item.js';

export function makeItem(overrides: Partial<Item> = {}): Item {
  return {
    id: 'abc123',
    kind: 'article',
    title: '推进医保服务 保障人民健康',
    subtitle: null,
    authors: ['周毅辉'],
    photographers: [],
    date: '2025-10-28',
    counties: ['开化县'],
    county: '开化县',
    paragraphs: ['第一段。', '第二段。'],
    source: { file: '000_x.txt', index: 0 },
    ...overrides,
  };
}

export function makeEntry(item: Item = makeItem(), overrides: Partial<ResultEntry> = {}): ResultEntry {
  return {
    item,
    score: 1,
    summary: '衢州市医保局出台意见。',
    keywords: ['医保'],
    snippet: { text: '推进医保服务成为名片。', marks: [[2, 4]] },
    title: { text: item.title, marks: [] },
    ...overrides,
  };
}

export function makeResults(entries: ResultEntry[], overrides: Partial<ResultsAnswer> = {}): ResultsAnswer {
  return {
    kind: 'results',
    command: 'search',
    query: '医保',
    county: null,
    page: 1,
    pageCount: 1,
    total: entries.length,
    results: entries,
    ...overrides,
  };
}

/** The bot as getMe would describe it, for tests that call `bot.handleUpdate` without a server. */
export const BOT_INFO: UserFromGetMe = {
  id: 42,
  is_bot: true,
  first_name: '衢州新闻',
  username: 'QuzhouNewsBot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
};
