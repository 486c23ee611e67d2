/**
 * A JSON extract of one region's gazetteer, so a restart skips the database and the dictionary scan.
 * Keyed by everything the extract is derived from; a stale, damaged or unreadable file is rebuilt.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Gazetteer } from './gazetteer.js';

export interface GazetteerCacheKey {
  schema: number;
  region: string;
  chinaDivision: string;
  jieba: string;
}

/** The cache file for a key; the region is hashed so the file name stays ASCII. */
export function gazetteerCachePath(cacheDir: string, key: GazetteerCacheKey): string {
  const hash = createHash('sha256').update(key.region).digest('hex').slice(0, 16);
  return join(cacheDir, `gazetteer-v${key.schema}-${key.chinaDivision}-${hash}.json`);
}

/** The cached gazetteer, or null when there is none or it does not pass the checks. */
export function readCachedGazetteer(cacheDir: string, key: GazetteerCacheKey): Gazetteer | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(gazetteerCachePath(cacheDir, key), 'utf8'));
  } catch {
    return null;
  }
  if (!isRecord(parsed) || !sameKey(parsed.key, key)) return null;
  return looksLikeGazetteer(parsed.gazetteer) ? parsed.gazetteer : null;
}

/** Write atomically (temp file + rename); a cache that cannot be written is only a slower start. */
export function writeCachedGazetteer(cacheDir: string, key: GazetteerCacheKey, gazetteer: Gazetteer): boolean {
  const path = gazetteerCachePath(cacheDir, key);
  const temp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(temp, JSON.stringify({ key, gazetteer }));
    renameSync(temp, path);
    return true;
  } catch {
    return false;
  }
}

function sameKey(value: unknown, key: GazetteerCacheKey): boolean {
  return (
    isRecord(value) &&
    value.schema === key.schema &&
    value.region === key.region &&
    value.chinaDivision === key.chinaDivision &&
    value.jieba === key.jieba
  );
}

function looksLikeGazetteer(value: unknown): value is Gazetteer {
  if (!isRecord(value)) return false;
  const { region, province, counties, towns, villages, blockers, source } = value;
  return (
    typeof region === 'string' &&
    typeof province === 'string' &&
    isRecord(source) &&
    Array.isArray(counties) &&
    counties.length > 0 &&
    counties.every((c) => isRecord(c) && typeof c.name === 'string' && typeof c.code === 'string') &&
    Array.isArray(towns) &&
    towns.every((t) => isRecord(t) && typeof t.name === 'string' && typeof t.county === 'string') &&
    Array.isArray(villages) &&
    villages.every(
      (v) => isRecord(v) && typeof v.name === 'string' && typeof v.county === 'string' && Array.isArray(v.aliases),
    ) &&
    Array.isArray(blockers) &&
    blockers.every((b) => typeof b === 'string')
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
