import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIdfTable } from '../../src/text/idf-table.js';
import { jiebaFiles } from '../../src/text/jieba-files.js';

/** The definition: a Map filled line by line (`word value`, lines without a number skipped). */
function mapOf(text: string): { map: Map<string, number>; average: number } {
  const map = new Map<string, number>();
  let sum = 0;
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const value = Number(line.slice(space + 1));
    if (!Number.isFinite(value)) continue;
    map.set(line.slice(0, space), value);
    sum += value;
  }
  return { map, average: map.size === 0 ? 0 : sum / map.size };
}

describe('parseIdfTable', () => {
  it('gives what a Map of the lines gives, for words it has, words it lacks, repeats and bad lines', () => {
    const word = fc.string({ unit: fc.constantFrom('医', '保', '服', '务', 'a', 'b', '𠀀'), minLength: 0, maxLength: 4 });
    const line = fc.oneof(
      fc.tuple(word, fc.double({ min: 0, max: 20, noNaN: true })).map(([w, v]) => `${w} ${v}`),
      fc.constantFrom('', ' 3', '医保', '医保 x', '医保 '),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.array(word, { maxLength: 20 }), (lines, asked) => {
        const text = lines.join('\n');
        const table = parseIdfTable(text);
        const { map, average } = mapOf(text);
        expect(table.size).toBe(map.size);
        expect(table.average).toBeCloseTo(average, 9);
        for (const w of [...map.keys(), ...asked]) expect(table.get(w)).toBe(map.get(w));
      }),
    );
  });

  it("holds every word of jieba's own table", () => {
    const text = readFileSync(jiebaFiles().idf, 'utf8');
    const table = parseIdfTable(text);
    const { map, average } = mapOf(text);
    expect(table.size).toBe(map.size);
    expect(table.size).toBeGreaterThan(200_000);
    expect(table.average).toBeCloseTo(average, 9);
    let differing = 0;
    for (const [w, v] of map) if (table.get(w) !== v) differing++;
    expect(differing).toBe(0);
    expect(table.get('不在表里的一个词')).toBeUndefined();
  });
});
