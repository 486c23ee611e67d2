/**
 * The delivery worker's `Sender` on Telegram: one `sendMessage` per rendered part, and telegraf's
 * errors translated into the `SendError` kinds the worker acts on. Telegram's refusals (the API said
 * no) are kept apart from failures on the way (the call did not complete).
 */
import { TelegramError, type Telegram } from 'telegraf';
import type { Sender } from '../subscriptions/delivery.js';
import type { RenderedMessage } from '../subscriptions/outbox.js';
import { SendError, type SendFailure } from '../subscriptions/send-error.js';
import type { InlineKeyboard } from './keyboards.js';

/** What `render-digest.ts` stores in the outbox: HTML text and, optionally, buttons. */
export interface OutboxMessage extends RenderedMessage {
  text: string;
  keyboard?: InlineKeyboard;
}

// 400s that mean the chat is gone for good, like a 403: Telegram answers "chat not found" with 400.
const GONE = /chat not found|user not found|peer_id_invalid|bot was kicked|bot was blocked|user is deactivated|have no rights to send|not enough rights to send|channel_private|group chat was deactivated/i;

/**
 * The delivery outcome a telegraf error stands for.
 * @example toSendFailure(new TelegramError({ ok: false, error_code: 429, description: 'Too Many Requests', parameters: { retry_after: 7 } }))
 *          // { kind: 'retry-after', seconds: 7 }
 */
export function toSendFailure(error: unknown): SendFailure {
  if (error instanceof SendError) return error.failure;
  if (error instanceof TelegramError) {
    const code = error.code;
    const description = error.description ?? error.message;
    const parameters = error.parameters;
    if (parameters?.migrate_to_chat_id !== undefined) return { kind: 'migrated', newChatId: Number(parameters.migrate_to_chat_id) };
    if (code === 429) return { kind: 'retry-after', seconds: Math.max(1, Number(parameters?.retry_after) || 1) };
    if (code === 403) return { kind: 'forbidden', description };
    if (code === 400 && GONE.test(description)) return { kind: 'forbidden', description };
    // 5xx (and the emulator's 500 for what it does not implement) are failures on the way.
    if (code >= 500) return { kind: 'network', description: `${code} ${description}` };
    return { kind: 'other', description: `${code} ${description}` };
  }
  // No response at all: connection refused or reset, DNS, timeout (node-fetch's FetchError, AbortError).
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'network', description: message };
}

export interface TelegramSenderOptions {
  /** Called with each failure before it is handed to the worker (for logs). */
  onFailure?: (chatId: number, failure: SendFailure) => void;
}

/**
 * @example
 * const sender = createTelegramSender(bot.telegram);
 * new DeliveryWorker({ sender, render, ... });
 */
export function createTelegramSender(telegram: Telegram, options: TelegramSenderOptions = {}): Sender {
  return {
    async send(chatId, message) {
      const { text, keyboard } = message as OutboxMessage;
      try {
        await telegram.sendMessage(chatId, text, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(Array.isArray(keyboard) && keyboard.length > 0 ? { reply_markup: { inline_keyboard: keyboard } } : {}),
        });
      } catch (error) {
        const failure = toSendFailure(error);
        options.onFailure?.(chatId, failure);
        throw new SendError(failure, { cause: error });
      }
    },
  };
}
