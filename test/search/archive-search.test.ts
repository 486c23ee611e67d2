import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MarkedText } from '../../src/answers/answer.js';
import type { Item } from '../../src/pages/item.js';
import type { News } from '../../src/news.js';
import { createNormalizer } from '../../src/text/normalize.js';
import { openTestNews, results } from '../news-fixture.js';
import { measureRelevance } from './measure-relevance.js';
import { INDUSTRY, TEA, MEDICAL, PARKING, POLICE, MIGRANTS, UNITED_FRONT, RELEVANCE_CASES } from './relevance-queries.js';
import { referenceSearch, requiredUnits, type ReferenceQuery } from './search-reference.js';


/** The seed page's core and a core on a folder of generated pages, opened side by side (each takes seconds). */
let seedNews: Promise<News>;
let generatedNews: Promise<News>;
let generatedDir: string;
beforeAll(() => {
  generatedDir = mkdtempSync(join(tmpdir(), 'search-pages-'));
  seedNews = openTestNews();
  generatedNews = openTestNews(generatedDir);
});
afterAll(async () => {
  await Promise.all([seedNews, generatedNews].map(async (core) => (await core).close()));
  rmSync(generatedDir, { recursive: true, force: true });
});

/** The marked parts of a text. */
const marked = (text: MarkedText | null): string[] => (text ? text.marks.map(([s, e]) => text.text.slice(s, e)) : []);

describe('search on the seed page', () => {
  let news: News;
  let ids: string[];
  const search = (raw: string, pageSize = 100) => news.answers.search(raw, { pageSize });
  const titles = (raw: string): string[] => results(search(raw)).results.map((r) => r.item.title);
  /** Headlines found in step `all` (every word whole); none when another step or nothing answered. */
  const allTitles = (raw: string): string[] => {
    const answer = search(raw);
    return answer.kind === 'results' && answer.match === undefined ? answer.results.map((r) => r.item.title) : [];
  };
  const idOf = (title: string): string => news.allItems().find((item) => item.title === title)!.id;

  beforeAll(async () => {
    news = await seedNews;
    ids = news.allItems().map((item) => item.id);
  });

  it('indexes every item of the seed page', () => {
    expect(news.stats.items).toBeGreaterThanOrEqual(11);
    expect(results(news.answers.latest({ pageSize: 100 })).total).toBe(news.stats.items);
  });

  it('puts the expected headline first for nearly every reader query (measure: npx tsx test/search/measure-relevance.ts)', () => {
    const rows = measureRelevance((query) => search(query));
    const misses = rows.filter((r) => r.rank !== 1).map((r) => `${r.query} → ${r.rank === 0 ? 'not found' : `rank ${r.rank}`}, first: ${r.first}`);
    // The engine puts all of them first today; two may slip to second place before this fails.
    expect(rows).toHaveLength(RELEVANCE_CASES.length);
    expect(rows.length - misses.length, misses.join('\n')).toBeGreaterThanOrEqual(RELEVANCE_CASES.length - 2);
  });

  describe('words', () => {
    it('normalises both sides: traditional, full-width and upper case find the same items', () => {
      expect(titles('醫保')).toEqual(titles('医保'));
      expect(titles('醫保服務')).toEqual(titles('医保服务'));
      expect(titles('ＤＲＧｓ')).toEqual(titles('DRGs'));
      expect(titles('drgs')).toEqual(titles('DRGs'));
      expect(titles('drgs')).toEqual([MEDICAL]);
    });

    it('ranks headline matches above body matches', () => {
      const top = titles('服务').slice(0, 3);
      expect(top).toHaveLength(3);
      for (const title of top) expect(title).toContain('服务');
    });

    it('ranks the words printed together in a headline first', () => {
      expect(titles('医保 服务')[0]).toBe(MEDICAL);
      expect(titles('产业 同心')[0]).toBe(UNITED_FRONT);
    });

    it('returns only the items with every word while some item has them all', () => {
      const answer = results(search('湖镇 廉政'));
      expect(answer.results.map((r) => r.item.title)).toEqual([POLICE]);
      expect(answer.match).toBeUndefined();
    });

    it('falls back to items with some of the words, saying so, when no item has all', () => {
      const answer = results(search('医保 停车场'));
      expect(answer.match).toBe('partial');
      expect(answer.results.map((r) => r.item.title).sort()).toEqual([MEDICAL, PARKING].sort());
      // The item with more of the words ranks first.
      expect(titles('医保 挂联 停车场')[0]).toBe(MEDICAL);
    });

    it('splits a long word into its dictionary words, each required, and says so', () => {
      const answer = results(search('医保服务推进'));
      expect(answer.match).toBe('words');
      expect(answer.results.map((r) => r.item.title)).toEqual([MEDICAL]);
      // The dictionary words are marked where they stand, as one range where they touch.
      expect(marked(answer.results[0]!.title)).toEqual(['推进医保服务']);
    });

    it('finds the characters of a word in order and close together, and says these are near matches', () => {
      const answer = results(search('炒茶'));
      expect(answer.match).toBe('near');
      expect(answer.results[0]!.item.title).toBe(TEA);
      expect(answer.total).toBe(answer.results.length);
      expect(marked(answer.results[0]!.snippet)).toContain('炒制茶');
    });

    it('does not call characters far apart a near match', () => {
      // 茶 and 徒 are both in the tea caption, but more than three characters apart.
      expect(search('茶徒').kind).toBe('no-results');
    });

    it('never matches on stop words alone, and a stop word beside a content word does not hide it', () => {
      for (const raw of ['的 了', '我们 的', '"的"', '！！！']) expect(search(raw), raw).toMatchObject({ kind: 'problem', problem: 'no-searchable-words' });
      expect(titles('的 硅烷')).toEqual([INDUSTRY]);
    });

    it('answers HTML, emoji and overlong queries without throwing, and finds a word pasted many times', () => {
      expect(search('<b>&').kind).toBe('no-results');
      expect(search('😀')).toMatchObject({ kind: 'problem', problem: 'no-searchable-words' });
      expect(search('硅烷'.repeat(200))).toMatchObject({ kind: 'problem', problem: 'query-too-long' });
      expect(titles('硅烷'.repeat(40))).toEqual([INDUSTRY]);
    });

    it('answers any query text with an answer, never a throw', () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 10 }), fc.constantFrom('', '-', '"', '“', '医保', ' 江山'), (a, b, c) => {
          const answer = news.answers.search(`${a} ${c}${b}`);
          expect(['results', 'no-results', 'problem']).toContain(answer.kind);
        }),
        { numRuns: 200, seed: 20261203 },
      );
    });
  });

  describe('exclusions and phrases', () => {
    it('drops every item containing an excluded word', () => {
      const all = titles('社区');
      expect(all).toContain(MIGRANTS);
      const without = titles('社区 -星新');
      expect(without).not.toContain(MIGRANTS);
      expect(without).toHaveLength(all.length - 1);
      expect(titles('服务 -医保')).not.toContain(MEDICAL);
      expect(search('医保 -ＤＲＧｓ').kind).toBe('no-results');
    });

    it('finds nothing, not even near matches, for a word excluded by itself or by a part of it', () => {
      expect(titles('医保')).toContain(MEDICAL);
      expect(search('医保 -医保').kind).toBe('no-results');
      expect(search('医保服务 -服务').kind).toBe('no-results');
      expect(search('"医保服务" -医保').kind).toBe('no-results');
    });

    it('drops items containing an excluded phrase only where it appears exactly', () => {
      expect(titles('服务 -"医保服务"')).not.toContain(MEDICAL);
      expect(titles('服务 -"服务医保"')).toContain(MEDICAL);
    });

    it('requires a quoted phrase exactly, not its words scattered', () => {
      expect(allTitles('"智造新城"')).toEqual([INDUSTRY]);
      expect(allTitles('“医保服务”')).toEqual([MEDICAL]);
      // 产业 and 同心 are both in several items, together only in one.
      expect(allTitles('「产业同心」')).toEqual([UNITED_FRONT]);
      expect(allTitles('"同心产业"')).toEqual([]);
      expect(allTitles('"醫保服務"')).toEqual([MEDICAL]);
    });

    it('matches a phrase typed with spaces between Chinese characters as the characters together', () => {
      expect(allTitles('"医保 服务"')).toEqual([MEDICAL]);
      expect(allTitles('"智造 新 城"')).toEqual([INDUSTRY]);
    });

    it('combines a phrase with words and a county', () => {
      expect(allTitles('"派出所" 廉政 龙游')).toEqual([POLICE]);
    });
  });

  describe('county filter', () => {
    it('keeps only the county named among the words', () => {
      for (const [raw, county] of [
        ['停车场 江山', '江山市'],
        ['服务 开化', '开化县'],
        ['社区 开化县', '开化县'],
        ['派出所 龙游', '龙游县'],
      ] as const) {
        const answer = results(search(raw));
        expect(answer.county, raw).toBe(county);
        expect(answer.results.length, raw).toBeGreaterThan(0);
        for (const r of answer.results) expect(r.item.county, raw).toBe(county);
      }
    });

    it('lists the items of a county named alone, ranked by its name', () => {
      const answer = results(search('开化'));
      expect(answer.county).toBe('开化县');
      expect(answer.results.map((r) => r.item.title).sort()).toEqual(results(news.answers.county('开化', { pageSize: 100 })).results.map((r) => r.item.title).sort());
    });

    it('finds nothing about parking in 常山 rather than parking elsewhere, and suggests dropping the county', () => {
      const answer = search('停车场 常山');
      expect(answer).toMatchObject({ kind: 'no-results', county: '常山县' });
      if (answer.kind !== 'no-results') throw new Error(answer.kind);
      expect(answer.suggestions[0]).toBe('停车场');
    });
  });

  describe('highlights and snippets', () => {
    it('marks the query in the headline and the best sentence, at the original offsets', () => {
      const [first] = results(search('醫保 ＤＲＧｓ')).results;
      expect(first!.item.title).toBe(MEDICAL);
      expect(marked(first!.title)).toEqual(['医保']);
      expect(marked(first!.snippet)).toEqual(expect.arrayContaining(['DRGs', '医保']));
    });

    it('marks a word jieba would split as one range', () => {
      const [first] = results(search('湖枫清警')).results;
      expect(first!.title.marks).toEqual([[1, 5]]);
      expect(marked(first!.snippet)).toContain('湖枫清警');
    });

    it('picks the sentence with every word over one with a few', () => {
      const snippet = results(search('停车难 交通拥堵')).results[0]!.snippet!;
      expect(snippet.text).toContain('停车难');
      expect(snippet.text).toContain('交通拥堵');
    });

    it('clips a long sentence around the match, with …', () => {
      const snippet = results(search('一百一千万')).results[0]!.snippet!;
      expect([...snippet.text].length).toBeLessThanOrEqual(122);
      expect(snippet.text).toMatch(/^…|…$/);
      expect(marked(snippet)).toEqual(['一百一千万']);
    });

    it('gives no snippet when only the headline matches', () => {
      const [first] = results(search('五星')).results;
      expect(first!.item.title).toBe(UNITED_FRONT);
      expect(first!.snippet).toBeNull();
    });
  });

  describe('totals and pages', () => {
    it('gives the exact total, and pages that continue each other without overlap', () => {
      const whole = results(search('衢州', 100));
      expect(whole.total).toBe(whole.results.length);
      expect(whole.total).toBeGreaterThan(4);
      const pages: string[][] = [];
      for (let page = 1; page <= Math.ceil(whole.total / 2); page++) {
        const answer = results(news.answers.search('衢州', { page, pageSize: 2 }));
        expect(answer.total).toBe(whole.total);
        expect(answer.page).toBe(page);
        pages.push(answer.results.map((r) => r.item.id));
      }
      expect(pages.flat()).toEqual(whole.results.map((r) => r.item.id));
      expect(new Set(pages.flat()).size).toBe(whole.total);
    });

    it('gives totals and pages of partial matches the same way', () => {
      const whole = results(search('医保 停车场 硅烷', 100));
      expect(whole.match).toBe('partial');
      const first = results(news.answers.search('医保 停车场 硅烷', { page: 1, pageSize: 2 }));
      const second = results(news.answers.search('医保 停车场 硅烷', { page: 2, pageSize: 2 }));
      expect([...first.results, ...second.results].map((r) => r.item.id)).toEqual(whole.results.map((r) => r.item.id));
      expect(second.total).toBe(whole.total);
    });
  });

  describe('subscriptions', () => {
    it('tells which of the given items a topic matches, as /search lists them', () => {
      const medical = idOf(MEDICAL);
      expect(news.matchTopic('医保', ids)).toEqual([medical]);
      expect(news.matchTopic('医保', ids.filter((id) => id !== medical))).toEqual([]);
      expect(news.matchTopic('服务 江山', ids)).toEqual([idOf(PARKING)]);
      expect(news.matchTopic('医保服务推进', ids)).toEqual([medical]);
      expect(news.matchTopic('"医保 服务" -drgs', ids)).toEqual([]);
    });

    it('matches a topic with every word only: no partial or near matches', () => {
      expect(news.matchTopic('医保 停车场', ids)).toEqual([]);
      expect(news.matchTopic('炒茶', ids)).toEqual([]);
      expect(news.countMatches('医保 停车场')).toBe(0);
      expect(news.countMatches('炒茶')).toBe(0);
    });

    it('counts what /search finds in full', () => {
      for (const topic of ['服务', '衢州', '服务 -医保', '停车场 江山', '医保服务推进']) {
        expect(news.countMatches(topic), topic).toBe(results(search(topic)).total);
        expect(news.matchTopic(topic, ids).sort(), topic).toEqual(results(search(topic)).results.map((r) => r.item.id).sort());
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Generated archives: the query semantics against a brute-force reference, and page updates.

const normalize = createNormalizer();

/** Chinese words sharing characters (so words recur and run into each other), some traditional, one a stop word. */
const HAN_WORDS = ['医保', '服务', '保障', '务实', '茶叶', '炒制', '产业', '业务', '社区', '星新', '工坊', '醫保', '服務', '我们'];
/** Latin and digit words, some full-width or upper case. */
const LATIN_WORDS = ['5g', 'ai', '2023', 'drgs', 'ＤＲＧｓ', '５Ｇ', 'AI'];
const SEPARATORS = ['', '', '', '，', '。', ' ', '、', '“', '”', '的'];

/**
 * A word a query may hold: two characters or more, all Han or all Latin and digits. Words that mix
 * scripts hit the bugs fts-text.test.ts marks (a Han character right before Latin or digits is
 * missed at the end of a run; Latin or digits then Han match across a space or punctuation), and
 * fts-text.test.ts checks mixed words against the same reference.
 */
const clearWord = (word: string): boolean => {
  const n = normalize(word);
  return [...n].length >= 2 && !/\p{Script=Han}[a-z0-9]|[a-z0-9]\p{Script=Han}/u.test(n);
};

const token = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...HAN_WORDS) }, { weight: 1, arbitrary: fc.constantFrom(...LATIN_WORDS) });
/** Words with separators between them (often none: words run together). */
const phraseText = (min: number, max: number) =>
  fc.array(fc.tuple(token, fc.constantFrom(...SEPARATORS)), { minLength: min, maxLength: max }).map((parts) =>
    parts
      .map(([word, sep]) => word + sep)
      .join('')
      .replace(/[\s，、“的]+$/u, ''),
  );
const article = fc.record({
  title: phraseText(1, 3),
  subtitle: fc.option(phraseText(1, 3), { nil: null }),
  paragraphs: fc.array(phraseText(2, 8).map((p) => `${p}。`), { minLength: 1, maxLength: 3 }),
});
/** Two or three pages of one to four articles. */
const archive = fc.array(fc.array(article, { minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 3 });

/** A page file in our format: headline, optional subheadline, paragraphs. */
function pageText(articles: Array<{ title: string; subtitle: string | null; paragraphs: string[] }>): string {
  return articles
    .map((a) => [`# ${a.title}`, ...(a.subtitle ? [`## ${a.subtitle}`] : []), ...a.paragraphs].join('\n\n'))
    .join('\n\n');
}

/** A query unit: a vocabulary word, or a piece cut from the archive's text. */
const unit = (pieces: string[]) =>
  fc
    .oneof(
      fc.constantFrom(...HAN_WORDS, ...LATIN_WORDS),
      fc.tuple(fc.constantFrom(...pieces), fc.nat(), fc.integer({ min: 2, max: 5 })).map(([piece, at, length]) => {
        const chars = [...piece];
        const from = at % chars.length;
        return chars.slice(from, from + length).join('');
      }),
    )
    .filter(clearWord);

/** A query of words, phrases (sometimes typed with a space between Han characters) and exclusions. */
const query = (pieces: string[]) =>
  fc
    .record({
      words: fc.array(unit(pieces), { maxLength: 2 }),
      phrases: fc.array(
        fc.tuple(unit(pieces), fc.boolean()).map(([p, spaced]) => (spaced ? p.replace(/(\p{Script=Han})(?=\p{Script=Han})/u, '$1 ') : p)),
        { maxLength: 1 },
      ),
      excluded: fc.array(
        fc.tuple(unit(pieces), fc.boolean()).map(([w, spaced]) => (spaced ? w.replace(/(\p{Script=Han})(?=\p{Script=Han})/u, '$1 ') : w)),
        { maxLength: 1 },
      ),
    })
    .filter((q) => q.words.length + q.phrases.length > 0);

const render = (q: ReferenceQuery): string =>
  [...q.words, ...q.phrases.map((p) => `"${p}"`), ...q.excluded.map((w) => (/\s/u.test(w) ? `-"${w}"` : `-${w}`))].join(' ');

describe('search on generated archives', () => {
  let seedsDir: string;
  let news: News;
  let files: string[] = [];

  /** Replaces the archive's pages with these, through page updates as the watcher applies them. */
  const setPages = async (pages: string[]): Promise<Item[]> => {
    for (const file of files) {
      unlinkSync(join(seedsDir, file));
      await news.updatePage(file);
    }
    files = pages.map((_, i) => `2023-10-${String(i + 1).padStart(2, '0')}.txt`);
    for (const [i, text] of pages.entries()) {
      writeFileSync(join(seedsDir, files[i]!), text);
      const update = await news.updatePage(files[i]!);
      expect(update.skipped).toBeNull();
    }
    return news.allItems();
  };
  /** Every id /search finds in step `all` (none when another step, or nothing, answered). */
  const foundInStepAll = (raw: string): string[] => {
    const answer = news.answers.search(raw, { pageSize: 100 });
    if (answer.kind !== 'results' || answer.match !== undefined) return [];
    expect(answer.total).toBeLessThanOrEqual(100);
    return answer.results.map((r) => r.item.id);
  };

  beforeAll(async () => {
    seedsDir = generatedDir;
    news = await generatedNews;
  });

  it('finds in step all exactly the items with every word and phrase and no excluded one, as the reference does', async () => {
    await fc.assert(
      fc.asyncProperty(
        archive.chain((pages) => {
          const texts = pages.map(pageText);
          const pieces = pages.flat().flatMap((a) => [a.title, ...a.paragraphs].map((t) => t.replace(/[^\p{L}\p{N}]+/gu, '')).filter((t) => t.length >= 2));
          return fc.tuple(fc.constant(texts), fc.array(query(pieces), { minLength: 8, maxLength: 8 }));
        }),
        async ([texts, queries]) => {
          const items = await setPages(texts);
          expect(items.length).toBeGreaterThan(0);
          for (const q of queries) {
            const raw = render(q);
            const expected = referenceSearch(items, q, normalize).sort();
            if (requiredUnits(q, normalize).length === 0) {
              expect(news.answers.search(raw), raw).toMatchObject({ kind: 'problem' });
              continue;
            }
            expect(foundInStepAll(raw).sort(), raw).toEqual(expected);
            if (expected.length > 0) expect(news.countMatches(raw), raw).toBe(expected.length);
          }
        },
      ),
      { numRuns: 12, seed: 20261203, endOnFailure: true },
    );
  });

  it('makes a new page searchable, and text removed from a page unsearchable, at once', async () => {
    await setPages(['# 茶园新貌\n\n龙顶名茶今年产量创新高。']);
    expect(results(news.answers.search('龙顶')).results.map((r) => r.item.title)).toEqual(['茶园新貌']);

    const before = news.allItems().map((item) => item.id);
    writeFileSync(join(seedsDir, files[0]!), '# 茶园新貌\n\n白茶今年产量创新高。');
    const update = await news.updatePage(files[0]!);
    expect(update).toMatchObject({ skipped: null, removed: before });
    expect(update.added).toEqual(news.allItems().map((item) => item.id));
    expect(news.answers.search('龙顶').kind).toBe('no-results');
    expect(results(news.answers.search('白茶')).results.map((r) => r.item.title)).toEqual(['茶园新貌']);

    unlinkSync(join(seedsDir, files[0]!));
    await news.updatePage(files[0]!);
    files = [];
    expect(news.answers.search('白茶').kind).toBe('no-results');
    expect(news.stats.items).toBe(0);
  });

  it('finds text copied out of a PDF, whose Kangxi radicals stand for characters (⽓温 is 气温), by the characters typed', async () => {
    await setPages(['# 高温天气持续\n\n局地⽓温超过42℃，在陕⻄商洛，⼀线职工坚守岗位。']);
    for (const query of ['气温', '一线职工', '"⽓温"']) expect(results(news.answers.search(query)).results.map((r) => r.item.title), query).toEqual(['高温天气持续']);
    // A radical of the supplement block (⻄) has no NFKC mapping: it stays as printed, and is found as typed.
    expect(results(news.answers.search('陕⻄商洛')).results.map((r) => r.item.title)).toEqual(['高温天气持续']);
  });

  it('counts a county\'s items again after a page update (/county totals are remembered until the pages change)', async () => {
    const countyTotal = () => {
      const answer = news.answers.county('开化');
      return answer.kind === 'results' ? answer.total : 0;
    };
    await setPages(['# 开化茶园\n\n开化县龙顶茶今年产量创新高。']);
    expect(countyTotal()).toBe(1);
    await setPages(['# 开化茶园\n\n开化县龙顶茶今年产量创新高。', '# 开化古村\n\n开化县霞山古村游客增多。']);
    expect(countyTotal()).toBe(2);
    await setPages([]);
    expect(countyTotal()).toBe(0);
  });

  it('pages through more matches than the ranking window: every match once, the total constant, the oldest last', async () => {
    // 2,400 items on three days, each about 共富工坊; every tenth also about 茶叶, which is excluded:
    // 2,160 matches, more than the 2,000 newest that bm25 ranks.
    const page = (day: number, count: number) =>
      Array.from({ length: count }, (_, n) => `# 共富工坊第${day}-${n}期\n\n共富工坊开展第${day}-${n}期培训${n % 10 === 0 ? '，茶叶飘香' : ''}。`).join('\n\n');
    const items = await setPages([page(1, 800), page(2, 800), page(3, 800)]);
    expect(items).toHaveLength(2400);
    const total = 2160;
    const query = '共富工坊 -茶叶';
    // Page sizes whose pages straddle the re-ranked head (30) and the window's end (2,000).
    for (const pageSize of [100, 45]) {
      const seen: string[] = [];
      for (let n = 1; n <= Math.ceil(total / pageSize); n++) {
        const answer = results(news.answers.search(query, { page: n, pageSize }));
        expect(answer.total).toBe(total);
        seen.push(...answer.results.map((r) => r.item.id));
      }
      expect(seen, `page size ${pageSize}`).toHaveLength(total);
      expect(new Set(seen).size, `page size ${pageSize}`).toBe(total);
    }
    // Past the window the rest follow newest first: the last page holds the oldest day's items.
    const last = results(news.answers.search(query, { page: Math.ceil(total / 100), pageSize: 100 }));
    expect(last.results.every((r) => r.item.date === '2023-10-01')).toBe(true);
    expect(news.countMatches(query)).toBe(total);
  });

  it('ranks the same article newer first', async () => {
    const page = '# 星新工坊开张\n\n星新社区的共富工坊今天开张。';
    await setPages([page, page, page]);
    const found = results(news.answers.search('共富工坊'));
    expect(found.total).toBe(3);
    expect(found.results.map((r) => r.item.date)).toEqual(['2023-10-03', '2023-10-02', '2023-10-01']);
  });
});
