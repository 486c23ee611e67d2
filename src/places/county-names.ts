/**
 * The region's county names as readers type them (江山, 江山市, ＂开化 县＂), and the place names the
 * word segmenter must keep whole.
 */
import type { Gazetteer } from './gazetteer.js';
import { countyShortName } from './place-name-forms.js';

/**
 * The county-level areas' full names, in the gazetteer's order.
 * @example countyNames(gaz) // ['柯城区', '衢江区', '常山县', '开化县', '龙游县', '江山市']
 */
export function countyNames(gaz: Gazetteer): string[] {
  return gaz.counties.map((c) => c.name);
}

/**
 * The full name of the county a reader means, or null. Accepts the full name, the short form, the
 * short form with another suffix (江山县), a leading city name (衢州江山), spaces and full-width characters.
 * @example resolveCounty(gaz, ' 江山 ') // '江山市'
 */
export function resolveCounty(gaz: Gazetteer, name: string): string | null {
  let wanted = name.normalize('NFKC').replace(/\s+/gu, '');
  for (const prefix of [gaz.region, gaz.regionShortName]) {
    if (prefix && wanted.startsWith(prefix) && wanted.length > prefix.length) {
      wanted = wanted.slice(prefix.length);
      break;
    }
  }
  if (!wanted) return null;
  const exact = gaz.counties.find((c) => c.name === wanted || c.shortName === wanted);
  if (exact) return exact.name;
  // 江山县 (the old name) or 柯城市: same short form, another suffix.
  const short = countyShortName(wanted);
  const bySuffix = short ? gaz.counties.find((c) => c.shortName === short) : undefined;
  return bySuffix?.name ?? null;
}

/**
 * Place names for the segmenter's user dictionary, so 星新社区, 池淮镇 and 汪周村 stay one word:
 * the city, counties, towns (full and accepted short forms) and villages of three or more characters
 * that are not generic. Ordinary words (大桥, 新村) are left out so they keep segmenting as before.
 * @example placeWords(gaz).includes('星新社区') // true
 */
export function placeWords(gaz: Gazetteer): string[] {
  const words = new Set<string>();
  const add = (word: string | null): void => {
    if (word && word.length >= 2) words.add(word);
  };
  add(gaz.region);
  add(gaz.regionShortName);
  for (const c of gaz.counties) {
    add(c.name);
    add(c.shortName);
  }
  for (const t of gaz.towns) {
    add(t.name);
    add(t.shortName);
  }
  for (const v of gaz.villages) {
    if (v.generic) continue;
    for (const form of [v.name, ...v.aliases]) if (form.length >= 3) words.add(form);
  }
  return [...words];
}
