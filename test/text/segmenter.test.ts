import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSegmenter } from '../../src/text/segmenter.js';
import { readSeedText } from './seed-articles.js';

describe('createSegmenter', () => {
  it('splits 池淮镇星新社区 wrongly without the place names', () => {
    const seg = createSegmenter();
    const words = seg.cut('位于开化县池淮镇星新社区的共富工坊里');
    expect(words).not.toContain('池淮镇');
    expect(words).not.toContain('星新社区');
    expect(words).toContain('镇星');
  });

  it('keeps 池淮镇 and 星新社区 whole once they are added as words', () => {
    const seg = createSegmenter({ words: ['池淮镇', '星新社区'] });
    expect(seg.cut('池淮镇星新社区')).toEqual(['池淮镇', '星新社区']);
    expect(seg.cut('位于开化县池淮镇星新社区的共富工坊里')).toEqual(
      expect.arrayContaining(['开化县', '池淮镇', '星新社区']),
    );
  });

  it('keeps added words to the segmenter that was given them', () => {
    createSegmenter({ words: ['池淮镇', '星新社区'] });
    expect(createSegmenter().cut('池淮镇星新社区')).not.toContain('池淮镇');
  });

  it('does not weaken a dictionary word given again as a place name', () => {
    const seg = createSegmenter({ words: ['江山'] });
    expect(seg.cut('祖国的大好江山')).toContain('江山');
    expect(seg.cut('江山市')).toEqual(['江山市']);
  });

  it('splits a query word into dictionary words only (no HMM), normalised', () => {
    const seg = createSegmenter();
    expect(seg.cutWords('医保服务推进')).toEqual(['医保', '服务', '推进']);
    expect(seg.cutWords('醫保服務')).toEqual(['医保', '服务']);
  });

  it('normalises its input: traditional, full-width and upper case text gives the same words', () => {
    const seg = createSegmenter();
    expect(seg.cut('醫保')).toEqual(seg.cut('医保'));
    expect(seg.cut('住院ＤＲＧｓ運行管理')).toEqual(seg.cut('住院drgs运行管理'));
    expect(seg.cut('住院DRGs运行管理')).toContain('drgs');
    expect(seg.normalize('醫保ＤＲＧｓ')).toBe('医保drgs');
  });

  it('drops whitespace and keeps unknown words together (HMM on)', () => {
    const seg = createSegmenter();
    const words = seg.cut('  汪水玉　立刻想到\n共享菜园  ');
    expect(words.every((w) => w.trim() === w && w !== '')).toBe(true);
    expect(words).toContain('汪水玉');
    expect(seg.cut('')).toEqual([]);
    expect(seg.cut('   ')).toEqual([]);
  });


  it('ignores empty and blank user words', () => {
    expect(() => createSegmenter({ words: ['', '  ', '常山县'] })).not.toThrow();
  });

  it('never throws and never returns empty or blank words, whatever the input', () => {
    const seg = createSegmenter();
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), (s) => {
        return !seg.cut(s).some((w) => w.trim() === '');
      }),
      { numRuns: 300 },
    );
  });

  it('segments the whole seed page without losing text', () => {
    const seg = createSegmenter();
    const text = readSeedText();
    const words = seg.cut(text);
    expect(words.join('')).toBe(seg.normalize(text).replace(/\s+/g, ''));
  });
});
