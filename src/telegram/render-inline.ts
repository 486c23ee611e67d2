/**
 * Inline mode (`@bot 词` in any chat): result lists as `InlineQueryResultArticle`s a reader can
 * share. Pure, like `render-html.ts`.
 */
import type { InlineQueryResultArticle } from 'telegraf/types';
import type { Answer } from '../answers/answer.js';
import type { Answers } from '../answers/answers.js';
import type { Messages } from '../i18n/messages.js';
import { itemMeta } from './render-html.js';
import { MESSAGE_MAX_LENGTH, bold, italic, plain, toHtml, trimRich, truncateRich, truncateText } from './rich-text.js';

/** Telegram shows at most 50 results per inline answer. */
export const INLINE_MAX_RESULTS = 50;

export interface InlineRenderOptions {
  messages: Messages;
  /** The bot's username, for a deep link (`t.me/<bot>?start=a_<id>`) that opens the article in the bot. */
  botUsername?: string;
}

/** The deep link that opens an article in the bot, or null when the id does not fit a start payload. */
export function articleDeepLink(botUsername: string, itemId: string): string | null {
  const payload = `a_${itemId}`;
  return /^[A-Za-z0-9_-]{1,64}$/.test(payload) ? `https://t.me/${botUsername}?start=${payload}` : null;
}

/**
 * The shareable entries for a result list; any other answer (no results, a problem) gives none,
 * and the bot shows a hint button instead.
 */
export function renderInlineResults(answer: Answer, options: InlineRenderOptions): InlineQueryResultArticle[] {
  if (answer.kind !== 'results') return [];
  const { messages } = options;
  return answer.results.slice(0, INLINE_MAX_RESULTS).map((entry) => {
    const meta = itemMeta(entry.item, messages);
    const card = [bold(entry.item.title), plain('\n'), italic(meta), plain('\n\n'), plain(entry.summary)];
    const link = options.botUsername ? articleDeepLink(options.botUsername, entry.item.id) : null;
    const result: InlineQueryResultArticle = {
      type: 'article',
      id: entry.item.id.slice(0, 64),
      title: truncateText(entry.item.title, 100),
      description: truncateText(`${meta}｜${entry.summary}`, 200),
      input_message_content: {
        message_text: toHtml(trimRich(truncateRich(card, MESSAGE_MAX_LENGTH))),
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
      },
    };
    if (link) result.reply_markup = { inline_keyboard: [[{ text: messages.labels.readFull, url: link }]] };
    return result;
  });
}

/** Completions offered above the results while a reader types. */
const INLINE_COMPLETIONS = 3;

export interface InlineCompletion {
  word: string;
  /** The word's search answer (the entry posts its first results). */
  answer: Answer;
}

/** The words that complete what a reader typed, each with what searching it finds. */
export function inlineCompletions(answers: Pick<Answers, 'complete' | 'search'>, typed: string): InlineCompletion[] {
  return answers
    .complete(typed)
    .slice(0, INLINE_COMPLETIONS)
    .map((word) => ({ word, answer: answers.search(word, { pageSize: 3 }) }))
    .filter((c) => c.answer.kind === 'results');
}

/**
 * One entry per completion: choosing it posts the word's first results, with a button that goes on
 * searching that word inline in the same chat.
 */
export function renderCompletions(completions: readonly InlineCompletion[], options: InlineRenderOptions): InlineQueryResultArticle[] {
  const { messages } = options;
  return completions.flatMap(({ word, answer }) => {
    if (answer.kind !== 'results') return [];
    const lines = answer.results.flatMap((entry, i) => [plain(`\n${i + 1}. `), bold(entry.item.title), plain(`  `), italic(itemMeta(entry.item, messages))]);
    const card = [bold(messages.inlineCompletion(word, answer.total)), ...lines];
    const result: InlineQueryResultArticle = {
      type: 'article',
      id: `w${Buffer.from(word).toString('hex')}`.slice(0, 64),
      title: truncateText(messages.inlineCompletion(word, answer.total), 100),
      description: truncateText(answer.results.map((e) => e.item.title).join('｜'), 200),
      input_message_content: { message_text: toHtml(trimRich(truncateRich(card, MESSAGE_MAX_LENGTH))), parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
      reply_markup: { inline_keyboard: [[{ text: messages.inlineCompletion(word, answer.total), switch_inline_query_current_chat: word }]] },
    };
    return [result];
  });
}
