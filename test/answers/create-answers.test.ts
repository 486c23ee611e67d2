import { beforeAll, describe, expect, it } from 'vitest';
import type { News } from '../../src/news.js';
import { openTestNews, results } from '../news-fixture.js';

let news: News;
beforeAll(async () => {
  news = await openTestNews();
});

describe('search answers', () => {
  it('finds the article a reader means first, with a marked snippet', () => {
    const answer = results(news.answers.search('星新社区'));
    expect(answer.results[0]!.item.title).toBe('移民社区 幸福生活');
    const snippet = answer.results[0]!.snippet!;
    const [start, end] = snippet.marks[0]!;
    expect(snippet.text.slice(start, end)).toBe('星新社区');
  });

  it('filters by a county named among the words', () => {
    const answer = results(news.answers.search('停车场 江山'));
    expect(answer.county).toBe('江山市');
    expect(answer.results.every((r) => r.item.county === '江山市')).toBe(true);
    expect(answer.results[0]!.item.title).toBe('为民解忧 服务有温度');
  });

  it('answers bad input with a problem, never a throw', () => {
    expect(news.answers.search('   ')).toMatchObject({ kind: 'problem', problem: 'empty-query' });
    expect(news.answers.search('医'.repeat(1000))).toMatchObject({ kind: 'problem', problem: 'query-too-long' });
    expect(news.answers.search('的 了 。')).toMatchObject({ kind: 'problem', problem: 'no-searchable-words' });
    expect(news.answers.search('😀😀')).toMatchObject({ kind: 'problem', problem: 'no-searchable-words' });
    expect(news.answers.search('<b>&').kind).toMatch(/results|no-results|problem/);
  });

  it('says so and suggests the county list when nothing matches', () => {
    const answer = news.answers.search('火星探测器');
    expect(answer.kind).toBe('no-results');
    if (answer.kind !== 'no-results') return;
    expect(answer.counties.map((c) => c.name)).toEqual(['柯城区', '衢江区', '常山县', '开化县', '龙游县', '江山市']);
  });

  it('pages results and refuses a page past the end', () => {
    const first = results(news.answers.search('衢州', { page: 1, pageSize: 2 }));
    expect(first.results).toHaveLength(2);
    expect(first.pageCount).toBe(Math.ceil(first.total / 2));
    const second = results(news.answers.search('衢州', { page: 2, pageSize: 2 }));
    expect(second.results[0]!.item.id).not.toBe(first.results[0]!.item.id);
    expect(news.answers.search('衢州', { page: 99, pageSize: 2 })).toMatchObject({ kind: 'problem', problem: 'page-out-of-range', pageCount: first.pageCount });
  });
});

describe('latest and county answers', () => {
  it('lists every item, newest page first and in page order', () => {
    const answer = results(news.answers.latest({ pageSize: 50 }));
    expect(answer.total).toBe(news.stats.items);
    const indexes = answer.results.map((r) => r.item.source.index);
    expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
    expect(answer.results[0]!.summary.length).toBeGreaterThan(0);
  });

  it('accepts county aliases and lists only that county', () => {
    for (const name of ['开化', '开化县', ' 开化 ', '开化区']) {
      const answer = results(news.answers.county(name, { pageSize: 50 }));
      expect(answer.county).toBe('开化县');
      expect(answer.results.map((r) => r.item.title)).toEqual(expect.arrayContaining(['移民社区 幸福生活', '企业诉求 直达快办']));
      expect(answer.results.every((r) => r.item.county === '开化县')).toBe(true);
    }
  });

  it('lists the six counties with counts for no name or an unknown one', () => {
    const none = news.answers.county('');
    expect(none).toMatchObject({ kind: 'county-list', unknown: null });
    const unknown = news.answers.county('杭州');
    expect(unknown).toMatchObject({ kind: 'county-list', unknown: '杭州' });
    if (unknown.kind !== 'county-list') return;
    expect(unknown.counties).toHaveLength(6);
    const counted = unknown.counties.reduce((sum, c) => sum + c.count, 0);
    expect(counted + unknown.cityLevel).toBe(news.stats.items);
  });

  it('opens an article by id and refuses an unknown one', () => {
    const first = results(news.answers.latest()).results[0]!.item;
    expect(news.answers.article(first.id)).toMatchObject({ kind: 'article', item: { id: first.id } });
    expect(news.answers.article(first.id.toUpperCase())).toMatchObject({ kind: 'article' });
    expect(news.answers.article('nope')).toMatchObject({ kind: 'problem', problem: 'unknown-article' });
  });
});
