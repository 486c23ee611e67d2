/**
 * While older pages are still loading, list answers carry a note and both renderers show it; an
 * article whose page is not in yet is "still loading", not "deleted".
 */
import { describe, expect, it } from 'vitest';
import type { LoadingNote } from '../../src/answers/answer.js';
import { Archive } from '../../src/answers/archive.js';
import { createAnswers } from '../../src/answers/create-answers.js';
import { en } from '../../src/i18n/en.js';
import { zh } from '../../src/i18n/zh.js';
import type { IndexedItem } from '../../src/pages/item.js';
import { parseQuery } from '../../src/search/query.js';
import { renderAnswer } from '../../src/telegram/render-html.js';
import { renderText } from '../../src/terminal/render-text.js';

const COUNTIES = ['柯城区', '衢江区', '常山县', '开化县', '龙游县', '江山市'];

function answersWith(entries: IndexedItem[], loading: () => LoadingNote | null) {
  const archive = new Archive();
  archive.setAll(entries);
  const resolveCounty = (name: string) => COUNTIES.find((c) => c.startsWith(name)) ?? null;
  return createAnswers({
    archive,
    index: () => null,
    loading,
    parseQuery: (raw) => parseQuery(raw, resolveCounty),
    resolveCounty,
    countyNames: COUNTIES,
    pageSize: 5,
  });
}

const item = (id: string, county: string | null): IndexedItem => ({
  item: {
    id,
    kind: 'article',
    title: `标题${id}`,
    subtitle: null,
    authors: [],
    photographers: [],
    date: '2023-11-02',
    counties: county ? [county] : [],
    county,
    paragraphs: ['正文。'],
    source: { file: '2023-11-02.txt', index: Number(id.slice(1)) },
  },
  summary: '正文。',
  keywords: [],
  order: 0,
});

const hints = { list: '', article: '' };
const plain = (s: string) => s;

describe('the still-loading note', () => {
  it('is on /latest, /county and the county list while loading, shown by both renderers, and gone after', () => {
    let note: LoadingNote | null = { pages: 3, totalPages: 715 };
    const answers = answersWith([item('a0', '开化县'), item('a1', null)], () => note);
    const latest = answers.latest();
    expect(latest).toMatchObject({ kind: 'results', loading: { pages: 3, totalPages: 715 } });
    expect(answers.county('开化')).toMatchObject({ kind: 'results', loading: { pages: 3 } });
    expect(answers.county('')).toMatchObject({ kind: 'county-list', loading: { pages: 3 } });

    const zhNote = '仍在载入较早的稿件（已载入 3 / 715 个版面）';
    expect(renderAnswer(latest, { messages: zh })[0]!.text).toContain(zhNote);
    expect(renderAnswer(answers.county(''), { messages: zh })[0]!.text).toContain(zhNote);
    expect(renderText(latest, zh, plain, hints)).toContain(zhNote);
    expect(renderText(answers.county(''), zh, plain, hints)).toContain(zhNote);
    expect(renderAnswer(latest, { messages: en })[0]!.text).toContain('3 of 715 pages');

    note = null;
    expect(answers.latest()).not.toHaveProperty('loading');
    expect(renderAnswer(answers.latest(), { messages: zh })[0]!.text).not.toContain('仍在载入');
    expect(renderText(answers.county(''), zh, plain, hints)).not.toContain('仍在载入');
  });

  it('answers an article not loaded yet, or an empty archive, with still-loading instead of unknown or empty', () => {
    let note: LoadingNote | null = { pages: 1, totalPages: 10 };
    const answers = answersWith([item('a0', null)], () => note);
    const missing = answers.article('zzzz');
    expect(missing).toMatchObject({ kind: 'problem', problem: 'still-loading', loading: { pages: 1, totalPages: 10 } });
    expect(renderAnswer(missing, { messages: zh })[0]!.text).toContain('已载入 1 / 10 个版面');
    expect(answersWith([], () => note).latest()).toMatchObject({ kind: 'problem', problem: 'still-loading' });
    note = null;
    expect(answers.article('zzzz')).toMatchObject({ kind: 'problem', problem: 'unknown-article' });
    expect(answersWith([], () => note).latest()).toMatchObject({ kind: 'problem', problem: 'no-items' });
  });
});
