/**
 * Finds the region's place names in a text: the city, county-level areas (full and short), towns
 * (full, and short where safe), and villages/communities whose name points at one county only.
 */
import type { Gazetteer } from './gazetteer.js';
import { createNameTrie } from './name-trie.js';

export type PlaceKind = 'city' | 'county' | 'town' | 'village';

export interface PlaceMention {
  start: number;
  end: number;
  /** As written: 江山, 池淮, 汪周村. */
  text: string;
  kind: PlaceKind;
  /** Full name of the place: 江山市, 池淮镇, 汪周村. */
  place: string;
  /** Full name of its county-level area; null for the city itself. */
  county: string | null;
}

/** Minimum length of a village name that may stand for a county (范村 hides in 示范村). */
const MIN_VILLAGE_NAME = 3;

interface Candidate {
  kind: PlaceKind | 'blocker';
  /** Higher wins when one string names several things: 池淮 the town beats a village called 池淮. */
  rank: number;
  place: string;
  county: string | null;
}

type Entry = Omit<PlaceMention, 'start' | 'end' | 'text'> | null;

/**
 * Build a matcher for the gazetteer's names. A string naming places in different counties
 * (a town short form shared by two towns, 白沙村 in two counties) is matched but reports nothing,
 * so no shorter name inside it counts either; likewise for blockers (半壁江山, 浙江).
 * @example createPlaceMatcher(gaz)('衢江山农')[0]?.place // '衢江区'
 */
export function createPlaceMatcher(gaz: Gazetteer): (text: string) => PlaceMention[] {
  const candidates = new Map<string, Candidate[]>();
  const add = (name: string | null, candidate: Candidate): void => {
    if (!name) return;
    const list = candidates.get(name);
    if (list) list.push(candidate);
    else candidates.set(name, [candidate]);
  };
  for (const name of [gaz.region, gaz.regionShortName]) add(name, { kind: 'city', rank: 6, place: gaz.region, county: null });
  for (const c of gaz.counties) {
    add(c.name, { kind: 'county', rank: 5, place: c.name, county: c.name });
    add(c.shortName, { kind: 'county', rank: 5, place: c.name, county: c.name });
  }
  for (const t of gaz.towns) {
    add(t.name, { kind: 'town', rank: 4, place: t.name, county: t.county });
    add(t.shortName, { kind: 'town', rank: 3, place: t.name, county: t.county });
  }
  const villageCounties = new Map<string, Set<string>>();
  for (const v of gaz.villages) {
    for (const form of [v.name, ...v.aliases]) {
      const set = villageCounties.get(form) ?? new Set<string>();
      set.add(v.county);
      villageCounties.set(form, set);
    }
  }
  for (const v of gaz.villages) {
    for (const form of [v.name, ...v.aliases]) {
      if (form.length < MIN_VILLAGE_NAME) continue;
      const distinctive = !v.generic && villageCounties.get(form)?.size === 1;
      // A village name we cannot place still is a name: matching it keeps 江山 from counting inside one.
      add(form, distinctive ? { kind: 'village', rank: 2, place: v.name, county: v.county } : blocker(form));
    }
  }
  for (const word of gaz.blockers) add(word, blocker(word));

  const trie = createNameTrie<Entry>([...candidates].map(([name, list]) => [name, resolve(list)] as const));
  return (text) => {
    const mentions: PlaceMention[] = [];
    for (const m of trie.findAll(text)) {
      if (m.value) mentions.push({ start: m.start, end: m.end, text: m.text, ...m.value });
    }
    return mentions;
  };
}

function blocker(word: string): Candidate {
  return { kind: 'blocker', rank: 0, place: word, county: null };
}

/** The strongest reading of a string, or null when it is a blocker or names different counties. */
function resolve(list: Candidate[]): Entry {
  const top = Math.max(...list.map((c) => c.rank));
  const best = list.filter((c) => c.rank === top);
  const first = best[0]!;
  if (first.kind === 'blocker' || best.some((c) => c.county !== first.county)) return null;
  return { kind: first.kind as PlaceKind, place: first.place, county: first.county };
}
