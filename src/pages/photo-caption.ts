/**
 * Photo captions: lines marked ▲ (the photo above) or ▼ (the photo below), ending in the
 * photographers' names and 摄, e.g. `▲ 图为……茶叶。 徐翰文 毛宇轩 摄`.
 */
import { parseNames } from './byline.js';

export const CAPTION_MARK = /^[▲▼]/u;

export interface Caption {
  /** The caption text without the mark and without the photographers. */
  text: string;
  photographers: string[];
}

// Trailing "名字 名字 摄" (also 摄影, and a slash before it as in "徐翰文/摄").
const CREDIT = /(?:^|[\s\u3000]+|(?<=[。！？…”）)]))((?:[\u3400-\u9fff·]{2,6}[\s\u3000]+){0,7}[\u3400-\u9fff·]{2,6})[\s\u3000]*[/／]?[\s\u3000]*摄影?[\s\u3000]*$/u;

/**
 * @example parseCaption('▼ 近日，比武现场。 郑毓 周俊楠 摄') // { text: '近日，比武现场。', photographers: ['郑毓', '周俊楠'] }
 */
export function parseCaption(line: string): Caption {
  const body = line.replace(CAPTION_MARK, '').trim();
  const credit = CREDIT.exec(body);
  if (credit && credit[1]) {
    const names = parseNames(credit[1]);
    if (names) return { text: body.slice(0, credit.index).trim(), photographers: names };
  }
  return { text: body, photographers: [] };
}

const CLAUSE_END = /[，,。！？!?；;：:、]/u;
const MAX_TITLE = 20;

/**
 * A short title for an item that has no headline of its own: the first clause of its text that says
 * something (a lead-in such as 近日 or 图为 is skipped), cut to 20 characters.
 * @example derivedTitle('近日，龙游县公安局组织开展比武。') // '龙游县公安局组织开展比武'
 */
export function derivedTitle(text: string): string {
  const clauses = text
    .split(CLAUSE_END)
    .map((c) => c.replace(/^[\s“”"‘’「」『』（）()《》]+|[\s“”"‘’「」『』（）()《》]+$/gu, '').replace(/^图为/u, ''))
    .filter((c) => c.length > 0);
  const clause = clauses.find((c) => c.length >= 4) ?? clauses[0] ?? text.trim();
  const chars = [...clause];
  return chars.length > MAX_TITLE ? `${chars.slice(0, MAX_TITLE).join('')}…` : clause;
}
