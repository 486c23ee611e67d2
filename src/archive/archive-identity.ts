/**
 * What the archive's rows were made with. Rows made by other code are never trusted: bump
 * ITEMS_VERSION when parsing, tagging or the FTS tokens change what a page yields (every page is
 * read again), ANALYSIS_VERSION when summaries, keywords or headline words change (the worker
 * computes them again; the items stay).
 */
import { createHash } from 'node:crypto';
import { jiebaVersion } from '../text/jieba-files.js';

export const ITEMS_VERSION = 5;
export const ANALYSIS_VERSION = 4;

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

/** A short hex key over the analysis code's version, jieba's, the summary length and the user words. */
export function analysisIdentity(inputs: IdentityInputs): string {
  return digest({ v: ANALYSIS_VERSION, jieba: jiebaVersion(), summaryMaxChars: inputs.summaryMaxChars }, inputs.userWords);
}

function digest(value: unknown, words: readonly string[] = []): string {
  const hash = createHash('sha256').update(JSON.stringify(value));
  for (const word of words) hash.update(`\u0000${word}`);
  return hash.digest('hex').slice(0, 16);
}
