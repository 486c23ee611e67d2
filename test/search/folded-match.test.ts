import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldedIncludes, foldedMatcher } from '../../src/search/folded-match.js';
import { createNormalizer } from '../../src/text/normalize.js';

const normalize = createNormalizer();

describe('folded matching of normalised needles in raw text', () => {
  it('finds what normalising the text would find, width and case folded', () => {
    expect(foldedIncludes('全年ＧＤＰ增长６％', 'gdp增长6%')).toBe(true);
    expect(foldedMatcher('gdp增长6%')('全年ＧＤＰ增长６％')).toBe(true);
    expect(foldedMatcher('其中已解决6件')('其中已解决７件，其中已解决６件')).toBe(true);
    expect(foldedMatcher('其中已解决6件')('其中已解决７件')).toBe(false);
    expect(foldedMatcher('drgs')('推进ＤＲＧｓ改革')).toBe(true);
    expect(foldedMatcher('')('任何文字')).toBe(true);
  });

  it('agrees with normalising the text first, for any text and needle cut from it', () => {
    const unit = fc.constantFrom('其', '中', '已', '解', '决', '6', '６', 'G', 'ｇ', 'g', ' ', '件', '，');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }), fc.nat(), fc.nat(), (units, a, b) => {
        const text = units.join('');
        const folded = normalize(text);
        const from = text.length === 0 ? 0 : a % text.length;
        const needle = folded.slice(from, from + (b % 8));
        expect(foldedMatcher(needle)(text)).toBe(folded.includes(needle));
        expect(foldedIncludes(text, needle)).toBe(folded.includes(needle));
      }),
      { numRuns: 500 },
    );
  });
});
