/**
 * What cached pages and index snapshots were made with. Anything cached under another identity is
 * never read: bump INDEXING_VERSION whenever parsing, tagging, summaries, keywords or tokenisation
 * change what a page yields.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const INDEXING_VERSION = 1;

export interface IndexingInputs {
  /** The segmenter's user words (the gazetteer's place words): they change how text is cut. */
  userWords: readonly string[];
  /** The gazetteer's region and data version: they change county tags. */
  region: string;
  gazetteerVersion: string;
  summaryMaxChars: number;
  grams: boolean;
}

/**
 * A short hex key naming the code version, nodejieba's and minisearch's versions, and the inputs.
 * @example indexingIdentity({ userWords: placeWords(gaz), region: gaz.region, gazetteerVersion: gaz.source.version, summaryMaxChars: 120, grams: true })
 */
export function indexingIdentity(inputs: IndexingInputs): string {
  const version = (name: string) => packageVersion(name);
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({
      v: INDEXING_VERSION,
      jieba: version('nodejieba'),
      minisearch: version('minisearch'),
      region: inputs.region,
      gazetteer: inputs.gazetteerVersion,
      summaryMaxChars: inputs.summaryMaxChars,
      grams: inputs.grams,
    }),
  );
  for (const word of inputs.userWords) hash.update(`\u0000${word}`);
  return hash.digest('hex').slice(0, 16);
}

/** A package's version, from the package.json above its entry (minisearch does not export it). */
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
