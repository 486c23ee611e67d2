/**
 * Who may change a chat's subscriptions: anyone in a private chat (no API call, so the emulator,
 * which lacks `getChatMember`, is never asked), only admins in a group.
 */
import type { Context } from 'telegraf';

export type Permission = 'allowed' | 'denied' | 'unknown';

/** Telegram's stand-in sender for an admin who posts anonymously in a group. */
const GROUP_ANONYMOUS_BOT = 1087968824;

/**
 * @example if ((await mayChangeSubscriptions(ctx)) !== 'allowed') return reply(texts.adminOnly);
 * 'unknown' means Telegram could not be asked (network, missing rights): say so, change nothing.
 */
export async function mayChangeSubscriptions(ctx: Context): Promise<Permission> {
  const chat = ctx.chat;
  if (!chat) return 'denied';
  if (chat.type === 'private' || chat.type === 'channel') return 'allowed';
  const message = ctx.message ?? ctx.callbackQuery?.message;
  const senderChat = message && 'sender_chat' in message ? message.sender_chat : undefined;
  if (senderChat?.id === chat.id) return 'allowed'; // an anonymous admin speaks as the group itself
  const userId = ctx.from?.id;
  if (userId === undefined || userId === GROUP_ANONYMOUS_BOT) return 'denied';
  try {
    const member = await ctx.telegram.getChatMember(chat.id, userId);
    return member.status === 'creator' || member.status === 'administrator' ? 'allowed' : 'denied';
  } catch {
    return 'unknown';
  }
}
