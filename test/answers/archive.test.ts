import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/answers/archive.js';
import type { IndexedItem } from '../../src/pages/item.js';

function entry(file: string, date: string | null, index: number, id = `${file}-${index}`, county: string | null = null): IndexedItem {
  return {
    item: {
      id,
      kind: 'article',
      title: `${file} 第${index}篇`,
      subtitle: null,
      authors: [],
      photographers: [],
      date,
      counties: county ? [county] : [],
      county,
      paragraphs: [`${file} 第${index}篇的正文。`],
      source: { file, index },
    },
    summary: '',
    keywords: [],
    order: 0,
  };
}

const page = (file: string, date: string | null, n: number, county: string | null = null) => Array.from({ length: n }, (_, i) => entry(file, date, i, undefined, county));
const ids = (archive: Archive) => archive.snapshot.newest.map((e) => e.item.id);

describe('Archive', () => {
  it('takes pages in any order and batch, and lists them newest page first, items in page order', () => {
    const archive = new Archive();
    archive.setPages(new Map([['b.txt', page('b.txt', '2023-11-02', 2)], ['undated.txt', page('undated.txt', null, 1)]]));
    archive.setPage('c.txt', page('c.txt', '2023-11-03', 2, '开化县'));
    archive.setPages(new Map([['a.txt', page('a.txt', '2023-11-01', 1)]]));
    expect(ids(archive)).toEqual(['c.txt-0', 'c.txt-1', 'b.txt-0', 'b.txt-1', 'a.txt-0', 'undated.txt-0']);
    expect(archive.snapshot.byCounty.get('开化县')!.map((e) => e.item.id)).toEqual(['c.txt-0', 'c.txt-1']);
    expect(archive.snapshot.cityLevel).toBe(4);

    const all = new Archive();
    all.setAll(['a.txt', 'b.txt', 'c.txt', 'undated.txt'].flatMap((f) => archive.page(f)!));
    expect(ids(all)).toEqual(ids(archive));
  });

  it('replaces a page, reporting the ids that came and went; an empty page goes', () => {
    const archive = new Archive();
    archive.setPage('a.txt', page('a.txt', '2023-11-01', 3));
    const change = archive.setPage('a.txt', [entry('a.txt', '2023-11-01', 0), entry('a.txt', '2023-11-01', 1, 'new-one')]);
    expect(change).toMatchObject({ added: ['new-one'], removed: ['a.txt-1', 'a.txt-2'] });
    expect(archive.snapshot.byId.has('a.txt-2')).toBe(false);
    expect(archive.setPage('a.txt', []).removed).toEqual(['a.txt-0', 'new-one']);
    expect(archive.pageFiles()).toEqual([]);
    expect(ids(archive)).toEqual([]);
  });

  it('renames an incoming item whose id another page holds, and says so; a page replacing itself keeps its ids', () => {
    const warnings: string[] = [];
    const archive = new Archive((m) => warnings.push(m));
    archive.setPage('a.txt', [entry('a.txt', '2023-11-01', 0, 'same')]);
    const change = archive.setPage('b.txt', [entry('b.txt', '2023-11-02', 0, 'same')]);
    const renamed = change.entries[0]!.item.id;
    expect(renamed).not.toBe('same');
    expect(archive.snapshot.byId.get('same')!.item.source.file).toBe('a.txt');
    expect(archive.snapshot.byId.get(renamed)!.item.source.file).toBe('b.txt');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('b.txt');
    expect(archive.setPage('a.txt', [entry('a.txt', '2023-11-01', 0, 'same')]).entries[0]!.item.id).toBe('same');
    expect(warnings).toHaveLength(1);
  });
});
