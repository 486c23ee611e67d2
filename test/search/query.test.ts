import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/query.js';

const COUNTIES: Record<string, string> = { 江山: '江山市', 江山市: '江山市', 开化: '开化县', 常山: '常山县' };
const resolve = (word: string): string | null => COUNTIES[word] ?? null;

describe('parseQuery', () => {
  it('splits words on half- and full-width spaces and keeps the raw text', () => {
    const q = parseQuery(' 医保　服务  DRGs ', resolve);
    expect(q.words).toEqual(['医保', '服务', 'DRGs']);
    expect(q.raw).toBe(' 医保　服务  DRGs ');
    expect(q.problem).toBeNull();
  });

  it('takes a county name among the words as the county filter', () => {
    const q = parseQuery('停车场 江山', resolve);
    expect(q).toMatchObject({ words: ['停车场'], county: '江山市', countyWord: '江山' });
  });

  it('keeps a county named alone as the word to search for too', () => {
    expect(parseQuery('开化', resolve)).toMatchObject({ words: ['开化'], county: '开化县' });
  });

  it('filters to the first county only; a second county name stays a word', () => {
    expect(parseQuery('江山 常山', resolve)).toMatchObject({ words: ['常山'], county: '江山市' });
  });

  it('reads -词 (also full-width －) as an exclusion', () => {
    const q = parseQuery('服务 -医保 －停车场', resolve);
    expect(q.words).toEqual(['服务']);
    expect(q.excluded).toEqual(['医保', '停车场']);
  });

  it('reads "…", “…”, 「…」 and 『…』 as required phrases, spaces inside kept', () => {
    const q = parseQuery('"医保 服务" “智造新城” 「共享菜园」 『湖枫清警』 茶', resolve);
    expect(q.phrases).toEqual(['医保 服务', '智造新城', '共享菜园', '湖枫清警']);
    expect(q.words).toEqual(['茶']);
  });

  it('excludes a quoted phrase with -"…", and runs an unclosed quote to the end', () => {
    expect(parseQuery('服务 -"医保服务"', resolve).excluded).toEqual(['医保服务']);
    expect(parseQuery('“共享 菜园', resolve).phrases).toEqual(['共享 菜园']);
  });

  it('reports an empty query', () => {
    expect(parseQuery('  　 ', resolve).problem).toBe('empty');
    expect(parseQuery('', resolve).problem).toBe('empty');
  });

  it('reports a query of only stop words, punctuation, emoji or exclusions', () => {
    for (const raw of ['的 了', '！！！ ，', '😀🎉', '- -', '-医保']) {
      expect(parseQuery(raw, resolve).problem, raw).toBe('no-searchable-words');
    }
  });

  it('reports a query longer than the limit but still parses it', () => {
    const q = parseQuery('医保'.repeat(500), resolve);
    expect(q.problem).toBe('too-long');
    expect(q.words).toHaveLength(1);
    expect(parseQuery('医保 服务', resolve, { maxLength: 3 }).problem).toBe('too-long');
  });

  it('keeps HTML characters as plain text', () => {
    expect(parseQuery('<b>&医保', resolve).words).toEqual(['<b>&医保']);
  });

  it('never throws, and every part it returns is non-empty', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (raw) => {
        const q = parseQuery(raw, resolve);
        expect(q.raw).toBe(raw);
        for (const part of [...q.words, ...q.phrases, ...q.excluded]) expect(part.trim()).not.toBe('');
      }),
    );
  });
});
