/**
 * The process archive-kill.test.ts kills: opens the news core on SEEDS_DIR/DATA_DIR (a cold or warm
 * start), then, for each file named in UPDATES (comma-separated, already written to SEEDS_DIR),
 * applies it as the watcher would, and waits for every summary. Prints `synced`, `updated <file>` and
 * `done` as it goes, so the test can kill it at a chosen stage.
 */
import { pino } from 'pino';
import { openNews } from '../../src/news.js';

const news = await openNews(
  { seedsDir: process.env['SEEDS_DIR']!, dataDir: process.env['DATA_DIR']!, region: '衢州市', summaryMaxChars: 120, pageSize: 5 },
  pino({ level: 'silent' }),
);
await news.ready;
process.stdout.write('synced\n');
for (const file of (process.env['UPDATES'] ?? '').split(',').filter(Boolean)) {
  await news.updatePage(file);
  process.stdout.write(`updated ${file}\n`);
}
await news.summarized;
process.stdout.write('done\n');
await news.close();
