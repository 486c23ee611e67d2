/**
 * What the archive's rows were made with. Rows made by other code are never trusted: bump
 * ITEMS_VERSION when parsing, tagging or the FTS tokens change what a page yields (every page is
 * read again), ANALYSIS_VERSION when summaries, keywords or headline words change (the worker
 * computes them again; the items stay).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const ITEMS_VERSION = 3;
export const ANALYSIS_VERSION = 2;

export interface IdentityInputs {
  /** The segmenter's user words (the gazetteer's place words): they change how text is cut. */
  userWords: readonly string[];
  /** The gazetteer's region and data version: they change county tags. */
  region: string;
  gazetteerVersion: string;
  summaryMaxChars: number;
}

/** A short hex key over the parsing code's version and the inputs of county tagging. */
export function itemsIdentity(inputs: IdentityInputs): string {
  return digest({ v: ITEMS_VERSION, region: inputs.region, gazetteer: inputs.gazetteerVersion });
}

/** A short hex key over the analysis code's version, nodejieba's, the summary length and the user words. */
export function analysisIdentity(inputs: IdentityInputs): string {
  return digest({ v: ANALYSIS_VERSION, jieba: packageVersion('nodejieba'), summaryMaxChars: inputs.summaryMaxChars }, inputs.userWords);
}

function digest(value: unknown, words: readonly string[] = []): string {
  const hash = createHash('sha256').update(JSON.stringify(value));
  for (const word of words) hash.update(`\u0000${word}`);
  return hash.digest('hex').slice(0, 16);
}

/** A package's version, from the package.json above its entry. */
function packageVersion(name: string): string {
  let dir = dirname(createRequire(import.meta.url).resolve(name));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name) return pkg.version ?? 'unknown';
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
