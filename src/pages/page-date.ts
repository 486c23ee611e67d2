/**
 * A page's date: from its file name (`2023-10-31`, `2023_10_31`, `2023.10.31`, `20231031`) or a
 * `date: 2023-10-31` metadata line at its top. Only real calendar dates count.
 */

/** `YYYY-MM-DD` if year, month and day form a real date (no 2023-02-30), else null. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return null;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > days) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const SEPARATED = /(?<!\d)((?:19|2\d)\d{2})[-_.](\d{1,2})[-_.](\d{1,2})(?!\d)/g;
const COMPACT = /(?<!\d)((?:19|2\d)\d{2})(\d{2})(\d{2})(?!\d)/g;

/**
 * The first real date in a file name, or null.
 * @example dateFromFileName('quzhou-20231031-a.txt') // '2023-10-31'
 */
export function dateFromFileName(file: string): string | null {
  const name = file.replace(/^.*[\\/]/, '');
  for (const pattern of [SEPARATED, COMPACT]) {
    for (const m of name.matchAll(pattern)) {
      const date = isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
      if (date) return date;
    }
  }
  return null;
}

const DATE_LINE = /^(?:date|日期)\s*[:：]\s*(.*)$/i;
const DATE_VALUE = /^((?:19|2\d)\d{2})\s*[-_./年]\s*(\d{1,2})\s*[-_./月]\s*(\d{1,2})\s*日?$/;

export interface DateLine {
  /** The date the line gives, or null if the line is there but its value is not a real date. */
  date: string | null;
  /** The text with the metadata line removed (it is not page text). */
  text: string;
}

/**
 * Finds a `date:` (or `日期：`) line as the first non-blank line of the text.
 * Returns null when there is none, so the caller keeps the text untouched.
 * @example dateLine('date: 2023-10-31\n# 标题') // { date: '2023-10-31', text: '\n# 标题' }
 */
export function dateLine(text: string): DateLine | null {
  const m = /^\s*/.exec(text);
  const start = m ? m[0].length : 0;
  // Back up to the line start so leading spaces on the date line are removed too.
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const end = text.indexOf('\n', start);
  const line = text.slice(lineStart, end === -1 ? text.length : end).trim();
  const found = DATE_LINE.exec(line);
  if (!found) return null;
  const value = DATE_VALUE.exec((found[1] ?? '').trim());
  const date = value ? isoDate(Number(value[1]), Number(value[2]), Number(value[3])) : null;
  return { date, text: text.slice(0, lineStart) + (end === -1 ? '' : text.slice(end)) };
}
