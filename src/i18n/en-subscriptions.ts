/** English texts of subscriptions, pushes and digests (part of the `en` catalogue). */
import type { DeliveryDescription, ImportProblem, ImportSkipReason, SubscriptionTexts } from './messages.js';

function deliveryPhrase(d: DeliveryDescription): string {
  if (d.paused) return 'Pushes are paused: new articles are kept; send /digest to see them or resume in /settings.';
  return d.mode === 'instant' ? 'I will send new articles as soon as they appear.' : `New articles come in your daily digest at ${d.digestTime}.`;
}

const SKIP: Record<ImportSkipReason, string> = {
  duplicate: 'already subscribed',
  limit: 'over the limit of 20',
  empty: 'empty',
  'too-long': 'too long',
  invalid: 'not valid',
};

const PROBLEM: Record<ImportProblem, string> = {
  'too-large': 'That file is too large to be a subscriptions file from /export.',
  'not-json': 'I cannot read that file: it is not a subscriptions file from /export (JSON).',
  'wrong-format': 'That is not this bot’s subscriptions file. Please send the file /export made.',
  'unsupported-version': 'That file comes from a newer version of the bot and cannot be imported yet.',
  'download-failed': 'Downloading the file failed; please send it again later.',
};

export const enSubscriptions: SubscriptionTexts = {
  subscribeUsage: [
    'Write a topic after /subscribe, for example:',
    '/subscribe 开化',
    '/subscribe 停车场 江山',
    'Same syntax as search: words separated by spaces (all must appear); -word excludes; "…" is an exact phrase; a county name keeps to that county.',
  ].join('\n'),
  subscribed: (query, n, d) => `Subscribed to “${query}”. ${n} article(s) match now (/search ${query}).\n${deliveryPhrase(d)}`,
  alreadySubscribed: (query) => `You are already subscribed to “${query}”. See /subscriptions.`,
  topicLimit: (max) => `You can have at most ${max} topics. Remove some with /unsubscribe first.`,
  topicTooLong: (max) => `That topic is too long (at most ${max} characters). Use a few words, e.g. /subscribe 停车场 江山`,
  noSearchableWords: (query) => `“${query}” has no word I can search for. Try another, e.g. /subscribe 医保`,

  listTitle: (count, max) => `Your subscriptions (${count}/${max}):`,
  listEmpty: 'You have no subscriptions yet. For example: /subscribe 开化',
  listFooter: 'Press a button to remove that topic, or send /unsubscribe topic.',
  removeButton: (query) => `✕ ${query}`,
  unsubscribed: (query) => `Unsubscribed from “${query}”.`,
  notSubscribed: (query) => `You are not subscribed to “${query}”. See /subscriptions.`,
  topicGone: 'That subscription is already gone.',

  digestNothingNew: (d) =>
    d.mode === 'instant' && !d.paused
      ? 'Nothing new is waiting since your last digest (with instant pushes, new articles arrive as soon as their page is indexed).'
      : 'Nothing new since your last digest.',

  settingsSummary: (d) =>
    [
      `Delivery: ${d.mode === 'instant' ? 'instant pushes' : `daily digest at ${d.digestTime} (${d.timeZone})`}`,
      `Status: ${d.paused ? 'paused' : 'active'}`,
    ].join('\n'),
  settingsHint: 'Press a button, or send /settings time 07:30 to pick the digest time.',
  settingsUsage: 'Usage: /settings instant, /settings daily, /settings time 07:30, /settings pause, /settings resume.',
  badDigestTime: (value) => `“${value}” is not a valid time. Use 24-hour time, e.g. /settings time 07:30`,
  settingsSaved: (d) => `Saved. ${d.paused ? 'Pushes are paused.' : d.mode === 'instant' ? 'New articles come at once.' : `Digest every day at ${d.digestTime}.`}`,
  flushingHeld: (count) => `Sending the ${count} article(s) kept for you now.`,
  buttons: {
    instant: 'Instant',
    daily: 'Daily digest',
    pause: 'Pause',
    resume: 'Resume',
    time: (time) => time,
  },

  adminOnly: 'In a group only admins can change the subscriptions.',
  adminCheckFailed: 'I cannot check whether you are an admin right now; please try again later.',

  exportCaption: 'These are this chat’s subscriptions. Send this file back with the caption /import to restore them (here or in another chat).',
  exportAsText: 'The file could not be sent; here are the subscriptions as text. To import, send /import followed by this text (from { to }):',
  exportFileName: 'quzhou-news-subscriptions.json',
  importUsage: 'Send me the file from /export with the caption /import, reply /import to that file, or send /import followed by the exported text.',
  importProblem: (problem) => PROBLEM[problem],
  importDone: (added, skipped, settingsApplied) => {
    const lines = [added.length > 0 ? `Imported ${added.length} topic(s): ${added.join(', ')}` : 'No new topics imported.'];
    if (skipped.length > 0) lines.push(`Skipped ${skipped.length}: ${skipped.map((s) => `${s.query} (${SKIP[s.reason]})`).join(', ')}`);
    if (settingsApplied) lines.push('Delivery settings were taken from the file too.');
    return lines.join('\n');
  },

  pushTitle: (n) => `New in your topics (${n})`,
  digestTitle: (n) => `Your digest: ${n} new article(s)`,
  topicHeading: (query) => `Topic “${query}”`,
  continued: (part, parts) => `(continued ${part}/${parts})`,
};
