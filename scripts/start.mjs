/**
 * What `npm start` runs: the bot compiled to JavaScript (see build.mjs), rebuilt first whenever a
 * source changed, then run in this process. Starting through tsx cost about half a second.
 *
 * Usage: node scripts/start.mjs [entry.ts [args…]] (default src/main.ts). The benchmark starts its
 * probe the same way: node scripts/start.mjs bench/serve-probe.ts.
 */
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { builtEntry } from './build.mjs';

// V8 lets the old generation grow to 2-4 times its live size before a full collection; at start-up
// the index's garbage then set the peak (50,000 items: 1.9 GB RSS, 1.47 GB with this; ~5% more CPU).
// It applies to every thread, the page workers' included.
v8.setFlagsFromString('--heap-growing-percent=25');

const [entry = 'src/main.ts', ...args] = process.argv.slice(2);
let file;
try {
  file = await builtEntry(entry);
} catch (error) {
  process.stderr.write(`启动失败：无法编译 ${entry}（${error instanceof Error ? error.message : String(error)}）\n`);
  process.exit(1);
}
// The entry sees the arguments as if node had been started on it.
process.argv = [process.argv[0], file, ...args];
await import(pathToFileURL(file).href);
