/**
 * The subscription commands of issue 5 as one telegraf middleware for `createBot({ extensions })`:
 * /subscribe, /subscriptions, /unsubscribe, /digest, /settings, /export, /import, their buttons, and
 * a group's move to a supergroup. Thin: the store, digests and import/export are the core's; texts
 * come from the catalogue. Every path answers the reader; in groups only admins change anything.
 */
import { Composer, type Context } from 'telegraf';
import type { Logger } from 'pino';
import { messagesFor, type Messages } from '../i18n/messages.js';
import type { ParsedQuery } from '../search/query.js';
import type { Clock } from '../subscriptions/clock.js';
import { queueDigest } from '../subscriptions/digest.js';
import type { Outbox } from '../subscriptions/outbox.js';
import { MAX_TOPICS_PER_CHAT, type ChatType, type SettingsPatch, type SubscriptionStore } from '../subscriptions/store.js';
import { exportSubscriptions, importSubscriptions } from '../subscriptions/subscriptions-file.js';
import { MAX_TOPIC_CHARS } from '../subscriptions/topic-key.js';
import { commandArgument } from './bot.js';
import type { InlineKeyboard } from './keyboards.js';
import { bold, plain, toHtml, truncateText, type Rich } from './rich-text.js';
import { decodeSubscriptionAction, encodeSubscriptionAction } from './subscription-callback-data.js';
import { mayChangeSubscriptions } from './subscription-permissions.js';
import { describeDelivery, parseSettingsArgument, renderSettingsPanel } from './subscription-settings.js';
import { downloadDocument, extractJson, importSource, isTooLarge, type DownloadDocument, type ImportSource } from './subscription-transfer.js';

export interface SubscriptionCommandsOptions {
  store: SubscriptionStore;
  outbox: Outbox;
  /** The search core's query parser (to refuse a topic that has no searchable word). */
  parseQuery: (raw: string) => ParsedQuery;
  /** How many indexed items a topic matches now. */
  countMatches: (query: string) => number;
  /** Called after something was queued for sending (the delivery worker's `wake`). */
  wake: () => void;
  clock: Clock;
  log: Logger;
  /** How a document's text is fetched (default: the Bot API file endpoint). */
  download?: DownloadDocument;
}

const SEND_EXTRA = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;
const TOPIC_BUTTON_MAX = 30;

function languageOf(ctx: Context): 'zh' | 'en' {
  return messagesFor(ctx.from?.language_code).language;
}

function argumentOf(ctx: Context): string {
  const message = ctx.message;
  if (!message) return '';
  const text = 'text' in message ? message.text : 'caption' in message ? (message.caption ?? '') : '';
  const entities = 'text' in message ? message.entities : 'caption' in message ? message.caption_entities : undefined;
  const entity = entities?.[0];
  const length = entity && entity.type === 'bot_command' && entity.offset === 0 ? entity.length : undefined;
  return commandArgument(text, length);
}

/**
 * @example
 * const bot = createBot({ ..., extensions: [createSubscriptionCommands({ store, outbox, parseQuery: news.parseQuery,
 *   countMatches: news.countMatches, wake: () => worker.wake(), clock: systemClock, log })] });
 */
export function createSubscriptionCommands(options: SubscriptionCommandsOptions): Composer<Context> {
  const { store, outbox, clock, log } = options;
  const download = options.download ?? downloadDocument;
  const composer = new Composer<Context>();
  const messagesOf = (ctx: Context): Messages => messagesFor(ctx.from?.language_code);

  async function reply(ctx: Context, text: string, keyboard?: InlineKeyboard): Promise<void> {
    const html = toHtml([plain(text)]);
    await ctx.reply(html, keyboard && keyboard.length > 0 ? { ...SEND_EXTRA, reply_markup: { inline_keyboard: keyboard } } : SEND_EXTRA);
  }

  /** The chat as the store knows it, created or revived on every command. */
  function register(ctx: Context): number {
    const chat = ctx.chat!;
    store.registerChat({ id: chat.id, type: chat.type as ChatType, language: languageOf(ctx) }, clock.now());
    return chat.id;
  }

  /** In a group, only admins go on; everyone else is told why. */
  async function allowed(ctx: Context): Promise<boolean> {
    const permission = await mayChangeSubscriptions(ctx);
    if (permission === 'allowed') return true;
    const texts = messagesOf(ctx).subscriptions;
    const text = permission === 'denied' ? texts.adminOnly : texts.adminCheckFailed;
    if (ctx.callbackQuery) await ctx.answerCbQuery(text, { show_alert: true });
    else await reply(ctx, text);
    return false;
  }

  function topicList(chatId: number, messages: Messages): { text: string; keyboard: InlineKeyboard } {
    const texts = messages.subscriptions;
    const topics = store.listTopics(chatId);
    if (topics.length === 0) return { text: toHtml([plain(texts.listEmpty)]), keyboard: [] };
    const rich: Rich = [bold(texts.listTitle(topics.length, MAX_TOPICS_PER_CHAT))];
    topics.forEach((t, i) => rich.push(plain(`\n${i + 1}. ${t.query}`)));
    rich.push(plain(`\n\n${texts.listFooter}`));
    const keyboard = topics.map((t) => [
      { text: texts.removeButton(truncateText(t.query, TOPIC_BUTTON_MAX)), callback_data: encodeSubscriptionAction({ kind: 'remove', topicId: t.id }) },
    ]);
    return { text: toHtml(rich), keyboard };
  }

  async function showList(ctx: Context): Promise<void> {
    const chatId = register(ctx);
    const list = topicList(chatId, messagesOf(ctx));
    await ctx.reply(list.text, list.keyboard.length > 0 ? { ...SEND_EXTRA, reply_markup: { inline_keyboard: list.keyboard } } : SEND_EXTRA);
  }

  /** Held items go out now when the chat is back to instant, unpaused delivery. Returns how many. */
  function flushHeld(chatId: number): number {
    const settings = store.getSettings(chatId);
    if (!settings || settings.mode !== 'instant' || settings.paused) return 0;
    const digest = queueDigest({ store, outbox }, chatId, clock.now());
    if (!digest) return 0;
    options.wake();
    return digest.content.topics.reduce((n, t) => n + t.itemIds.length, 0);
  }

  /** Apply a settings change; the reader sees the saved line, the panel and what is sent now. */
  function applySettings(chatId: number, patch: SettingsPatch, messages: Messages): { lead: string; flushed: number } | null {
    const result = store.updateSettings(chatId, patch, clock.now());
    if (!result.ok) return null;
    const flushed = flushHeld(chatId);
    return { lead: messages.subscriptions.settingsSaved(describeDelivery(result.settings)), flushed };
  }

  composer.command('subscribe', async (ctx) => {
    const texts = messagesOf(ctx).subscriptions;
    const query = argumentOf(ctx);
    if (query === '') return reply(ctx, texts.subscribeUsage);
    const parsed = options.parseQuery(query);
    if (parsed.problem === 'too-long' || query.length > MAX_TOPIC_CHARS) return reply(ctx, texts.topicTooLong(MAX_TOPIC_CHARS));
    if (parsed.problem) return reply(ctx, texts.noSearchableWords(truncateText(query, 60)));
    if (!(await allowed(ctx))) return;
    const chatId = register(ctx);
    const result = store.addTopic(chatId, query, clock.now());
    switch (result.kind) {
      case 'added': {
        const settings = store.getSettings(chatId)!;
        return reply(ctx, texts.subscribed(result.topic.query, options.countMatches(result.topic.query), describeDelivery(settings)));
      }
      case 'duplicate':
        return reply(ctx, texts.alreadySubscribed(result.topic.query));
      case 'limit':
        return reply(ctx, texts.topicLimit(result.max));
      case 'too-long':
        return reply(ctx, texts.topicTooLong(result.max));
      case 'empty':
      case 'unknown-chat':
        return reply(ctx, texts.subscribeUsage);
    }
  });

  composer.command('subscriptions', showList);

  composer.command('unsubscribe', async (ctx) => {
    const query = argumentOf(ctx);
    if (query === '') return showList(ctx);
    if (!(await allowed(ctx))) return;
    const texts = messagesOf(ctx).subscriptions;
    const chatId = register(ctx);
    const removed = store.removeTopicByQuery(chatId, query);
    return reply(ctx, removed ? texts.unsubscribed(removed.query) : texts.notSubscribed(truncateText(query, 60)));
  });

  composer.command('digest', async (ctx) => {
    if (!(await allowed(ctx))) return;
    const messages = messagesOf(ctx);
    const chatId = register(ctx);
    if (store.listTopics(chatId).length === 0 && store.pendingItems(chatId).length === 0) {
      return reply(ctx, messages.subscriptions.listEmpty);
    }
    const digest = queueDigest({ store, outbox }, chatId, clock.now());
    if (digest) {
      options.wake(); // the digest itself is the answer; it follows within a second
      return;
    }
    return reply(ctx, messages.subscriptions.digestNothingNew(describeDelivery(store.getSettings(chatId)!)));
  });

  composer.command('settings', async (ctx) => {
    const messages = messagesOf(ctx);
    const texts = messages.subscriptions;
    const request = parseSettingsArgument(argumentOf(ctx));
    if (request.kind === 'usage') return reply(ctx, texts.settingsUsage);
    if (request.kind === 'bad-time') return reply(ctx, texts.badDigestTime(truncateText(request.value, 30)));
    if (request.kind === 'change' && !(await allowed(ctx))) return;
    const chatId = register(ctx);
    let lead: string | undefined;
    let flushed = 0;
    if (request.kind === 'change') {
      const applied = applySettings(chatId, request.patch, messages);
      if (!applied) return reply(ctx, texts.settingsUsage);
      ({ lead, flushed } = applied);
    }
    const panel = renderSettingsPanel(store.getSettings(chatId)!, messages, lead);
    await ctx.reply(panel.text, { ...SEND_EXTRA, reply_markup: { inline_keyboard: panel.keyboard } });
    if (flushed > 0) await reply(ctx, texts.flushingHeld(flushed));
  });

  composer.command('export', async (ctx) => {
    const texts = messagesOf(ctx).subscriptions;
    const chatId = register(ctx);
    const json = exportSubscriptions(store, chatId, clock.now());
    try {
      await ctx.replyWithDocument({ source: Buffer.from(json, 'utf8'), filename: texts.exportFileName }, { caption: texts.exportCaption });
    } catch (error) {
      // The emulator and some self-hosted servers lack sendDocument: the same content as text.
      log.warn({ err: error, chatId }, 'export: could not send the document, sending text instead');
      await reply(ctx, texts.exportAsText);
      await reply(ctx, json);
    }
  });

  async function runImport(ctx: Context, source: ImportSource): Promise<void> {
    const texts = messagesOf(ctx).subscriptions;
    if (source.kind === 'none') return reply(ctx, texts.importUsage);
    if (!(await allowed(ctx))) return;
    let text: string;
    if (source.kind === 'document') {
      if (isTooLarge(source.document)) return reply(ctx, texts.importProblem('too-large'));
      try {
        text = await download(ctx, source.document);
      } catch (error) {
        log.warn({ err: error, chatId: ctx.chat?.id }, 'import: could not download the document');
        return reply(ctx, texts.importProblem('download-failed'));
      }
    } else {
      text = source.text;
    }
    const chatId = register(ctx);
    const result = importSubscriptions(store, chatId, extractJson(text), clock.now());
    if (!result.ok) return reply(ctx, texts.importProblem(result.problem));
    if (result.settingsApplied) flushHeld(chatId);
    return reply(ctx, texts.importDone(result.added, result.skipped, result.settingsApplied));
  }

  composer.command('import', (ctx) => runImport(ctx, importSource(ctx.message, argumentOf(ctx))));

  // A document with the caption /import, or a .json document sent alone in a private chat.
  composer.on('message', async (ctx, next) => {
    const message = ctx.message;
    if ('migrate_to_chat_id' in message && message.migrate_to_chat_id) {
      // The group became a supergroup: its subscriptions follow it before anything is sent there.
      store.migrateChat(ctx.chat.id, message.migrate_to_chat_id, clock.now());
      log.info({ from: ctx.chat.id, to: message.migrate_to_chat_id }, 'subscriptions: group moved to a supergroup');
      return;
    }
    if (!('document' in message) || !message.document) return next();
    const caption = message.caption?.trim() ?? '';
    const command = /^\/import(?:@(\S+))?(?:\s|$)/i.exec(caption);
    if (command && (!command[1] || command[1].toLowerCase() === ctx.me.toLowerCase())) {
      return runImport(ctx, importSource(message, argumentOf(ctx)));
    }
    const name = message.document.file_name ?? '';
    if (ctx.chat.type === 'private' && caption === '' && /\.json$/i.test(name)) return runImport(ctx, { kind: 'document', document: message.document });
    return next();
  });

  composer.on('callback_query', async (ctx, next) => {
    const query = ctx.callbackQuery;
    const action = 'data' in query && typeof query.data === 'string' ? decodeSubscriptionAction(query.data) : null;
    if (!action || !ctx.chat) return next();
    if (!(await allowed(ctx))) return;
    const messages = messagesOf(ctx);
    const texts = messages.subscriptions;
    const chatId = register(ctx);

    if (action.kind === 'remove') {
      const topic = store.listTopics(chatId).find((t) => t.id === action.topicId);
      const removed = topic !== undefined && store.removeTopic(chatId, action.topicId);
      await ctx.answerCbQuery(removed ? texts.unsubscribed(topic.query) : texts.topicGone);
      const list = topicList(chatId, messages);
      await editOrSend(ctx, list.text, list.keyboard);
      return;
    }

    const patch: SettingsPatch =
      action.kind === 'instant'
        ? { mode: 'instant' }
        : action.kind === 'daily'
          ? { mode: 'daily', ...(action.time ? { digestTime: action.time } : {}) }
          : { paused: action.paused };
    const applied = applySettings(chatId, patch, messages);
    await ctx.answerCbQuery(applied?.lead ?? texts.settingsUsage);
    const panel = renderSettingsPanel(store.getSettings(chatId)!, messages, applied?.lead);
    await editOrSend(ctx, panel.text, panel.keyboard);
    if (applied && applied.flushed > 0) await reply(ctx, texts.flushingHeld(applied.flushed));
  });

  /** Update the message the button was on; a message that cannot be edited gets a new one. */
  async function editOrSend(ctx: Context, text: string, keyboard: InlineKeyboard): Promise<void> {
    const extra = { ...SEND_EXTRA, reply_markup: { inline_keyboard: keyboard } };
    try {
      await ctx.editMessageText(text, extra);
    } catch (error) {
      if (/not modified/i.test((error as Error).message)) return;
      log.info({ err: error, chatId: ctx.chat?.id }, 'subscriptions: could not edit, sending anew');
      await ctx.reply(text, extra);
    }
  }

  return composer;
}
