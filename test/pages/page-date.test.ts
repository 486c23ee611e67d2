import { describe, expect, it } from 'vitest';
import { dateFromFileName, dateLine, isoDate } from '../../src/pages/page-date.js';
import { parsePage } from '../../src/pages/parse-page.js';

describe('page dates', () => {
  it.each([
    ['2023-10-31.txt', '2023-10-31'],
    ['quzhou-20231031-a01.txt', '2023-10-31'],
    ['衢州日报_2023_10_31.txt', '2023-10-31'],
    ['2023.1.5 第3版.txt', '2023-01-05'],
    ['seeds/2024-02-29.txt', '2024-02-29'],
  ])('reads %s as %s', (file, date) => {
    expect(dateFromFileName(file)).toBe(date);
  });

  it.each(['000_6151b1adbe3a5f5a.txt', '2023-02-30.txt', '20231331.txt', '120231031.txt', 'page-12.txt', '2023-10.txt'])(
    'finds no date in %s',
    (file) => {
      expect(dateFromFileName(file)).toBeNull();
    },
  );

  it('checks the calendar', () => {
    expect(isoDate(2023, 2, 29)).toBeNull();
    expect(isoDate(2024, 2, 29)).toBe('2024-02-29');
    expect(isoDate(2023, 4, 31)).toBeNull();
  });

  it('reads a date: line at the top and removes it from the text', () => {
    expect(dateLine('date: 2023-10-31\n\n# 标题\n')).toEqual({ date: '2023-10-31', text: '\n\n# 标题\n' });
    expect(dateLine('\n  日期：2023年10月31日\n# 标题')).toEqual({ date: '2023-10-31', text: '\n\n# 标题' });
    expect(dateLine('# 标题\ndate: 2023-10-31')).toBeNull();
    expect(dateLine('date: soon\n# 标题')).toEqual({ date: null, text: '\n# 标题' });
  });

  it('dates a page from its file name, else its date: line, else not at all', () => {
    const text = 'date: 2023-11-02\n# 标题\n\n正文。';
    expect(parsePage(text, '2023-10-31.txt').date).toBe('2023-10-31');
    expect(parsePage(text, 'page.txt').date).toBe('2023-11-02');
    expect(parsePage(text, 'page.txt').items[0]).toMatchObject({ date: '2023-11-02', paragraphs: ['正文。'] });
    expect(parsePage('# 标题\n\n正文。', 'page.txt').date).toBeNull();
    expect(parsePage(text, 'page.txt', null).date).toBeNull();
  });

  it('never keeps the date: line as text, even when it is invalid', () => {
    const parsed = parsePage('date: 2023-02-30\n# 标题\n\n正文。', 'page.txt');
    expect(parsed.date).toBeNull();
    expect(JSON.stringify(parsed.items)).not.toContain('2023-02-30');
    expect(parsed.report.warnings.length).toBe(1);
  });
});
