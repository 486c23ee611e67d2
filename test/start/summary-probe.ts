/**
 * Run by launcher.test.ts through scripts/start.mjs, so it is built with the bot: opens the news core
 * on SEEDS_DIR, waits until every summary is stored by the (compiled) analysis worker, and prints one
 * JSON line: items, and how many rows still have no stored summary.
 */
import BetterSqlite3 from 'better-sqlite3';
import { pino } from 'pino';
import { archivePath, openNews } from '../../src/news.js';

const dataDir = process.env['DATA_DIR']!;
const news = await openNews(
  { seedsDir: process.env['SEEDS_DIR']!, dataDir, region: '衢州市', summaryMaxChars: 120, pageSize: 5, waitForSummaries: true },
  pino({ level: 'silent' }),
);
const items = news.stats.items;
await news.close();
const db = new BetterSqlite3(archivePath(dataDir), { readonly: true });
const pending = db.prepare('SELECT COUNT(*) FROM items WHERE summary IS NULL').pluck().get();
process.stdout.write(`${JSON.stringify({ items, pending })}\n`);
