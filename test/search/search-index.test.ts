import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IndexedItem } from '../../src/pages/item.js';
import { parseQuery, type ParsedQuery } from '../../src/search/query.js';
import { documentTerms, wordTerms } from '../../src/search/document-terms.js';
import { prepareTerms } from '../../src/search/prepared-terms.js';
import { createSearchIndex, type SearchIndex } from '../../src/search/search-index.js';
import { createSegmenter, type Segmenter } from '../../src/text/segmenter.js';
import { RELEVANCE_CASES } from './relevance-queries.js';
import { byTitle, loadSeedCorpus, type SeedCorpus } from './seed-index.js';

let corpus: SeedCorpus;
let seg: Segmenter;
let index: SearchIndex;
let titleOf: Map<string, string>;
const q = (raw: string): ParsedQuery => parseQuery(raw, corpus.resolve);
const titles = (raw: string): string[] => index.search(q(raw)).map((h) => titleOf.get(h.id) ?? h.id);

beforeAll(async () => {
  corpus = await loadSeedCorpus();
  seg = createSegmenter({ words: corpus.placeWords });
  index = createSearchIndex(seg);
  index.add(corpus.entries);
  titleOf = new Map(corpus.entries.map((e) => [e.item.id, e.item.title]));
});

describe('search on the seed page', () => {
  it('indexes every item of the seed page', () => {
    expect(corpus.entries.length).toBeGreaterThanOrEqual(11);
    expect(index.size).toBe(corpus.entries.length);
  });

  it.each(RELEVANCE_CASES)('finds $expected first for $query', ({ query, expected }) => {
    expect(titles(query)[0]).toBe(expected);
  });

  it('finds the one article about 星新社区 however jieba cuts it, and nothing else', () => {
    for (const raw of ['星新社区', '星新', '池淮镇星新社区', '"星新社区"']) {
      expect(titles(raw), raw).toEqual(['移民社区 幸福生活']);
    }
  });

  it('normalises both sides: traditional, full-width and case find the same items', () => {
    const medical = titles('医保');
    expect(titles('醫保')).toEqual(medical);
    expect(titles('ＤＲＧｓ')).toEqual(titles('DRGs'));
    expect(titles('drgs')).toEqual(titles('DRGs'));
  });

  it('ranks headline matches above body matches', () => {
    const top = titles('服务').slice(0, 3);
    expect(top).toHaveLength(3);
    for (const title of top) expect(title).toContain('服务');
  });

  it('ranks the words printed together above the same words scattered', () => {
    // 医保 and 服务 together are the headline of one article; other items only mention 服务.
    expect(titles('医保 服务')[0]).toBe('推进医保服务 保障人民健康');
    expect(titles('产业 同心')[0]).toBe('产业同心 服务五星');
  });

  it('returns only items with every word while some exist', () => {
    const hits = index.search(q('湖镇 廉政'));
    expect(hits.map((h) => titleOf.get(h.id))).toEqual(['“湖枫清警”护平安']);
    expect(hits.every((h) => !h.partial)).toBe(true);
  });

  it('falls back to items with some of the words, marked partial, when none has all', () => {
    const hits = index.search(q('医保 停车场'));
    expect(hits.map((h) => titleOf.get(h.id)).sort()).toEqual(['为民解忧 服务有温度', '推进医保服务 保障人民健康'].sort());
    expect(hits.every((h) => h.partial)).toBe(true);
    // The item with more of the words ranks first.
    expect(titles('医保 挂联 停车场')[0]).toBe('推进医保服务 保障人民健康');
  });

  it('never matches on stop words alone', () => {
    expect(index.search(q('的 了'))).toEqual([]);
    expect(index.search(q('我们的'))).toEqual([]);
    expect(index.search(q('"的"'))).toEqual([]);
    expect(index.search(q('！！！'))).toEqual([]);
    // …but a stop word next to a content word does not hide it.
    expect(titles('的 硅烷')).toEqual(['工业发展稳中有进']);
  });

  it('gives nothing, not an error, for HTML, emoji and very long queries', () => {
    expect(() => index.search(q('<b>&'))).not.toThrow();
    expect(index.search(q('😀'))).toEqual([]);
    // A word pasted 400 times is still that word.
    expect(titles('硅烷'.repeat(400))).toEqual(['工业发展稳中有进']);
    expect(() => index.suggest(q('乱码'.repeat(300)))).not.toThrow();
  });
});

describe('exclusions and phrases', () => {
  it('drops every item containing an excluded word', () => {
    const all = titles('社区');
    expect(all).toContain('移民社区 幸福生活');
    const without = titles('社区 -星新');
    expect(without).not.toContain('移民社区 幸福生活');
    expect(without.length).toBe(all.length - 1);
    expect(titles('服务 -医保')).not.toContain('推进医保服务 保障人民健康');
    expect(titles('医保 -ＤＲＧｓ')).toEqual([]);
  });

  it('drops items containing an excluded phrase only where it appears exactly', () => {
    expect(titles('服务 -"医保服务"')).not.toContain('推进医保服务 保障人民健康');
    expect(titles('服务 -"服务医保"')).toContain('推进医保服务 保障人民健康');
  });

  it('requires a quoted phrase exactly, not its words scattered', () => {
    expect(titles('"智造新城"')).toEqual(['工业发展稳中有进']);
    expect(titles('“医保服务”')).toEqual(['推进医保服务 保障人民健康']);
    // 产业 and 同心 are both in several items, together only in one.
    expect(titles('「产业同心」')).toEqual(['产业同心 服务五星']);
    expect(titles('"同心产业"')).toEqual([]);
    // Normalised like everything else.
    expect(titles('"醫保服務"')).toEqual(['推进医保服务 保障人民健康']);
  });

  it('combines a phrase with words and a county', () => {
    expect(titles('"派出所" 廉政 龙游')).toEqual(['“湖枫清警”护平安']);
  });
});

describe('county filter', () => {
  it('keeps only the named county, exactly', () => {
    for (const [raw, county] of [
      ['停车场 江山', '江山市'],
      ['服务 开化', '开化县'],
      ['社区 开化县', '开化县'],
      ['派出所 龙游', '龙游县'],
    ] as const) {
      const hits = index.search(q(raw));
      expect(hits.length, raw).toBeGreaterThan(0);
      for (const hit of hits) expect(corpus.entries.find((e) => e.item.id === hit.id)?.item.county, raw).toBe(county);
    }
  });

  it('applies a caller filter on top of the query', () => {
    const hits = index.search(q('服务'), { county: '衢江区' });
    expect(hits.map((h) => titleOf.get(h.id))).toEqual(['产业同心 服务五星']);
    expect(index.search(q('停车场 江山'), { county: '常山县' })).toEqual([]);
    expect(index.search(q('服务'), { county: null }).length).toBe(index.search(q('服务')).length);
  });

  it('finds nothing about parking in 常山 and suggests dropping the county', () => {
    const query = q('停车场 常山');
    expect(index.search(query)).toEqual([]);
    expect(index.suggest(query)[0]).toBe('停车场');
  });
});

describe('suggestions', () => {
  it('offers close words that do match: a one-character slip in 硅烷', () => {
    const suggestions = index.suggest(q('硅院'));
    expect(suggestions).toContain('硅烷');
    for (const s of suggestions) expect(index.search(q(s)).length, s).toBeGreaterThan(0);
  });

  it('offers a word that does match when one of several finds nothing at all', () => {
    expect(index.suggest(q('湖枫清警 火箭'))).toContain('湖枫清警');
  });

  it('offers the longer index word for a prefix', () => {
    expect(index.suggest(q('丙氨'))).toContain('丙氨酸');
  });

  it('offers nothing rather than something unfounded', () => {
    expect(index.suggest(q('的 了'))).toEqual([]);
    expect(index.suggest(q('ｘｙｚｚｙ'))).toEqual([]);
  });
});

describe('highlight', () => {
  it('marks the query in the headline and the best sentence, at original offsets', () => {
    const entry = byTitle(corpus.entries, '推进医保服务 保障人民健康');
    const { title, snippet } = index.highlight(entry, q('醫保 ＤＲＧｓ'));
    expect(title.marks.map(([s, e]) => title.text.slice(s, e))).toEqual(['医保']);
    expect(snippet).not.toBeNull();
    const marked = snippet!.marks.map(([s, e]) => snippet!.text.slice(s, e));
    expect(marked).toContain('DRGs');
    expect(marked).toContain('医保');
  });

  it('marks a word jieba split as one range', () => {
    const entry = byTitle(corpus.entries, '移民社区 幸福生活');
    const { snippet } = index.highlight(entry, q('星新社区'));
    expect(snippet!.marks.map(([s, e]) => snippet!.text.slice(s, e))).toContain('星新社区');
    const police = byTitle(corpus.entries, '“湖枫清警”护平安');
    const { title } = index.highlight(police, q('湖枫清警'));
    expect(title.marks).toEqual([[1, 5]]);
  });

  it('picks the sentence with every word over one with a few', () => {
    const entry = byTitle(corpus.entries, '为民解忧 服务有温度');
    const { snippet } = index.highlight(entry, q('停车难 交通拥堵'));
    expect(snippet!.text).toContain('停车难');
    expect(snippet!.text).toContain('交通拥堵');
  });

  it('keeps snippets short, cut around the match with …', () => {
    const entry = byTitle(corpus.entries, '“鲜辣常山”品牌重塑');
    const small = createSearchIndex(seg, { snippetMaxChars: 30 });
    const { snippet } = small.highlight(entry, q('一百一千万'));
    expect(snippet!.text.length).toBeLessThanOrEqual(32);
    expect(snippet!.text).toMatch(/…/);
    expect(snippet!.marks.map(([s, e]) => snippet!.text.slice(s, e))).toEqual(['一百一千万']);
  });

  it('gives no snippet when only the headline matches', () => {
    const entry = byTitle(corpus.entries, '产业同心 服务五星');
    expect(index.highlight(entry, q('五星')).snippet).toBeNull();
  });
});

describe('index maintenance', () => {
  const copy = (entry: IndexedItem, id: string, order: number): IndexedItem => ({
    ...entry,
    item: { ...entry.item, id },
    order,
  });

  it('breaks ties in favour of the newer item', () => {
    const fresh = createSearchIndex(seg);
    const base = byTitle(corpus.entries, '企业诉求 直达快办');
    fresh.add([copy(base, 'older', 1), copy(base, 'newer', 2), copy(base, 'middle', 1.5)]);
    expect(fresh.search(q('密胺')).map((h) => h.id)).toEqual(['newer', 'middle', 'older']);
  });

  it('answers the same from terms prepared page by page (as workers send them) as from add', () => {
    const prepared = createSearchIndex(seg);
    const terms = corpus.entries.map((e) => documentTerms(e.item, wordTerms(e.item, seg), seg.normalize, true));
    for (let i = 0; i < corpus.entries.length; i += 4) prepared.addPrepared(corpus.entries.slice(i, i + 4), prepareTerms(terms.slice(i, i + 4), true));
    expect(prepared.size).toBe(index.size);
    for (const { query } of RELEVANCE_CASES) expect(prepared.search(q(query)), query).toEqual(index.search(q(query)));
    for (const raw of ['"医保服务"', '服务 -医保', '停车场 江山']) expect(prepared.search(q(raw)), raw).toEqual(index.search(q(raw)));
  });

  it('removes items, and replaces an item added again under the same id', () => {
    const fresh = createSearchIndex(seg);
    fresh.add(corpus.entries);
    const target = byTitle(corpus.entries, '企业诉求 直达快办');
    fresh.remove([target.item.id, 'no-such-id']);
    expect(fresh.search(q('密胺'))).toEqual([]);
    expect(fresh.size).toBe(corpus.entries.length - 1);
    fresh.add([target]);
    const changed = { ...target, item: { ...target.item, paragraphs: ['桐村镇新建了一座停车场。'] } };
    fresh.add([changed]);
    expect(fresh.size).toBe(corpus.entries.length);
    expect(fresh.search(q('密胺'))).toEqual([]);
    expect(fresh.search(q('停车场 开化')).map((h) => h.id)).toEqual([target.item.id]);
  });

  it('finds and excludes exactly in a body printed in traditional characters', () => {
    const fresh = createSearchIndex(seg);
    const base = byTitle(corpus.entries, '推进医保服务 保障人民健康');
    const traditional = copy(base, 'trad', 99);
    traditional.item = { ...traditional.item, title: '醫療新聞', paragraphs: ['衢州市醫療保障局推進醫保服務，住院ＤＲＧｓ運行平穩。'] };
    fresh.add([traditional, copy(byTitle(corpus.entries, '企业诉求 直达快办'), 'plain', 1)]);
    expect(fresh.search(q('"医保服务"')).map((h) => h.id)).toEqual(['trad']);
    expect(fresh.search(q('"drgs运行"')).map((h) => h.id)).toEqual(['trad']);
    expect(fresh.search(q('医保 -"医保服务"'))).toEqual([]);
    const { snippet } = fresh.highlight(traditional, q('医保服务'));
    expect(snippet!.marks.map(([s, e]) => snippet!.text.slice(s, e))).toEqual(['醫保服務']);
  });

  it('checks phrases and exclusions against the text, whatever the index shortcuts assume', () => {
    const fresh = createSearchIndex(seg);
    const base = byTitle(corpus.entries, '企业诉求 直达快办');
    const withBody = (id: string, order: number, paragraphs: string[]): IndexedItem => {
      const entry = copy(base, id, order);
      entry.item = { ...entry.item, title: '会议纪要', subtitle: null, paragraphs };
      return entry;
    };
    fresh.add([
      withBody('eleven', 1, ['11月26日，全市召开会议。', '其中已解决16件。']),
      withBody('wide', 2, ['１月２６日召开会议。', '其中已解决６件。']),
      withBody('apart', 3, ['1月召开会议，26日闭幕。', '其中已解决，6件待办。']),
      withBody('parking', 4, ['桐村镇新建了一座停车场，方便群众。']),
    ]);
    const ids = (raw: string) => fresh.search(q(raw)).map((h) => h.id).sort();
    // Folded digits match; 1月 separated from 26日 does not.
    expect(ids('"1月26日"')).toEqual(['wide']);
    // A digit run inside the phrase must be the text's whole run: 解决16件 does not hold 解决6件.
    expect(ids('"其中已解决6件"')).toEqual(['wide']);
    expect(ids('"已解决"')).toEqual(['apart', 'eleven', 'wide']);
    expect(ids('会议 -停车场')).toEqual(['apart', 'eleven', 'wide']);
    expect(ids('群众 -"新建了一座停车场"')).toEqual([]);
    expect(ids('"停车场"')).toEqual(['parking']);
  });

  it('gives any range of the ranking with the total, as search gives it', () => {
    for (const raw of ['服务', '医保 停车场', '服务 -医保', '"医保服务"', '停车场 江山', '硅烷硅烷硅烷']) {
      const all = index.search(q(raw));
      expect(index.searchRange(q(raw), 0, 0), raw).toEqual({ total: all.length, hits: [] });
      expect(index.searchRange(q(raw), 1, 3), raw).toEqual({ total: all.length, hits: all.slice(1, 3) });
      expect(index.searchRange(q(raw), 2, 1000), raw).toEqual({ total: all.length, hits: all.slice(2) });
    }
    expect(index.searchRange(q('服务'), 0, 2, { county: '衢江区' }).hits).toEqual(index.search(q('服务'), { county: '衢江区' }).slice(0, 2));
  });

  it('tells which of the given items a subscription query matches', () => {
    const ids = corpus.entries.map((e) => e.item.id);
    const medical = byTitle(corpus.entries, '推进医保服务 保障人民健康').item.id;
    expect(index.matches(q('医保'), ids)).toEqual([medical]);
    expect(index.matches(q('医保'), ids.filter((id) => id !== medical))).toEqual([]);
    // No partial fallback for subscriptions: all words or nothing.
    expect(index.matches(q('医保 停车场'), ids)).toEqual([]);
    expect(index.matches(q('服务 江山'), ids)).toEqual([byTitle(corpus.entries, '为民解忧 服务有温度').item.id]);
  });

  it('never throws on any query text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 10 }), (a, b) => {
        const query = q(`${a} ${b}`);
        const hits = index.search(query);
        for (const hit of hits) index.highlight(byTitleId(hit.id), query);
        if (hits.length === 0) index.suggest(query);
      }),
      { numRuns: 100 },
    );
  });
});

function byTitleId(id: string): IndexedItem {
  const entry = corpus.entries.find((e) => e.item.id === id);
  if (entry === undefined) throw new Error(`no item ${id}`);
  return entry;
}
