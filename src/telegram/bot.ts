/**
 * The Telegram adapter: thin handlers that ask the core (`Answers`) and send what the renderer
 * makes of the answer. No text lives here (see `src/i18n/`), no formatting (see `render-html.ts`).
 */
import { Telegraf, TelegramError, type Context, type Middleware } from 'telegraf';
import type { Logger } from 'pino';
import type { Answer, ListCommand } from '../answers/answer.js';
import type { Answers } from '../answers/answers.js';
import { catalogues, messagesFor, type Messages } from '../i18n/messages.js';
import type { RecentErrors } from '../operator/recent-errors.js';
import type { OperatorStats } from '../operator/stats.js';
import { decodeCallback } from './callback-data.js';
import { systemClock, type Clock } from './clock.js';
import { createFloodGuard } from './flood-guard.js';
import { createMemoryChatLists, type ChatLists } from './query-store.js';
import { renderAnswer, renderGreeting, renderHelp, renderNotice, type TelegramMessage } from './render-html.js';
import { INLINE_MAX_RESULTS, inlineCompletions, renderCompletions, renderInlineResults } from './render-inline.js';
import { redactToken } from './safe-log.js';

/** A result list as kept server-side for its page buttons. */
export interface StoredList {
  command: ListCommand;
  query: string;
  /**
   * The chat the list was shown in: a page button works only there. Keys are short and sequential,
   * so without this a forged button could page through another reader's search.
   */
  chatId?: number;
}

export interface CreateBotOptions {
  token: string;
  /** Another Bot API server (self-hosted, or the emulator in tests); null/undefined is api.telegram.org. */
  apiRoot?: string | null;
  answers: Answers;
  log: Logger;
  clock?: Clock;
  /**
   * More handlers (the subscription commands of issue 5), run after /start, /help, /search, /latest,
   * /county and before button presses, plain-text search and the unknown-command answer.
   */
  extensions?: ReadonlyArray<Middleware<Context>>;
  /** Result lists kept for page buttons: how many, and for how long unused (default 10,000 and 24 h). */
  listStore?: { capacity?: number; ttlMs?: number };
  /** Where result lists are kept instead (the subscriptions database: they outlive restarts and work on any replica). */
  lists?: ChatLists<StoredList>;
  /** Per-user flood control: burst size and refill per second (default 5 and 1). */
  flood?: { burst?: number; perSecond?: number };
  /** Seconds Telegram may cache an inline answer (default 60; the index changes as pages arrive). */
  inlineCacheSeconds?: number;
  /** The operator's /stats: only these user ids, only in a private chat; everyone else is told the command does not exist. */
  operator?: { adminIds: ReadonlySet<number>; stats: () => Promise<OperatorStats>; timeZone: string };
  /** Called after every update with its label (`updateLabel`) and the seconds it took (metrics). */
  onUpdateHandled?: (label: string, seconds: number) => void;
  /** Handler failures are recorded here too (for /stats), with the token removed. */
  recentErrors?: RecentErrors;
  /** Says what a failure means for the operator (a full disk, a locked database), or null. */
  describeError?: (error: unknown) => string | null;
}

/** Command names a metric label may carry; anything else is `other`, so a reader cannot add labels. */
const LABELLED_COMMANDS = new Set(['start', 'help', 'stats', ...catalogues.zh.commands.map((c) => c.command)]);

/**
 * A short, bounded label for an update: the command (`search`…), `text`, `callback`, `inline` or `other`.
 * @example updateLabel({ update_id: 1, message: { text: '/search 医保', … } }) // 'search'
 */
export function updateLabel(update: Context['update']): string {
  if ('callback_query' in update) return 'callback';
  if ('inline_query' in update) return 'inline';
  if ('message' in update && 'text' in update.message) {
    const text = update.message.text;
    if (!text.startsWith('/')) return 'text';
    const name = /^\/([A-Za-z0-9_]+)/.exec(text)?.[1]?.toLowerCase();
    return name && LABELLED_COMMANDS.has(name) ? name : 'other';
  }
  return 'other';
}

const SEND_EXTRA = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;

function extraFor(message: TelegramMessage) {
  return message.keyboard ? { ...SEND_EXTRA, reply_markup: { inline_keyboard: message.keyboard } } : SEND_EXTRA;
}

/** The text after the command (`/search 医保` → `医保`), using the command entity's length. */
export function commandArgument(text: string, entityLength?: number): string {
  const length = entityLength ?? /^\/\S*/.exec(text)?.[0].length ?? 0;
  return text.slice(length).trim();
}

function argumentOf(ctx: Context): string {
  const message = ctx.message;
  if (!message || !('text' in message)) return '';
  const entity = message.entities?.[0];
  const length = entity && entity.type === 'bot_command' && entity.offset === 0 ? entity.length : undefined;
  return commandArgument(message.text, length);
}

function isNotModified(error: unknown): boolean {
  return error instanceof TelegramError && error.code === 400 && /not modified/i.test(error.description);
}

/**
 * The bot with every handler wired; start it with `startTelegram` (or feed it `handleUpdate`).
 * @example
 * const bot = createBot({ token, apiRoot: config.telegramApiRoot, answers: news.answers, log });
 */
export function createBot(options: CreateBotOptions): Telegraf {
  const { answers, log } = options;
  const clock = options.clock ?? systemClock;
  const bot = new Telegraf(options.token, {
    // Every call goes over HTTP, so its errors are seen (webhook replies would hide them).
    telegram: { ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}), webhookReply: false },
  });
  const lists: ChatLists<StoredList> = options.lists ?? createMemoryChatLists<StoredList>({
    capacity: options.listStore?.capacity ?? 10_000,
    ttlMs: options.listStore?.ttlMs ?? 24 * 60 * 60 * 1000,
    clock,
  });
  const flood = createFloodGuard({ burst: options.flood?.burst ?? 5, perSecond: options.flood?.perSecond ?? 1, clock });
  const inlineCacheSeconds = options.inlineCacheSeconds ?? 60;

  const messagesOf = (ctx: Context): Messages => messagesFor(ctx.from?.language_code);

  function listAnswer(list: StoredList, page: number): Answer {
    if (list.command === 'search') return answers.search(list.query, { page });
    if (list.command === 'latest') return answers.latest({ page });
    return answers.county(list.query, { page });
  }

  /** Render an answer; a list with more than one page is kept so its buttons can turn pages. */
  async function render(ctx: Context, answer: Answer, list: StoredList | null, listKey?: string): Promise<TelegramMessage[]> {
    let key = listKey ?? null;
    if (!key && list && ctx.chat && answer.kind === 'results' && answer.pageCount > 1) key = await lists.put(ctx.chat.id, list);
    return renderAnswer(answer, { messages: messagesOf(ctx), listKey: key });
  }

  async function send(ctx: Context, messages: readonly TelegramMessage[]): Promise<void> {
    for (const message of messages) await ctx.reply(message.text, extraFor(message));
  }

  async function answerList(ctx: Context, list: StoredList): Promise<void> {
    await send(ctx, await render(ctx, listAnswer(list, 1), list));
  }

  const inPrivate = (ctx: Context): boolean => ctx.chat?.type === 'private';

  // Timing and a trace of every update, at debug level (and to the metrics, failed ones included).
  bot.use(async (ctx, next) => {
    const started = clock();
    try {
      await next();
    } finally {
      const ms = clock() - started;
      log.debug({ updateId: ctx.update.update_id, type: ctx.updateType, ms }, 'update handled');
      options.onUpdateHandled?.(updateLabel(ctx.update), ms / 1000);
    }
  });

  // Flood control, for what this bot would answer: button presses, commands, private messages.
  bot.use(async (ctx, next) => {
    const from = ctx.from;
    const text = ctx.message && 'text' in ctx.message ? ctx.message.text : null;
    const counted = ctx.callbackQuery !== undefined || (text !== null && (text.startsWith('/') || inPrivate(ctx)));
    if (!from || !counted) return next();
    const verdict = flood.check(from.id);
    if (verdict === 'allow') return next();
    log.info({ updateId: ctx.update.update_id, userId: from.id, verdict }, 'flood control: update dropped');
    const notice = messagesOf(ctx).rateLimited;
    if (ctx.callbackQuery) {
      await ctx.answerCbQuery(verdict === 'notify' ? notice : undefined);
    } else if (verdict === 'notify') {
      await send(ctx, [renderNotice(notice)]);
    }
  });

  bot.start(async (ctx) => {
    const payload = argumentOf(ctx);
    const deepLink = /^a_([A-Za-z0-9]+)$/.exec(payload);
    if (deepLink) return send(ctx, await render(ctx, answers.article(deepLink[1]!), null));
    return send(ctx, [renderGreeting(messagesOf(ctx))]);
  });
  bot.help((ctx) => send(ctx, [renderHelp(messagesOf(ctx))]));
  bot.command('search', (ctx) => answerList(ctx, { command: 'search', query: argumentOf(ctx) }));
  bot.command('latest', (ctx) => answerList(ctx, { command: 'latest', query: '' }));
  bot.command('county', (ctx) => answerList(ctx, { command: 'county', query: argumentOf(ctx) }));
  bot.command('stats', async (ctx, next) => {
    const operator = options.operator;
    // Not an admin in a private chat: the ordinary unknown-command answer further down.
    if (!operator || !inPrivate(ctx) || !ctx.from || !operator.adminIds.has(ctx.from.id)) return next();
    const messages = messagesOf(ctx);
    let text: string;
    try {
      text = messages.operator.stats(await operator.stats(), operator.timeZone);
    } catch (error) {
      log.error({ err: error }, 'stats: figures could not be gathered');
      text = messages.operator.statsFailed(redactToken(error instanceof Error ? error.message : String(error), options.token));
    }
    return send(ctx, [renderNotice(text)]);
  });

  for (const extension of options.extensions ?? []) bot.use(extension);

  bot.on('callback_query', async (ctx) => {
    const query = ctx.callbackQuery;
    const action = 'data' in query && typeof query.data === 'string' ? decodeCallback(query.data) : null;
    const messages = messagesOf(ctx);
    if (action?.kind === 'page') {
      const list = ctx.chat ? await lists.get(ctx.chat.id, action.key) : undefined;
      if (!list) return void (await ctx.answerCbQuery(messages.expired));
      await ctx.answerCbQuery();
      const [message] = await render(ctx, listAnswer(list, action.page), list, action.key);
      if (!message) return;
      try {
        await ctx.editMessageText(message.text, extraFor(message));
      } catch (error) {
        if (isNotModified(error)) return;
        // The message may be too old to edit: send the page as a new one instead.
        if (error instanceof TelegramError && error.code === 400) return send(ctx, [message]);
        throw error;
      }
      return;
    }
    if (!action) return void (await ctx.answerCbQuery(messages.expired));
    await ctx.answerCbQuery();
    if (action.kind === 'article') return send(ctx, await render(ctx, answers.article(action.id), null));
    if (action.kind === 'related') return send(ctx, await render(ctx, answers.related(action.id), null));
    if (action.kind === 'county') return answerList(ctx, { command: 'county', query: action.name });
    return answerList(ctx, { command: 'search', query: action.query });
  });

  bot.on('inline_query', async (ctx) => {
    const messages = messagesOf(ctx);
    const query = ctx.inlineQuery.query.trim();
    const page = Math.max(1, Number.parseInt(ctx.inlineQuery.offset, 10) || 1);
    const request = { page, pageSize: INLINE_MAX_RESULTS };
    const answer = query ? answers.search(query, request) : answers.latest(request);
    // As the reader types, the first page also offers the words that complete what is typed.
    const completions = query && page === 1 ? inlineCompletions(answers, query) : [];
    const results = [...renderCompletions(completions, { messages, botUsername: ctx.botInfo.username }), ...renderInlineResults(answer, { messages, botUsername: ctx.botInfo.username })].slice(0, INLINE_MAX_RESULTS);
    const nextOffset = answer.kind === 'results' && answer.page < answer.pageCount ? String(answer.page + 1) : '';
    await ctx.answerInlineQuery(results, {
      cache_time: inlineCacheSeconds,
      next_offset: nextOffset,
      ...(results.length === 0 && page === 1 ? { button: { text: messages.inlineHint(query), start_parameter: 'help' } } : {}),
    });
  });

  bot.on('message', async (ctx) => {
    if (!('text' in ctx.message)) return;
    const text = ctx.message.text;
    if (text.startsWith('/')) {
      const command = /^\/\S*/.exec(text)?.[0] ?? '/';
      const [, addressee] = command.split('@');
      // In groups, a command for another bot (or for no bot in particular) is not ours to refuse.
      if (!inPrivate(ctx) && addressee?.toLowerCase() !== ctx.botInfo.username.toLowerCase()) return;
      return send(ctx, [renderNotice(messagesOf(ctx).unknownCommand(command.slice(0, 40)))]);
    }
    // Plain text is a search in a private chat; in a group the bot only answers commands.
    if (inPrivate(ctx)) return answerList(ctx, { command: 'search', query: text.trim() });
  });

  // One error boundary: log with the update id, apologise, never rethrow (telegraf's default exits).
  bot.catch(async (error, ctx) => {
    const described = options.describeError?.(error) ?? null;
    log.error({ err: error, updateId: ctx.update.update_id, type: ctx.updateType }, described ? `telegram: handler failed: ${described}` : 'telegram: handler failed');
    const reason = described ?? (error instanceof Error ? error.message : String(error));
    options.recentErrors?.record('bot', redactToken(`${updateLabel(ctx.update)}: ${reason}`, options.token), clock());
    const apology = messagesOf(ctx).apology;
    try {
      if (ctx.callbackQuery) await ctx.answerCbQuery(apology).catch(() => undefined);
      if (ctx.chat) await send(ctx, [renderNotice(apology)]);
    } catch (sendError) {
      log.warn({ err: sendError, updateId: ctx.update.update_id }, 'telegram: could not send the apology');
    }
  });

  return bot;
}
