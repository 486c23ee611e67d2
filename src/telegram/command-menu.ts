/** The client's command menu (`setMyCommands`): Chinese by default, English for English clients. */
import type { Telegram } from 'telegraf';
import type { Logger } from 'pino';
import { catalogues, type Messages } from '../i18n/messages.js';

export interface MenuEntry {
  command: string;
  description: string;
}

/** The menu of one catalogue, limited to `only` when given (e.g. before the subscription commands exist). */
export function menuEntries(messages: Messages, only?: readonly string[]): MenuEntry[] {
  return messages.commands
    .filter((c) => !only || only.includes(c.command))
    .map((c) => ({ command: c.command, description: c.description.slice(0, 256) }));
}

/**
 * Set the menu in Chinese (default scope) and English (`language_code: 'en'`). A failure is a
 * logged warning, never a crash: the bot works without a menu.
 * @returns whether both menus were set.
 */
export async function setCommandMenus(telegram: Telegram, log: Logger, only?: readonly string[]): Promise<boolean> {
  let ok = true;
  for (const [languageCode, messages] of [[undefined, catalogues.zh], ['en', catalogues.en]] as const) {
    try {
      await telegram.setMyCommands(menuEntries(messages, only), languageCode ? { language_code: languageCode } : {});
    } catch (error) {
      ok = false;
      log.warn({ err: error, languageCode: languageCode ?? 'default' }, '无法设置命令菜单，机器人照常运行 / could not set the command menu; the bot runs without it');
    }
  }
  return ok;
}
