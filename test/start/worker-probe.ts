/**
 * Run by launcher.test.ts through scripts/start.mjs, so it is built with the bot: indexes every page
 * in SEEDS_DIR on two page workers and prints one JSON line of what came back (files in order). Jobs no worker could
 * finish (it did not boot) come back in `left`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { indexPagesInWorkers, type PageJobResult } from '../../src/indexing/page-workers.js';
import { loadGazetteer } from '../../src/places/gazetteer.js';

const seedsDir = process.env['SEEDS_DIR']!;
const dataDir = process.env['DATA_DIR']!;
// The workers read the gazetteer's cache, as openNews arranges.
loadGazetteer('衢州市', { cacheDir: dataDir });
const results: PageJobResult[] = [];
const jobs = readdirSync(seedsDir).map((file) => ({ file, hash: null }));
const left = await indexPagesInWorkers(
  jobs,
  { seedsDir, dataDir, region: '衢州市', summaryMaxChars: 120, grams: true, cacheDir: join(dataDir, 'pages') },
  2,
  (result) => results.push(result),
);
const indexed = results.filter((r) => 'indexed' in r).map((r) => r.file).sort();
process.stdout.write(`${JSON.stringify({ jobs: jobs.length, indexed, left: left.map((j) => j.file) })}\n`);
