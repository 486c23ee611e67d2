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
import { MAX_TOPICS_PER_CHAT, type ChatType, type SettingsPatch } from '../subscriptions/store.js';
import type { Subscriptions } from '../subscriptions/subscriptions.js';
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
  /** Chats, topics and settings: SQLite or PostgreSQL (see `subscriptions.ts`). */
  subscriptions: Subscriptions;
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
 * const bot = createBot({ ..., extensions: [createSubscriptionCommands({ subscriptions, parseQuery: news.parseQuery,
 *   countMatches: news.countMatches, wake: () => worker.wake(), clock: systemClock, log })] });
 */
export function createSubscriptionCommands(options: SubscriptionCommandsOptions): Composer<Context> {
  const { subscriptions: store, clock, log } = options;
  const download = options.download ?? downloadDocument;
  const composer = new Composer<Context>();
  const messagesOf = (ctx: Context): Messages => messagesFor(ctx.from?.language_code);

  async function reply(ctx: Context, text: string, keyboard?: InlineKeyboard): Promise<void> {
    const html = toHtml([plain(text)]);
    await ctx.reply(html, keyboard && keyboard.length > 0 ? { ...SEND_EXTRA, reply_markup: { inline_keyboard: keyboard } } : SEND_EXTRA);
  }

  /** The chat as the store knows it, created or revived on every command. */
  async function register(ctx: Context): Promise<number> {
    const chat = ctx.chat!;
    await store.registerChat({ id: chat.id, type: chat.type as ChatType, language: languageOf(ctx) }, clock.now());
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

  async function topicList(chatId: number, messages: Messages): Promise<{ text: string; keyboard: InlineKeyboard }> {
    const texts = messages.subscriptions;
    const topics = await store.listTopics(chatId);
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
    const chatId = await register(ctx);
    const list = await topicList(chatId, messagesOf(ctx));
    await ctx.reply(list.text, list.keyboard.length > 0 ? { ...SEND_EXTRA, reply_markup: { inline_keyboard: list.keyboard } } : SEND_EXTRA);
  }

  /** Held items are queued now when the chat is back to instant, unpaused delivery (the caller wakes the sender after its reply). Returns how many. */
  async function flushHeld(chatId: number): Promise<number> {
    const settings = await store.getSettings(chatId);
    if (!settings || settings.mode !== 'instant' || settings.paused) return 0;
    const digest = await store.queueDigest(chatId, clock.now());
    if (!digest) return 0;
    return digest.content.topics.reduce((n, t) => n + t.itemIds.length, 0);
  }

  /** Apply a settings change; the reader sees the saved line, the panel and what is sent now. */
  async function applySettings(chatId: number, patch: SettingsPatch, messages: Messages): Promise<{ lead: string; flushed: number } | null> {
    const result = await store.updateSettings(chatId, patch, clock.now());
    if (!result.ok) return null;
    const flushed = await flushHeld(chatId);
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
    const chatId = await register(ctx);
    const result = await store.addTopic(chatId, query, clock.now());
    switch (result.kind) {
      case 'added': {
        const settings = (await store.getSettings(chatId))!;
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
    const chatId = await register(ctx);
    const removed = await store.removeTopicByQuery(chatId, query);
    return reply(ctx, removed ? texts.unsubscribed(removed.query) : texts.notSubscribed(truncateText(query, 60)));
  });

  composer.command('digest', async (ctx) => {
    if (!(await allowed(ctx))) return;
    const messages = messagesOf(ctx);
    const chatId = await register(ctx);
    if ((await store.listTopics(chatId)).length === 0 && (await store.pendingItems(chatId)).length === 0) {
      return reply(ctx, messages.subscriptions.listEmpty);
    }
    const digest = await store.queueDigest(chatId, clock.now());
    if (digest) {
      options.wake(); // the digest itself is the answer; it follows within a second
      return;
    }
    return reply(ctx, messages.subscriptions.digestNothingNew(describeDelivery((await store.getSettings(chatId))!)));
  });

  composer.command('settings', async (ctx) => {
    const messages = messagesOf(ctx);
    const texts = messages.subscriptions;
    const request = parseSettingsArgument(argumentOf(ctx));
    if (request.kind === 'usage') return reply(ctx, texts.settingsUsage);
    if (request.kind === 'bad-time') return reply(ctx, texts.badDigestTime(truncateText(request.value, 30)));
    if (request.kind === 'change' && !(await allowed(ctx))) return;
    const chatId = await register(ctx);
    let lead: string | undefined;
    let flushed = 0;
    if (request.kind === 'change') {
      const applied = await applySettings(chatId, request.patch, messages);
      if (!applied) return reply(ctx, texts.settingsUsage);
      ({ lead, flushed } = applied);
    }
    const panel = renderSettingsPanel((await store.getSettings(chatId))!, messages, lead);
    await ctx.reply(panel.text, { ...SEND_EXTRA, reply_markup: { inline_keyboard: panel.keyboard } });
    if (flushed > 0) {
      await reply(ctx, texts.flushingHeld(flushed));
      options.wake();
    }
  });

  composer.command('export', async (ctx) => {
    const texts = messagesOf(ctx).subscriptions;
    const chatId = await register(ctx);
    const json = await exportSubscriptions(store, chatId, clock.now());
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
    const chatId = await register(ctx);
    const result = await importSubscriptions(store, chatId, extractJson(text), clock.now());
    if (!result.ok) return reply(ctx, texts.importProblem(result.problem));
    const flushed = result.settingsApplied ? await flushHeld(chatId) : 0;
    await reply(ctx, texts.importDone(result.added, result.skipped, result.settingsApplied));
    if (flushed > 0) options.wake();
  }

  composer.command('import', (ctx) => runImport(ctx, importSource(ctx.message, argumentOf(ctx))));

  // A document with the caption /import, or a .json document sent alone in a private chat.
  composer.on('message', async (ctx, next) => {
    const message = ctx.message;
    if ('migrate_to_chat_id' in message && message.migrate_to_chat_id) {
      // The group became a supergroup: its subscriptions follow it before anything is sent there.
      await store.migrateChat(ctx.chat.id, message.migrate_to_chat_id, clock.now());
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
    const chatId = await register(ctx);

    if (action.kind === 'remove') {
      const topic = (await store.listTopics(chatId)).find((t) => t.id === action.topicId);
      const removed = topic !== undefined && (await store.removeTopic(chatId, action.topicId));
      await ctx.answerCbQuery(removed ? texts.unsubscribed(topic.query) : texts.topicGone);
      const list = await topicList(chatId, messages);
      await editOrSend(ctx, list.text, list.keyboard);
      return;
    }

    const patch: SettingsPatch =
      action.kind === 'instant'
        ? { mode: 'instant' }
        : action.kind === 'daily'
          ? { mode: 'daily', ...(action.time ? { digestTime: action.time } : {}) }
          : { paused: action.paused };
    const applied = await applySettings(chatId, patch, messages);
    await ctx.answerCbQuery(applied?.lead ?? texts.settingsUsage);
    const panel = renderSettingsPanel((await store.getSettings(chatId))!, messages, applied?.lead);
    await editOrSend(ctx, panel.text, panel.keyboard);
    if (applied && applied.flushed > 0) {
      await reply(ctx, texts.flushingHeld(applied.flushed));
      options.wake();
    }
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
