/**
 * Fuzzing page files: what may land in SEEDS_DIR by mistake or malice. One page at a time through
 * the real reader (`loadPageBytes`: decoding and parsing), then a folder of the worst of them
 * through the real core (`openNews`), which must skip what is not a page, naming it, and keep
 * answering from the rest.
 *
 * Depth: FUZZ_RUNS=2000 npx vitest run test/fuzz/page-files (see fuzz-settings.ts).
 */
import { mkdtempSync, openSync, closeSync, ftruncateSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { openNews } from '../../src/news.js';
import { loadPageBytes } from '../../src/pages/load-pages.js';
import { SEED_ARTICLES } from '../fixtures/seed-articles.js';
import { fuzzParameters, fuzzTimeout, hostileText } from './fuzz-settings.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A page-like text: headlines, bylines, captions and paragraphs from the seed, mixed with hostile lines. */
const pageText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...SEED_ARTICLES).map((a) => `# ${a.title}\n\n${a.paragraphs.join('\n\n')}`),
      hostileText.map((t) => `# ${t}`),
      hostileText.map((t) => `▲${t} 张三 摄`),
      hostileText,
      fc.integer({ min: 1, max: 3000 }).map((n) => '#\n'.repeat(n)),
      fc.constant('date: 2023-10-31'),
    ),
    { maxLength: 12 },
  )
  .map((blocks) => blocks.join('\n\n'));

describe('one page file, any bytes', () => {
  it(
    'never throws: a page or a skip with a reason, for random bytes, NUL bytes, GBK, thousands of # lines',
    () => {
      const bytes = fc.oneof(
        fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b)),
        pageText.map((t) => Buffer.from(t, 'utf8')),
        pageText.map((t) => iconv.encode(t.replace(/[^\u0000-\uFFFF]|[\uD800-\uDFFF]/gu, ''), 'gbk')),
        fc.tuple(pageText, fc.integer({ min: 1, max: 50 })).map(([t, n]) => {
          const b = Buffer.from(t, 'utf8');
          for (let i = 0; i < n && b.length > 0; i++) b[(i * 7919) % b.length] = 0;
          return b;
        }),
      );
      fc.assert(
        fc.property(bytes, (page) => {
          const result = loadPageBytes('2023-10-31.txt', page);
          if (result.ok) {
            for (const item of result.page.items) {
              // (A caption with no text gets an empty title: see the `.fails` test below.)
              if (item.kind === 'article') expect(item.title.length).toBeGreaterThan(0);
              expect(item.id).toMatch(/^[A-Za-z0-9_-]+$/);
            }
          } else {
            expect(result.skipped.file).toBe('2023-10-31.txt');
            expect(result.skipped.message.length).toBeGreaterThan(0);
          }
        }),
        fuzzParameters(150),
      );
    },
    fuzzTimeout(150, 40),
  );

  it(
    'reads a GBK page as the same page in UTF-8',
    () => {
      const chinese = fc
        .array(fc.constantFrom(...SEED_ARTICLES), { minLength: 1, maxLength: 4 })
        .map((articles) => articles.map((a) => `# ${a.title}\n\n${a.paragraphs.join('\n\n')}`).join('\n\n'));
      fc.assert(
        fc.property(chinese, (text) => {
          const utf8 = loadPageBytes('p.txt', Buffer.from(text, 'utf8'));
          const gbk = loadPageBytes('p.txt', iconv.encode(text, 'gbk'));
          expect(utf8.ok && gbk.ok).toBe(true);
          if (utf8.ok && gbk.ok) expect(gbk.page.items).toEqual(utf8.page.items);
        }),
        fuzzParameters(30),
      );
    },
    fuzzTimeout(30, 100),
  );
});

describe('found by this fuzzing', () => {
  // A caption line with only the credit (`▲ 张三 摄`) becomes a photo item with an empty title,
  // listed as a blank line by /latest. The parser (src/pages/, not this helper's) should keep it as
  // a credit of the neighbouring caption or skip it with a warning. Remove `.fails` once it does.
  it('gives no item an empty title', () => {
    const result = loadPageBytes('p.txt', Buffer.from('▲ 张三 摄\n\n# 标题\n\n正文一段。\n'));
    expect(result.ok).toBe(true);
    if (result.ok) for (const item of result.page.items) expect(item.title).not.toBe('');
  });
});

describe('a folder of hostile files through the core', () => {
  it('skips what is not a page, naming each file, and answers from the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hostile-pages-'));
    dirs.push(dir);
    const seeds = join(dir, 'seeds');
    mkdirSync(seeds);
    writeFileSync(join(seeds, '2023-10-01.txt'), readFileSync('seeds/000_6151b1adbe3a5f5a.txt'));
    writeFileSync(join(seeds, '2023-10-02-gbk.txt'), iconv.encode('# 常山胡柚迎来丰收\n\n常山县胡柚种植基地迎来丰收，今年胡柚产量预计达到十四万吨。\n', 'gbk'));
    // 100 MB (sparse: no disk needed), a 10 MB single line, random bytes, NUL bytes, 20,000 headline marks.
    const huge = openSync(join(seeds, '2023-10-03-huge.txt'), 'w');
    ftruncateSync(huge, 100 * 1024 * 1024);
    closeSync(huge);
    writeFileSync(join(seeds, '2023-10-04-line.txt'), `# 一行\n\n${'长'.repeat(3_500_000)}\n`);
    writeFileSync(join(seeds, '2023-10-05-random.txt'), Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 2654435761) >>> 24)));
    writeFileSync(join(seeds, '2023-10-06-nul.txt'), Buffer.alloc(10_000));
    writeFileSync(join(seeds, '2023-10-07-hashes.txt'), '# \n'.repeat(20_000));
    writeFileSync(join(seeds, '2023-10-08-empty.txt'), '');

    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const news = await openNews({ seedsDir: seeds, dataDir: join(dir, 'data'), region: '衢州市', summaryMaxChars: 120, pageSize: 5, waitForSearch: true }, log);
    const skipped = new Map(news.stats.skipped.map((s) => [s.file, s.reason]));
    expect(skipped.get('2023-10-03-huge.txt')).toBe('too-large');
    expect(skipped.get('2023-10-04-line.txt')).toBe('too-large');
    expect(skipped.get('2023-10-05-random.txt')).toMatch(/binary|undecodable/);
    expect(skipped.get('2023-10-06-nul.txt')).toMatch(/binary|empty/);
    expect(skipped.get('2023-10-08-empty.txt')).toBe('empty');
    for (const file of skipped.keys()) expect(warnings.join('\n')).toContain(file);
    // The real pages answer; the GBK page is searchable.
    const silane = news.answers.search('硅烷');
    expect(silane.kind).toBe('results');
    const pomelo = news.answers.search('胡柚');
    expect(pomelo.kind === 'results' && pomelo.results[0]!.item.title).toBe('常山胡柚迎来丰收');
    expect(news.answers.latest().kind).toBe('results');
  }, 120_000);
});
