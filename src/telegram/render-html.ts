/**
 * Answers from the core as Telegram messages in HTML parse mode. Pure: no I/O, no clock, no
 * telegraf; the handlers in `bot.ts` send what these return.
 *
 * Guarantees (checked by property tests): every message has 1–4,096 visible characters, every
 * piece of article text and reader input is escaped, every button's data is at most 64 bytes.
 */
import type {
  Answer,
  ArticleAnswer,
  CountyListAnswer,
  NoResultsAnswer,
  ProblemAnswer,
  RelatedAnswer,
  ResultEntry,
  ResultsAnswer,
} from '../answers/answer.js';
import type { Item } from '../pages/item.js';
import type { Messages } from '../i18n/messages.js';
import { articleRows, countyRows, pagerRow, relatedRow, suggestionRows, type InlineKeyboard } from './keyboards.js';
import {
  MESSAGE_MAX_LENGTH,
  bold,
  italic,
  markedRich,
  packParagraphs,
  plain,
  richLength,
  toHtml,
  trimRich,
  truncateRich,
  truncateText,
  type Rich,
} from './rich-text.js';

export interface TelegramMessage {
  /** HTML parse mode text. */
  text: string;
  keyboard?: InlineKeyboard;
}

export interface RenderOptions {
  messages: Messages;
  /** The query-store key of this result list; without it no 上一页/下一页 buttons are drawn. */
  listKey?: string | null;
  /** Visible characters per message (Telegram's 4,096 unless a test asks for less). */
  maxLength?: number;
}

/** Reader input is echoed at most this long (a 1,000-character query is not repeated back whole). */
const ECHO_MAX = 60;
/** Room kept in each part of a long article for the "（续 2/3）" line. */
const PART_MARKER_ROOM = 24;

function finish(rich: Rich, max: number, keyboard?: InlineKeyboard): TelegramMessage {
  const text = toHtml(trimRich(truncateRich(trimRich(rich), max)));
  const rows = keyboard?.filter((row) => row.length > 0);
  return rows && rows.length > 0 ? { text, keyboard: rows } : { text };
}

function join(parts: Rich[], separator: string): Rich {
  const out: Rich = [];
  parts.forEach((part, i) => {
    if (i > 0) out.push(plain(separator));
    out.push(...part);
  });
  return out;
}

/** "开化县 · 2025年10月28日" (city-level items say 城市要闻; photos say so). */
export function itemMeta(item: Item, messages: Messages): string {
  const parts = [item.county ?? messages.labels.cityLevel, messages.formatDate(item.date)];
  if (item.kind === 'photo') parts.push(messages.labels.photo);
  return parts.join(' · ');
}

function resultBlock(entry: ResultEntry, n: number, messages: Messages): Rich {
  const title: Rich = [bold(`${n}. `), ...markedRich(entry.title, { bold: true }, { bold: true, underline: true })];
  const lines: Rich[] = [title, [italic(itemMeta(entry.item, messages))]];
  if (entry.summary.trim()) lines.push([plain(entry.summary)]);
  if (entry.snippet && entry.snippet.text.trim() && entry.snippet.text.trim() !== entry.summary.trim()) {
    lines.push([plain('» '), ...markedRich(entry.snippet)]);
  }
  return join(lines, '\n');
}

function renderResults(answer: ResultsAnswer, options: RenderOptions, max: number): TelegramMessage[] {
  const { messages } = options;
  const heading = { ...answer, query: truncateText(answer.query, ECHO_MAX) };
  const header: Rich = [bold(messages.listTitle(heading)), plain('\n'), plain(messages.resultsHeader(answer.total, answer.page, answer.pageCount))];
  if (answer.match) header.push(plain('\n'), italic(messages.matchNote(answer.match)));
  if (answer.loading) header.push(plain('\n'), italic(messages.stillLoading(answer.loading)));
  // Number results across pages; the last page may be shorter, so count it back from the total.
  const n = answer.results.length;
  const firstNumber = answer.page >= answer.pageCount ? Math.max(1, answer.total - n + 1) : 1 + (answer.page - 1) * n;
  let blocks = answer.results.map((r, i) => resultBlock(r, firstNumber + i, messages));
  // A list must stay one message (the pager edits it in place): shorten every block alike if needed.
  const separators = 2 * (blocks.length + 1);
  const total = richLength(header) + separators + blocks.reduce((sum, b) => sum + richLength(b), 0);
  if (total > max && blocks.length > 0) {
    const budget = Math.max(1, Math.floor((max - richLength(header) - separators) / blocks.length));
    blocks = blocks.map((b) => truncateRich(b, budget));
  }
  const keyboard: InlineKeyboard = articleRows(answer.results, messages, firstNumber);
  if (options.listKey) keyboard.push(pagerRow(options.listKey, answer.page, answer.pageCount, messages));
  return [finish(join([header, ...blocks], '\n\n'), max, keyboard)];
}

function renderNoResults(answer: NoResultsAnswer, options: RenderOptions, max: number): TelegramMessage[] {
  const { messages } = options;
  const parts: Rich[] = [[plain(messages.noResults(truncateText(answer.query, ECHO_MAX), answer.county))]];
  if (answer.suggestions.length > 0) {
    parts.push([plain(messages.suggestionsLead), ...answer.suggestions.flatMap((w, i) => (i === 0 ? [bold(w)] : [plain(messages.listSeparator), bold(w)]))]);
  }
  if (answer.counties.length > 0) {
    parts.push([plain(messages.browseCountiesLead)]);
  }
  const keyboard = [...suggestionRows(answer.suggestions.slice(0, 6)), ...countyRows(answer.counties, messages)];
  return [finish(join(parts, '\n'), max, keyboard)];
}

function renderCountyList(answer: CountyListAnswer, options: RenderOptions, max: number): TelegramMessage[] {
  const { messages } = options;
  const head = answer.unknown !== null ? messages.unknownCounty(truncateText(answer.unknown, ECHO_MAX)) : messages.countyListHeader;
  const lines: Rich[] = [[bold(head)], ...answer.counties.map((c) => [plain(`• ${messages.countyCount(c.name, c.count)}`)])];
  if (answer.cityLevel > 0) lines.push([plain(`• ${messages.cityLevelCount(answer.cityLevel)}`)]);
  if (answer.loading) lines.push([italic(messages.stillLoading(answer.loading))]);
  lines.push([plain('')], [italic(messages.countyListFooter)]);
  return [finish(join(lines, '\n'), max, countyRows(answer.counties, messages))];
}

/** The article in full: head, then paragraphs packed into messages split at paragraph boundaries. */
function renderArticle(answer: ArticleAnswer, options: RenderOptions, max: number): TelegramMessage[] {
  const { messages } = options;
  const { item } = answer;
  const head: Rich = [bold(item.title)];
  if (item.subtitle) head.push(plain('\n'), plain(item.subtitle));
  head.push(plain('\n'), italic(itemMeta(item, messages)));
  if (item.authors.length > 0) head.push(plain('\n'), plain(messages.byline(item.authors)));
  const paragraphs: Rich[] = [head, ...item.paragraphs.map((p) => [plain(p)])];
  if (item.photographers.length > 0) paragraphs.push([italic(messages.photoCredit(item.photographers))]);
  const room = Math.max(1, max - PART_MARKER_ROOM);
  const parts = packParagraphs(paragraphs, room);
  return parts.map((part, i) => {
    const marked = i === 0 ? part : [italic(messages.articlePart(i + 1, parts.length)), plain('\n'), ...part];
    // The 相关报道 button goes under the article's last message.
    return finish(marked, max, i === parts.length - 1 ? relatedRow(item.id, messages) : undefined);
  });
}

function renderRelated(answer: RelatedAnswer, options: RenderOptions, max: number): TelegramMessage[] {
  const { messages } = options;
  const header: Rich = [bold(messages.relatedTitle(truncateText(answer.item.title, ECHO_MAX)))];
  if (answer.results.length === 0) return [finish([...header, plain('\n'), plain(messages.relatedNone)], max)];
  const blocks = answer.results.map((r, i) => resultBlock(r, i + 1, messages));
  return [finish(join([header, ...blocks], '\n\n'), max, articleRows(answer.results, messages))];
}

function renderProblem(answer: ProblemAnswer, options: RenderOptions, max: number): TelegramMessage[] {
  const text = options.messages.problem[answer.problem]({ ...answer, input: truncateText(answer.input, ECHO_MAX) });
  return [finish([plain(text)], max)];
}

/**
 * The messages that answer one question, in order. Result lists are always one message (so the
 * pager can edit it); a full article may be several.
 * @example renderAnswer(answers.search('医保'), { messages: zh, listKey: 'k1' })
 */
export function renderAnswer(answer: Answer, options: RenderOptions): TelegramMessage[] {
  const max = options.maxLength ?? MESSAGE_MAX_LENGTH;
  switch (answer.kind) {
    case 'results':
      return renderResults(answer, options, max);
    case 'no-results':
      return renderNoResults(answer, options, max);
    case 'county-list':
      return renderCountyList(answer, options, max);
    case 'article':
      return renderArticle(answer, options, max);
    case 'related':
      return renderRelated(answer, options, max);
    case 'problem':
      return renderProblem(answer, options, max);
  }
}

/** /help: every command with an example. */
export function renderHelp(messages: Messages, maxLength = MESSAGE_MAX_LENGTH): TelegramMessage {
  return finish(helpRich(messages), maxLength);
}

/** /start: the three-line greeting, then the commands. */
export function renderGreeting(messages: Messages, maxLength = MESSAGE_MAX_LENGTH): TelegramMessage {
  return finish([plain(messages.greeting), plain('\n\n'), ...helpRich(messages)], maxLength);
}

function helpRich(messages: Messages): Rich {
  const lines: Rich[] = [[bold(messages.helpTitle)]];
  for (const c of messages.commands) {
    lines.push([plain(`/${c.command} — ${c.description}`), plain('  '), italic(c.example)]);
  }
  lines.push([plain('')], [plain(messages.helpFooter)]);
  return join(lines, '\n');
}

/** A catalogue text (notice, apology) as an HTML message, escaped. */
export function renderNotice(text: string, maxLength = MESSAGE_MAX_LENGTH): TelegramMessage {
  return finish([plain(text)], maxLength);
}
