/**
 * The shape of a message catalogue: every text a reader can see, in one place per language.
 * Texts are plain (no HTML, no Markdown): each adapter escapes and decorates them itself.
 * Texts that take values are functions, so a translation can reorder them.
 */
import type { ListCommand, LoadingNote, ProblemAnswer, ProblemCode } from '../answers/answer.js';
import type { OperatorStats } from '../operator/stats.js';
import { en } from './en.js';
import { zh } from './zh.js';

export type Language = 'zh' | 'en';

/** One command as shown in /help and in the client's command menu. */
export interface CommandHelp {
  /** Without the slash, `a-z0-9_` (Telegram's rule for setMyCommands). */
  command: string;
  /** Short description for the menu (1–256 characters). */
  description: string;
  /** A complete example the reader can copy, e.g. `/search 医保`. */
  example: string;
}

/** What a results header needs to say (mirrors the fields of a `ResultsAnswer`). */
export interface ResultsHeading {
  command: ListCommand;
  query: string;
  county: string | null;
  total: number;
  page: number;
  pageCount: number;
}

/** How a chat gets its news, as the subscription texts describe it. */
export interface DeliveryDescription {
  mode: 'instant' | 'daily';
  digestTime: string;
  timeZone: string;
  paused: boolean;
}

/** Why an imported topic was left out (mirrors the core's `SkipReason`). */
export type ImportSkipReason = 'duplicate' | 'limit' | 'empty' | 'too-long' | 'invalid';

/** Why an import was refused as a whole. */
export type ImportProblem = 'too-large' | 'not-json' | 'wrong-format' | 'unsupported-version' | 'download-failed';

/** Everything the subscription commands, pushes and digests say (issue 5). */
export interface SubscriptionTexts {
  /** /subscribe with nothing after it: what to write, with examples. */
  subscribeUsage: string;
  subscribed(query: string, matchesNow: number, delivery: DeliveryDescription): string;
  alreadySubscribed(query: string): string;
  topicLimit(max: number): string;
  topicTooLong(max: number): string;
  /** The topic has no word the search can use (only punctuation, emoji or stop words). */
  noSearchableWords(query: string): string;

  /** Heading of /subscriptions and /unsubscribe. */
  listTitle(count: number, max: number): string;
  listEmpty: string;
  listFooter: string;
  /** The button that removes one topic. */
  removeButton(query: string): string;
  unsubscribed(query: string): string;
  notSubscribed(query: string): string;
  /** A remove button pressed for a topic that is already gone. */
  topicGone: string;

  /** /digest with nothing held. */
  digestNothingNew(delivery: DeliveryDescription): string;

  /** One line per setting, for /settings. */
  settingsSummary(delivery: DeliveryDescription): string;
  settingsHint: string;
  settingsUsage: string;
  badDigestTime(value: string): string;
  /** A settings change took effect (button answer and reply). */
  settingsSaved(delivery: DeliveryDescription): string;
  /** Items held while paused (or for the daily digest) that are sent now the chat switched back. */
  flushingHeld(count: number): string;
  buttons: { instant: string; daily: string; pause: string; resume: string; time(time: string): string };

  adminOnly: string;
  adminCheckFailed: string;

  exportCaption: string;
  /** Shown before the JSON when the file could not be sent as a document. */
  exportAsText: string;
  exportFileName: string;
  importUsage: string;
  importProblem(problem: ImportProblem): string;
  importDone(added: readonly string[], skipped: ReadonlyArray<{ query: string; reason: ImportSkipReason }>, settingsApplied: boolean): string;

  /** Title of an instant push. */
  pushTitle(items: number): string;
  /** Title of a digest. */
  digestTitle(items: number): string;
  /** Heading of one topic's items in a push or digest. */
  topicHeading(query: string): string;
  /** Marker on the continuation messages of a long digest: "（续 2/3）". */
  continued(part: number, parts: number): string;
}

/** What the operator sees (/stats, for ADMIN_IDS only). */
export interface OperatorTexts {
  /** The whole /stats answer; moments shown in `timeZone`. */
  stats(stats: OperatorStats, timeZone: string): string;
  /** When the figures could not be gathered (the database failed). */
  statsFailed(reason: string): string;
}

export interface Messages {
  language: Language;

  /** Three lines on what the bot does, shown by /start before the command list. */
  greeting: string;
  /** The heading above the command list in /help and /start. */
  helpTitle: string;
  /** Every command, in menu order, with an example (subscription commands included). */
  commands: readonly CommandHelp[];
  /** Closing line of /help (tips: plain text is a search, syntax). */
  helpFooter: string;

  /** Problem texts, one per `ProblemCode` of the core. */
  problem: Record<ProblemCode, (problem: ProblemAnswer) => string>;

  /** Title of a result list: search query, latest, or the county. */
  listTitle(heading: ResultsHeading): string;
  /** "找到 N 篇，第 p/P 页". */
  resultsHeader(total: number, page: number, pageCount: number): string;
  /** Under a list (or the county counts) while older pages are still loading: it may miss older items. */
  stillLoading(note: LoadingNote): string;
  /** First line when a search found nothing. */
  noResults(query: string, county: string | null): string;
  /** Lead-in for close words that do match something. */
  suggestionsLead: string;
  /** Lead-in for the county list after a failed search. */
  browseCountiesLead: string;

  /** Heading of the county list (/county with no name). */
  countyListHeader: string;
  /** When /county named something that is not a county. */
  unknownCounty(name: string): string;
  /** One county line or button: "开化县 12 篇". */
  countyCount(name: string, count: number): string;
  /** The line for items that belong to no county. */
  cityLevelCount(count: number): string;
  /** Hint under the county list. */
  countyListFooter: string;

  unknownCommand(command: string): string;
  rateLimited: string;
  expired: string;
  apology: string;
  /** Inline mode: title of the single hint entry when the query is empty or matched nothing. */
  inlineHint(query: string): string;
  /** Inline mode: description of that hint entry. */
  inlineHintDescription: string;

  labels: {
    previousPage: string;
    nextPage: string;
    readFull: string;
    fullText: string;
    /** Photographer credit suffix: "张三 摄". */
    photographer: string;
    /** Where a county would be, for a city-level item. */
    cityLevel: string;
    /** The county button/filter for all city-level items. */
    cityWide: string;
    undated: string;
    keywords: string;
    summary: string;
    /** Author line prefix. */
    author: string;
    photo: string;
  };

  /** A page date `YYYY-MM-DD` as the reader reads dates; null → the undated label. */
  formatDate(isoDate: string | null): string;
  /** Byline: "作者：张三、李四". */
  byline(authors: readonly string[]): string;
  /** Photo credit: "张三 王五 摄". */
  photoCredit(photographers: readonly string[]): string;
  /** Button label to read result number `n` (1-based on the page). */
  readButton(n: number, title: string): string;
  /** Above a search list found without every word whole (see `ResultsAnswer.match`). */
  matchNote(match: 'words' | 'partial' | 'near'): string;
  /** The 相关报道 button under an article. */
  relatedButton: string;
  /** Head of the related-items answer, and what it says when there are none. */
  relatedTitle(title: string): string;
  relatedNone: string;
  /** Inline mode: a completion entry that searches `word` (`count` items). */
  inlineCompletion(word: string, count: number): string;
  /** Marker on the continuation messages of a long article: "（续 2/3）". */
  articlePart(part: number, parts: number): string;
  /** The list joiner: "、" in Chinese, ", " in English. */
  listSeparator: string;

  subscriptions: SubscriptionTexts;
  operator: OperatorTexts;
}

/**
 * The catalogue for a Telegram `language_code`: English for `en`, `en-US`…, Simplified Chinese otherwise.
 * @example messagesFor(ctx.from?.language_code).greeting
 */
export function messagesFor(languageCode?: string | null): Messages {
  return languageCode && /^en\b/i.test(languageCode) ? en : zh;
}

/** The catalogues by language, e.g. to set the command menu for each. */
export const catalogues: Readonly<Record<Language, Messages>> = { zh, en };

/** Plain-text /help: title, one line per command with its example, footer. Shared by both adapters. */
export function helpText(messages: Messages): string {
  const lines = messages.commands.map((c) => `/${c.command} — ${c.description}  ${exampleLabel(messages)}${c.example}`);
  return [messages.helpTitle, ...lines, '', messages.helpFooter].join('\n');
}

function exampleLabel(messages: Messages): string {
  return messages.language === 'zh' ? '例：' : 'e.g. ';
}
