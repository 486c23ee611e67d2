import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Item } from '../../src/pages/item.js';
import { loadPageBytes, loadPageFile, loadPages, newestFirst, readPageFile } from '../../src/pages/load-pages.js';
import { parsePage } from '../../src/pages/parse-page.js';
import { SEED_FILE } from '../fixtures/seed-articles.js';

const seedText = await readFile(new URL(`../../seeds/${SEED_FILE}`, import.meta.url), 'utf8');
const small = (title: string): string => `# ${title}\n\n张三\n\n${title}的正文第一段。\n`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pages-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const byId = (items: Item[]): Map<string, Item> => new Map(items.map((i) => [i.id, i]));

describe('loadPages', () => {
  it('reads every .txt page: UTF-8 with BOM and CRLF, GBK, dated and undated, in reading order', async () => {
    await writeFile(join(dir, SEED_FILE), '\uFEFF' + seedText.replace(/\n/g, '\r\n'));
    await writeFile(join(dir, 'b-20231101.txt'), iconv.encode(small('十一月一日'), 'gbk'));
    await writeFile(join(dir, 'a-2023-11-02.txt'), small('十一月二日'));
    await writeFile(join(dir, 'z.txt'), `date: 2023-10-30\n${small('十月三十日')}`);
    await writeFile(join(dir, 'notes.md'), small('不是版面'));
    await mkdir(join(dir, 'sub.txt'));
    const warnings: string[] = [];
    const loaded = await loadPages(dir, { onWarning: (m) => warnings.push(m) });

    expect(loaded.pages.map((p) => [p.file, p.date])).toEqual([
      [SEED_FILE, null],
      ['z.txt', '2023-10-30'],
      ['b-20231101.txt', '2023-11-01'],
      ['a-2023-11-02.txt', '2023-11-02'],
    ]);
    expect(loaded.pages.map((p) => p.encoding)).toEqual(['utf-8', 'utf-8', 'gb18030', 'utf-8']);
    expect(loaded.items).toHaveLength(11 + 3);
    expect(loaded.items.slice(11).map((i) => [i.title, i.date, i.paragraphs])).toEqual([
      ['十月三十日', '2023-10-30', ['十月三十日的正文第一段。']],
      ['十一月一日', '2023-11-01', ['十一月一日的正文第一段。']],
      ['十一月二日', '2023-11-02', ['十一月二日的正文第一段。']],
    ]);
    // A BOM and CRLF change nothing: the same items and ids as parsing the clean file.
    expect(loaded.pages[0]!.items).toEqual(parsePage(seedText, SEED_FILE).items);
    expect(warnings).toEqual([]);
    expect(loaded.skipped).toEqual([]);
  });

  it('skips empty, binary and undecodable files with one warning each naming the file, and loads the rest', async () => {
    await writeFile(join(dir, 'good.txt'), small('好版面'));
    await writeFile(join(dir, 'empty.txt'), '');
    await writeFile(join(dir, 'blank.txt'), '\uFEFF\r\n  \r\n');
    await writeFile(join(dir, 'photo.txt'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]));
    await writeFile(join(dir, 'garbled.txt'), Buffer.from([0xff, 0x80, 0xff, 0x81, 0xfe, 0x30, 0xff, 0x80, 0x80, 0xff]));
    const warnings: string[] = [];
    const loaded = await loadPages(dir, { onWarning: (m) => warnings.push(m) });
    expect(loaded.items.map((i) => i.title)).toEqual(['好版面']);
    expect(loaded.skipped.map((s) => [s.file, s.reason])).toEqual([
      ['blank.txt', 'empty'],
      ['empty.txt', 'empty'],
      ['garbled.txt', 'undecodable'],
      ['photo.txt', 'binary'],
    ]);
    expect(warnings).toHaveLength(4);
    for (const [n, file] of ['blank.txt', 'empty.txt', 'garbled.txt', 'photo.txt'].entries()) {
      expect(warnings[n]).toContain(file);
    }
  });

  it('skips an unreadable file with a warning', async () => {
    await writeFile(join(dir, 'good.txt'), small('好版面'));
    const result = await loadPageFile(dir, 'missing.txt');
    expect(result).toMatchObject({ ok: false, skipped: { file: 'missing.txt', reason: 'unreadable' } });
    const warnings: string[] = [];
    // A page the tagger chokes on is skipped; it does not stop the others.
    const loaded = await loadPages(dir, {
      onWarning: (m) => warnings.push(m),
      tag: (item) => {
        if (item.title === '好版面') throw new Error('boom');
        return { counties: [], county: null };
      },
    });
    expect(loaded.items).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining('good.txt')]);
  });

  it('passes every item through the tagger', async () => {
    await writeFile(join(dir, SEED_FILE), seedText);
    const loaded = await loadPages(dir, {
      tag: (item) => (item.paragraphs.join('').includes('开化') ? { counties: ['开化县'], county: '开化县' } : { counties: [], county: null }),
    });
    const tagged = loaded.items.filter((i) => i.county === '开化县').map((i) => i.title);
    expect(tagged).toEqual(['开化县重视茶产业技能人才培养', '移民社区 幸福生活', '企业诉求 直达快办']);
  });

  it('gives the same ids whatever other files are in the folder and in whatever order they are read', async () => {
    await writeFile(join(dir, SEED_FILE), seedText);
    const first = await loadPages(dir);
    // Add pages that sort before and after it, and load again (a restart).
    await writeFile(join(dir, '0000-first.txt'), small('最前'));
    await writeFile(join(dir, '2023-12-01.txt'), seedText);
    const second = await loadPages(dir);
    const again = byId(second.items);
    for (const item of first.items) {
      expect(again.get(item.id)).toMatchObject({ title: item.title, paragraphs: item.paragraphs, source: { file: SEED_FILE } });
    }
    // The same text under another file name is another page: other ids.
    const copy = second.items.filter((i) => i.source.file === '2023-12-01.txt');
    expect(copy.filter((i) => first.items.some((f) => f.id === i.id))).toEqual([]);
    expect(new Set(second.items.map((i) => i.id)).size).toBe(second.items.length);
  });

  it('keeps ids when items on a page move around', () => {
    const a = parsePage(`${small('甲')}\n${small('乙')}`, 'p.txt').items;
    const b = parsePage(`${small('乙')}\n${small('甲')}`, 'p.txt').items;
    expect(b.map((i) => i.id)).toEqual([a[1]!.id, a[0]!.id]);
  });

  it('resolves two identical items on one page deterministically', () => {
    const twice = `${small('甲')}\n${small('甲')}`;
    const ids = parsePage(twice, 'p.txt').items.map((i) => i.id);
    expect(new Set(ids).size).toBe(2);
    expect(parsePage(twice, 'p.txt').items.map((i) => i.id)).toEqual(ids);
  });
});

describe('page files newest first', () => {
  it('orders by the date in the file name, newest first, then by name; files without a (real) date last', () => {
    expect(newestFirst(['notes.txt', '2023-10-30.txt', 'quzhou-20231101-b.txt', 'quzhou-20231101-a.txt', '2023_11_02.txt', 'archive.txt', '2023-02-30.txt'])).toEqual([
      '2023_11_02.txt',
      'quzhou-20231101-b.txt',
      'quzhou-20231101-a.txt',
      '2023-10-30.txt',
      'notes.txt',
      'archive.txt',
      '2023-02-30.txt', // not a date
    ]);
  });

  it('reads a page in two steps as loadPageFile does, and refuses a file too large to be a page', async () => {
    await writeFile(join(dir, '2023-11-02.txt'), small('十一月二日'));
    const read = await readPageFile(dir, '2023-11-02.txt');
    expect(read.ok).toBe(true);
    if (read.ok) expect(loadPageBytes('2023-11-02.txt', read.bytes)).toEqual(await loadPageFile(dir, '2023-11-02.txt'));
    expect(await readPageFile(dir, '2023-11-02.txt', 10)).toMatchObject({ ok: false, skipped: { reason: 'too-large' } });
    expect(await readPageFile(dir, 'missing.txt')).toMatchObject({ ok: false, skipped: { reason: 'unreadable' } });
  });
});

