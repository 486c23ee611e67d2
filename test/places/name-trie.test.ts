import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNameTrie, type TrieMatch } from '../../src/places/name-trie.js';

/** The definition, spelled out slowly: at each position take the longest name, else move on. */
function leftmostLongest(names: string[], text: string): Array<Omit<TrieMatch<string>, 'value'>> {
  const out: Array<Omit<TrieMatch<string>, 'value'>> = [];
  let i = 0;
  while (i < text.length) {
    const here = names.filter((n) => n && text.startsWith(n, i)).sort((a, b) => b.length - a.length)[0];
    if (here) {
      out.push({ start: i, end: i + here.length, text: here });
      i += here.length;
    } else i++;
  }
  return out;
}

describe('createNameTrie', () => {
  it('reads 衢江山农 as 衢江 + 山农, not 江山', () => {
    const trie = createNameTrie([['衢江', 'A'], ['江山', 'B'], ['山农', 'C']]);
    expect(trie.findAll('衢江山农').map((m) => m.text)).toEqual(['衢江', '山农']);
  });

  it('prefers the longest name at a position', () => {
    const trie = createNameTrie([['衢州', 'city'], ['衢州市', 'city'], ['衢江区', 'county']]);
    expect(trie.findAll('衢州市衢江区').map((m) => [m.text, m.start, m.end])).toEqual([
      ['衢州市', 0, 3],
      ['衢江区', 3, 6],
    ]);
  });

  it('counts distinct names and lets a later value replace an earlier one', () => {
    const trie = createNameTrie([['江山', 1], ['江山', 2], ['', 3]]);
    expect(trie.size).toBe(1);
    expect(trie.findAll('江山')[0]?.value).toBe(2);
  });

  it('matches exactly what the definition of leftmost-longest says', () => {
    const alphabet = fc.constantFrom('衢', '江', '山', '州', '市', '区', '开', '化');
    const word = fc.string({ unit: alphabet, minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(fc.uniqueArray(word, { maxLength: 12 }), fc.string({ unit: alphabet, maxLength: 40 }), (names, text) => {
        const trie = createNameTrie(names.map((n) => [n, n] as const));
        const found = trie.findAll(text);
        expect(found.map(({ start, end, text: t }) => ({ start, end, text: t }))).toEqual(leftmostLongest(names, text));
        for (const m of found) expect(m.value).toBe(m.text);
      }),
      { numRuns: 500 },
    );
  });
});
