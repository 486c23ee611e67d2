/**
 * `/settings` as data and text: what a typed argument asks for, and the panel (summary and buttons)
 * that shows a chat's delivery settings. Pure; the handler in `subscription-commands.ts` applies it.
 */
import type { DeliveryDescription, Messages } from '../i18n/messages.js';
import { isValidDigestTime, type ChatSettings, type SettingsPatch } from '../subscriptions/store.js';
import type { InlineKeyboard } from './keyboards.js';
import { bold, plain, toHtml } from './rich-text.js';
import { encodeSubscriptionAction } from './subscription-callback-data.js';

/** Digest times offered as buttons; any other is typed: `/settings 时间 07:30`. */
export const DIGEST_TIME_CHOICES = ['07:00', '08:00', '12:00', '18:00', '21:00'] as const;

export type SettingsRequest =
  | { kind: 'show' }
  | { kind: 'change'; patch: SettingsPatch }
  | { kind: 'bad-time'; value: string }
  | { kind: 'usage' };

/**
 * What `/settings <argument>` asks for (Chinese or English words, `7:30`, `07：30`).
 * @example parseSettingsArgument('时间 07:30') // { kind: 'change', patch: { mode: 'daily', digestTime: '07:30' } }
 */
export function parseSettingsArgument(argument: string): SettingsRequest {
  // Any run of spaces or line breaks is one space: a reader may type `每日\n07:30`.
  const text = argument.normalize('NFKC').replace(/\s+/gu, ' ').trim().toLowerCase();
  if (text === '') return { kind: 'show' };
  if (/^(即时|即时推送|立即|instant)$/.test(text)) return { kind: 'change', patch: { mode: 'instant' } };
  if (/^(每日|每天|每日摘要|摘要|daily|digest)$/.test(text)) return { kind: 'change', patch: { mode: 'daily' } };
  if (/^(暂停|暂停推送|pause)$/.test(text)) return { kind: 'change', patch: { paused: true } };
  if (/^(恢复|继续|恢复推送|resume)$/.test(text)) return { kind: 'change', patch: { paused: false } };
  const timed = /^(?:(?:时间|定时|time|每日|每天|daily|at)\s*)?(.*)$/.exec(text)!;
  const value = timed[1]!.trim();
  const clock = /^(\d{1,2})(?::(\d{2}))?(?:点)?$/.exec(value);
  if (clock) {
    const digestTime = `${clock[1]!.padStart(2, '0')}:${clock[2] ?? '00'}`;
    if (isValidDigestTime(digestTime)) return { kind: 'change', patch: { mode: 'daily', digestTime } };
    return { kind: 'bad-time', value: argument.trim() };
  }
  if (timed[0] !== value || value === '') return { kind: 'bad-time', value: value || argument.trim() };
  return { kind: 'usage' };
}

export function describeDelivery(settings: Pick<ChatSettings, 'mode' | 'digestTime' | 'timeZone' | 'paused'>): DeliveryDescription {
  return { mode: settings.mode, digestTime: settings.digestTime, timeZone: settings.timeZone, paused: settings.paused };
}

const CHECK = '✓ ';

/** The settings panel: summary, hint and buttons; `lead` (e.g. "已保存") goes first when given. */
export function renderSettingsPanel(
  settings: Pick<ChatSettings, 'mode' | 'digestTime' | 'timeZone' | 'paused'>,
  messages: Messages,
  lead?: string,
): { text: string; keyboard: InlineKeyboard } {
  const texts = messages.subscriptions;
  const d = describeDelivery(settings);
  const rich = [...(lead ? [bold(lead), plain('\n\n')] : []), plain(texts.settingsSummary(d)), plain('\n\n'), plain(texts.settingsHint)];
  const mark = (on: boolean, label: string) => (on ? CHECK + label : label);
  const keyboard: InlineKeyboard = [
    [
      { text: mark(d.mode === 'instant', texts.buttons.instant), callback_data: encodeSubscriptionAction({ kind: 'instant' }) },
      { text: mark(d.mode === 'daily', texts.buttons.daily), callback_data: encodeSubscriptionAction({ kind: 'daily', time: null }) },
    ],
    DIGEST_TIME_CHOICES.map((time) => ({
      text: mark(d.mode === 'daily' && d.digestTime === time, texts.buttons.time(time)),
      callback_data: encodeSubscriptionAction({ kind: 'daily', time }),
    })),
    [
      d.paused
        ? { text: texts.buttons.resume, callback_data: encodeSubscriptionAction({ kind: 'pause', paused: false }) }
        : { text: texts.buttons.pause, callback_data: encodeSubscriptionAction({ kind: 'pause', paused: true }) },
    ],
  ];
  return { text: toHtml(rich), keyboard };
}
