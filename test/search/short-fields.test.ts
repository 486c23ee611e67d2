import fc from 'fast-check';
import { MEDICAL, PARKING, MELAMINE } from './relevance-queries.js';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { News } from '../../src/news.js';
import { createShortFieldIndex, type ShortFieldDoc } from '../../src/search/short-fields.js';
import { openTestNews, SEEDS_DIR, results } from '../news-fixture.js';


describe('short fields of the seed page, with the page printed twice', () => {
  let seedsDir: string;
  let news: News;
  const byTitle = (title: string) => news.allItems().filter((item) => item.title === title);

  beforeAll(async () => {
    // The seed page, and the same page again on a later date: every story has a copy.
    seedsDir = mkdtempSync(join(tmpdir(), 'short-fields-'));
    const [seed] = readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt'));
    copyFileSync(join(SEEDS_DIR, seed!), join(seedsDir, seed!));
    copyFileSync(join(SEEDS_DIR, seed!), join(seedsDir, '2023-10-30.txt'));
    news = await openTestNews(seedsDir);
    // The short-field index holds headline words and keywords, which the summary worker computes.
    await news.summarized;
  });
  afterAll(async () => {
    await news.close();
    rmSync(seedsDir, { recursive: true, force: true });
  });

  describe('completions', () => {
    it('offers completions of what a reader types that start with it and find something', () => {
      const offered = news.answers.complete('医');
      expect(offered.length).toBeGreaterThan(0);
      for (const completion of offered) {
        expect(completion.startsWith('医'), completion).toBe(true);
        expect(results(news.answers.search(completion)).total, completion).toBeGreaterThan(0);
      }
    });

    it('offers each word starting with 医 as a completion of its own', () => {
      const offered = news.answers.complete('医');
      expect(offered).toEqual(expect.arrayContaining(['医保', '医疗']));
      for (const completion of offered) expect(completion, completion).not.toMatch(/\s/u);
    });

    it('completes traditional and full-width input like simplified', () => {
      expect(news.answers.complete('醫')).toEqual(news.answers.complete('医'));
      expect(news.answers.complete('開化')).toEqual(['开化县']);
    });

    it('offers nothing for nothing typed or for what no item holds', () => {
      expect(news.answers.complete('')).toEqual([]);
      expect(news.answers.complete('  ')).toEqual([]);
      expect(news.answers.complete('火星')).toEqual([]);
    });
  });

  describe('did you mean', () => {
    it('offers close words that do find something when a search finds nothing', () => {
      const answer = news.answers.search('医宝');
      expect(answer.kind).toBe('no-results');
      if (answer.kind !== 'no-results') return;
      expect(answer.suggestions).toContain('医保');
      for (const word of answer.suggestions) expect(results(news.answers.search(word)).total, word).toBeGreaterThan(0);
    });

    it('never offers the word that found nothing, nor anything for words far from every word', () => {
      const answer = news.answers.search('火星探测器');
      expect(answer).toMatchObject({ kind: 'no-results', suggestions: [] });
    });
  });

  describe('related items', () => {
    it('lists three items related to an article, never itself or a copy of it', () => {
      for (const item of byTitle(PARKING)) {
        const answer = news.answers.related(item.id);
        expect(answer.kind).toBe('related');
        if (answer.kind !== 'related') return;
        expect(answer.item.id).toBe(item.id);
        expect(answer.results).toHaveLength(3);
        for (const r of answer.results) {
          expect(r.item.id).not.toBe(item.id);
          expect(r.item.title).not.toBe(item.title);
        }
      }
    });

    it('lists three different stories, not one story twice', () => {
      const answer = news.answers.related(byTitle(PARKING)[0]!.id);
      if (answer.kind !== 'related') throw new Error(answer.kind);
      expect(new Set(answer.results.map((r) => r.item.title)).size).toBe(3);
    });

    it('lists nothing rather than the item’s own copy when no other story is close', () => {
      const [item] = byTitle(MELAMINE);
      expect(news.answers.related(item!.id)).toMatchObject({ kind: 'related', results: [] });
    });

    it('answers an unknown id with a problem', () => {
      expect(news.answers.related('nosuchitem')).toMatchObject({ kind: 'problem', problem: 'unknown-article' });
      expect(news.answers.related('')).toMatchObject({ kind: 'problem', problem: 'unknown-article' });
    });

    it('accepts an id as typed, with spaces and in capitals', () => {
      const [item] = byTitle(MEDICAL);
      expect(news.answers.related(` ${item!.id.toUpperCase()} `)).toMatchObject({ kind: 'related', item: { id: item!.id } });
    });
  });
});

describe('createShortFieldIndex', () => {
  const doc = (id: string, title: string, titleWords: string[], keywords: string[] = [], counties: string[] = []): ShortFieldDoc => ({ id, title, titleWords, keywords, counties });
  const docs = [
    doc('medical', '推进医保服务', ['推进', '医保', '服务'], ['医保', '挂联']),
    doc('hospital', '医疗机构检查', ['医疗机构', '检查'], ['医疗机构']),
    doc('parking', '停车场新建', ['停车场', '新建'], ['停车场', '江山'], ['江山市']),
    doc('parking-copy', '停车场新建', ['停车场', '新建'], ['停车场', '江山'], ['江山市']),
    doc('garage', '地下停车场开工', ['地下', '停车场', '开工'], ['停车场'], ['江山市']),
    doc('tea', '茶产业人才', ['茶产业', '人才'], ['茶叶', '技能'], ['开化县']),
  ];
  const index = () => {
    const i = createShortFieldIndex();
    i.add(docs);
    return i;
  };

  it('completes a prefix with the headline words, keywords and counties that start with it', () => {
    const i = index();
    expect(i.complete('医')).toEqual(expect.arrayContaining(['医保', '医疗机构']));
    expect(i.complete('江山')).toEqual(expect.arrayContaining(['江山市']));
    expect(i.complete('地')).toEqual(['地下']);
  });

  it('offers neither the word already typed in full nor more than the limit', () => {
    const i = index();
    expect(i.complete('停车场')).not.toContain('停车场');
    expect(i.complete('医', 1)).toHaveLength(1);
    expect(i.complete('')).toEqual([]);
    expect(i.complete('火')).toEqual([]);
  });

  it('offers each word of one item as its own completion', () => {
    expect(index().complete('茶').sort()).toEqual(['茶产业', '茶叶']);
  });

  it('finds indexed words one character off a two-character word, never the word itself or single characters', () => {
    const i = index();
    expect(i.closeWords(['医宝'])).toContain('医保');
    expect(i.closeWords(['医保'])).not.toContain('医保');
    for (const word of i.closeWords(['医宝', '停车厂'])) expect([...word].length).toBeGreaterThan(1);
    expect(i.closeWords(['停车厂'])).toContain('停车场');
    expect(i.closeWords(['火星'])).toEqual([]);
  });

  it('suggests nothing for a word the items hold: the rest of the query found nothing, not the word', () => {
    const i = index();
    i.add([doc('insurance', '医疗服务', ['医疗', '服务'], ['医疗'])]);
    // 医疗 is one character off 医保 and both are held: suggested for 医宝, not for 医保 (`医保 -服务`).
    expect(i.closeWords(['医宝'])).toEqual(expect.arrayContaining(['医保', '医疗']));
    expect(i.closeWords(['医保'])).toEqual([]);
    expect(i.closeWords(['医保', '停车厂'])).toEqual(['停车场']);
  });

  it('allows one edit in a word of up to four characters, two in a longer word', () => {
    const i = index();
    i.add([doc('base', '人才培养基地建成', ['人才培养基地', '建成'], ['人才培养基地'])]);
    expect(i.closeWords(['医疗机够'])).toContain('医疗机构');
    // Half of a four-character word wrong: too far to suggest.
    expect(i.closeWords(['医了机够'])).not.toContain('医疗机构');
    expect(i.closeWords(['人材培养机地'])).toContain('人才培养基地');
  });

  it('suggests every held word within the edits allowed, whatever characters the index never saw (against a slow reference)', () => {
    const distance = (a: string[], b: string[]): number => {
      let row = Array.from({ length: b.length + 1 }, (_, k) => k);
      for (let i = 1; i <= a.length; i++) {
        const next = [i];
        for (let k = 1; k <= b.length; k++) next.push(Math.min(row[k]! + 1, next[k - 1]! + 1, row[k - 1]! + (a[i - 1] === b[k - 1] ? 0 : 1)));
        row = next;
      }
      return row[b.length]!;
    };
    // Indexed words of four characters, queries also of characters no word has (the last three).
    const held = fc.string({ unit: fc.constantFrom('医', '保', '服', '务', '𠀀'), minLength: 1, maxLength: 6 });
    const asked = fc.string({ unit: fc.constantFrom('医', '保', '服', '务', '𠀀', '犰', '狳', '𠀁'), minLength: 1, maxLength: 7 });
    fc.assert(
      fc.property(fc.array(fc.array(held, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }), fc.array(asked, { minLength: 1, maxLength: 3 }), (items, words) => {
        const i = createShortFieldIndex();
        i.add(items.map((titleWords, k) => doc(`d${k}`, titleWords.join(''), titleWords)));
        const vocabulary = new Set(items.flat());
        const expected = new Set<string>();
        for (const word of words) {
          if (vocabulary.has(word)) continue;
          // Edits count UTF-16 code units, as MiniSearch's term tree counts them; lengths count characters.
          const allowed = [...word].length <= 4 ? 1 : 2;
          for (const term of vocabulary) {
            if (!words.includes(term) && [...term].length >= 2 && distance(word.split(''), term.split('')) <= allowed) expected.add(term);
          }
        }
        expect(new Set(i.closeWords(words, 1_000))).toEqual(expected);
      }),
    );
  });

  it('relates items by shared headline words and keywords, closest first, never the item or a copy of it', () => {
    const i = index();
    const related = i.related('parking');
    expect(related[0]).toBe('garage');
    expect(related).not.toContain('parking');
    expect(related).not.toContain('parking-copy');
    expect(i.related('parking', 1)).toEqual(['garage']);
    // Nothing shares a word with it: nothing is related, rather than anything at all.
    expect(i.related('medical')).toEqual([]);
    expect(i.related('nosuchitem')).toEqual([]);
  });

  it('replaces an item added again under its id, and forgets removed items', () => {
    const i = index();
    expect(i.size).toBe(docs.length);
    i.add([doc('tea', '红茶上市', ['红茶', '上市'])]);
    expect(i.size).toBe(docs.length);
    expect(i.complete('茶')).toEqual([]);
    expect(i.complete('红')).toEqual(['红茶']);
    i.remove(['garage', 'nosuchitem']);
    expect(i.size).toBe(docs.length - 1);
    expect(i.related('parking')).not.toContain('garage');
    expect(i.complete('地')).toEqual([]);
  });

  it('puts the words of topics many readers follow first among completions, but never a word no item holds', () => {
    const i = index();
    // 医保 is in one item's headline and keywords, 医疗机构 in the other's: alone, each scores by its items.
    const before = i.complete('医');
    const other = before[0] === '医保' ? '医疗机构' : '医保';
    i.setTopics([{ words: [other], chats: 40 }, { words: ['医药', '改革'], chats: 90 }]);
    expect(i.complete('医')[0]).toBe(other);
    expect(i.complete('医')).not.toContain('医药');
    expect(i.complete('改')).toEqual([]);
    expect(i.size).toBe(docs.length);
  });

  it('replaces the followed topics when they are set again, and never relates an item to a topic', () => {
    const i = index();
    const plain = i.complete('医');
    i.setTopics([{ words: [plain[1]!], chats: 50 }]);
    expect(i.complete('医')[0]).toBe(plain[1]);
    i.setTopics([]);
    expect(i.complete('医')).toEqual(plain);
    i.setTopics([{ words: ['停车场', '江山'], chats: 9 }, { words: ['停车场', '江山'], chats: 9 }]);
    for (const id of i.related('parking', 10)) expect(docs.map((d) => d.id)).toContain(id);
  });
});

describe('createShortFieldIndex under a stream of page updates', () => {
  it('keeps answering, and never fails in the background, when items are replaced and removed while others are added', async () => {
    // A page rewritten again and again: its items replaced and removed between additions. MiniSearch's
    // `discard` leaves a vacuum running in the background across timers, and a tree changed under it
    // threw an unhandled rejection (seen in CI). Catch any such rejection while the updates go on.
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const i = createShortFieldIndex();
      const words = (n: number) => [`词${n % 97}`, `语${n % 89}`, `${n % 13}号文件`, `第${n}条`];
      const item = (n: number, round: number): ShortFieldDoc => ({
        id: `item-${n}`,
        title: `标题${n}-${round}`,
        titleWords: words(n + round),
        keywords: [`关键${(n * 7 + round) % 101}`],
        counties: [],
      });
      let next = 0;
      for (let round = 0; round < 30; round++) {
        i.add(Array.from({ length: 200 }, (_, k) => item(next + k, round)));
        next += 200;
        // Rewrite half of the items so far and remove a tenth, so dirt piles up.
        i.add(Array.from({ length: next / 2 }, (_, k) => item(k * 2, round + 1)));
        i.remove(Array.from({ length: next / 10 }, (_, k) => `item-${k * 10 + 5}`));
        i.setTopics([{ words: [`词${round}`], chats: 3 }]);
        // Let timers run, as a page watcher's updates do, so a background vacuum can interleave.
        await new Promise((resolve) => setTimeout(resolve, 2));
        expect(i.complete('词').length).toBeGreaterThan(0);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(failures).toEqual([]);
      expect(i.size).toBe(next - next / 10);
      // A removed item is gone from every answer, a rewritten one answers with its new words only.
      expect(i.related('item-5', 50)).toEqual([]);
      expect(i.related('item-4', 50)).not.toContain('item-5');
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
