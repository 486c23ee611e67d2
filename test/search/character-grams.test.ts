import { describe, expect, it } from 'vitest';
import { characterGrams, countCharacterGrams } from '../../src/search/character-grams.js';
import { generatePage } from '../fixtures/page-generator.js';

/** The plain way: every gram, then counted in order of first occurrence. */
function counted(text: string): { grams: string[]; counts: number[] } {
  const counts = new Map<string, number>();
  for (const gram of characterGrams(text)) counts.set(gram, (counts.get(gram) ?? 0) + 1);
  return { grams: [...counts.keys()], counts: [...counts.values()] };
}

describe('countCharacterGrams', () => {
  it('counts what characterGrams lists, in order of first occurrence', () => {
    expect(countCharacterGrams('社区社区 drgs 1190，社区')).toEqual({ grams: ['社区', '区社', '区', 'drgs', '1190'], counts: [3, 1, 2, 1, 1] });
  });

  it('agrees with characterGrams on mixed scripts, extension A, compatibility ideographs and surrogates', () => {
    const texts = [
      '',
      '丁㐀豈x 𠮷野家𠮷野家 ａｂ１２ ＤＲＧｓ付费 é café',
      '\ud800孤立\udc00代理对 䶵一龥鿿 豈諸﨩',
      generatePage(7).text,
    ];
    for (const text of texts) expect(countCharacterGrams(text), text.slice(0, 20)).toEqual(counted(text));
  });
});
