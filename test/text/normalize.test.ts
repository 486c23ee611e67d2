import fc from 'fast-check';
import * as OpenCC from 'opencc-js';
import { describe, expect, it } from 'vitest';
import { createNormalizer } from '../../src/text/normalize.js';

const normalize = createNormalizer();

describe('createNormalizer', () => {
  it('simplifies every character as the full opencc package does (it loads only the traditional → simplified part)', () => {
    const hk = OpenCC.Converter({ from: 'hk', to: 'cn' });
    const tw = OpenCC.Converter({ from: 'tw', to: 'cn' });
    const differing: string[] = [];
    let changed = 0;
    for (let code = 0x3400; code < 0x2fa20; code++) {
      if (code >= 0xa000 && code < 0x20000) continue;
      const ch = String.fromCodePoint(code);
      const full = tw(hk(ch));
      // The normaliser keeps a character whose conversion would change its length.
      const expected = full.length === ch.length ? full : ch;
      if (expected !== ch) changed++;
      if (normalize(ch) !== expected) differing.push(ch);
    }
    expect(changed).toBeGreaterThan(3_000);
    expect(differing).toEqual([]);
  });

  it('turns traditional characters into simplified ones', () => {
    expect(normalize('醫保')).toBe('医保');
    expect(normalize('衢州市醫療保障局')).toBe('衢州市医疗保障局');
    expect(normalize('臺灣裡面')).toBe('台湾里面');
  });

  it('folds full-width letters, digits and the ideographic space, and lowers case', () => {
    expect(normalize('ＤＲＧｓ')).toBe('drgs');
    expect(normalize('１２３')).toBe('123');
    expect(normalize('住院DRGs运行　管理')).toBe('住院drgs运行 管理');
    expect(normalize('５＋Ｘ')).toBe('5+x');
  });

  it('turns Kangxi radicals, as text copied out of PDFs prints them, into the characters they stand for', () => {
    expect(normalize('局地⽓温超过42℃，⼀线')).toBe('局地气温超过42℃,一线');
    // ⼾ is the traditional 戶, simplified after the fold.
    expect(normalize('⼾籍')).toBe('户籍');
  });

  it('leaves simplified text as it is, except full-width punctuation, which becomes ASCII too', () => {
    const text = '今年前三季度，智造新城规上工业实现产值1190.1亿元（同比增长4.8%）。';
    expect(normalize(text)).toBe('今年前三季度,智造新城规上工业实现产值1190.1亿元(同比增长4.8%)。');
    expect(normalize('《意见》“5+X”、……')).toBe('《意见》“5+x”、……');
  });

  it('keeps offsets: each output character stands for the input character at the same index', () => {
    const input = '《衢州市醫保局》ＤＲＧｓ運行';
    const output = normalize(input);
    expect(output).toBe('《衢州市医保局》drgs运行');
    expect(output.indexOf('医保')).toBe(input.indexOf('醫保'));
  });

  it('falls back to one character at a time where opencc would change the length', () => {
    // opencc maps 㗲 to an astral character (two UTF-16 units) and 二噁英 to 二𫫇英.
    expect(normalize('醫保㗲')).toBe('医保㗲');
    expect(normalize('醫療，二噁英。醫保')).toBe('医疗,二恶英。医保');
  });

  it('never changes the length, whatever the string (lone surrogates, emoji, İ, traditional text)', () => {
    const traditional = fc.constantFrom(...'醫療藥臺灣裡著乾後發萬與學習體廠網際路ＡＢＣａｂｃ１２３　İẞ😀𠮷');
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: traditional }), fc.string({ unit: 'grapheme' })),
        (s) => normalize(s).length === s.length,
      ),
      { numRuns: 500 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => normalize(normalize(s)) === normalize(s)),
      { numRuns: 300 },
    );
  });
});
