/**
 * Which county-level areas an item is about, and which one it is mainly about.
 *
 * The rule, in full:
 * 1. Find place mentions (leftmost-longest, see place-mentions.ts) in the title, subtitle and body.
 * 2. Each mention scores kind × field: a county name (江山市 or 江山) 3, a town 2, a village or
 *    community 1, the city (衢州, 衢州市) 1; in the title or subtitle ×3, in the body ×1. Every mention counts.
 * 3. `counties`: every county with a score, highest first (ties in gazetteer order).
 * 4. `county`: the top county, unless the item is city-level:
 *    - no county is mentioned (only 衢州/衢州市, or nothing), or
 *    - no clear lead: the top county scores less than 1.5 × the second, or
 *    - the city outweighs it: the city's own mentions score at least 2 × the top county
 *      (a city-wide report that names a county in passing).
 */
import type { Gazetteer } from './gazetteer.js';
import { createPlaceMatcher, type PlaceKind } from './place-mentions.js';

export interface TaggableItem {
  title: string;
  subtitle: string | null;
  paragraphs: string[];
}

export interface CountyTags {
  /** Every county the item mentions, most relevant first. */
  counties: string[];
  /** The county the item is mainly about, or null for a city-level item. */
  county: string | null;
}

// The city's name weighs least: it is part of many institutions' names (衢州开放大学, 衢州市医保局).
const KIND_WEIGHT: Record<PlaceKind, number> = { county: 3, town: 2, village: 1, city: 1 };
const HEADLINE_WEIGHT = 3;
const BODY_WEIGHT = 1;
/** The top county must score this many times the second to be the item's county. */
const LEAD_RATIO = 1.5;
/** City mentions scoring this many times the top county make the item city-level. */
const CITY_DOMINANCE = 2;

/**
 * Build a tagger for the gazetteer's region; build it once, it holds the name trie.
 * @example createCountyTagger(gaz)({ title: '企业诉求 直达快办', subtitle: null, paragraphs: ['开化县桐村镇…'] })
 *   // { counties: ['开化县'], county: '开化县' }
 */
export function createCountyTagger(gaz: Gazetteer): (item: TaggableItem) => CountyTags {
  const findPlaces = createPlaceMatcher(gaz);
  const order = new Map(gaz.counties.map((c, i) => [c.name, i]));
  return (item) => {
    const scores = new Map<string, number>();
    let cityScore = 0;
    const score = (text: string, fieldWeight: number): void => {
      for (const m of findPlaces(text)) {
        const points = KIND_WEIGHT[m.kind] * fieldWeight;
        if (m.county === null) cityScore += points;
        else scores.set(m.county, (scores.get(m.county) ?? 0) + points);
      }
    };
    score(item.title, HEADLINE_WEIGHT);
    if (item.subtitle) score(item.subtitle, HEADLINE_WEIGHT);
    for (const paragraph of item.paragraphs) score(paragraph, BODY_WEIGHT);

    const ranked = [...scores].sort((a, b) => b[1] - a[1] || (order.get(a[0]) ?? 0) - (order.get(b[0]) ?? 0));
    const [top, second] = ranked;
    const clearLead = top !== undefined && top[1] >= LEAD_RATIO * (second?.[1] ?? 0);
    const cityWide = top !== undefined && cityScore >= CITY_DOMINANCE * top[1];
    return {
      counties: ranked.map(([name]) => name),
      county: top && clearLead && !cityWide ? top[0] : null,
    };
  };
}
