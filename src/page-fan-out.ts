/**
 * New pages to readers: a page file is (re)indexed by the news core, then its items go through the
 * subscriptions fan-out, and the delivery worker is woken. Telegram-free.
 *
 * Which items count as new for a topic: those the bot indexes for the first time after the topic
 * was created. `seen_items` records every item a fan-out has looked at, and the bot fans out the
 * whole archive at startup (before it takes any update) and every page right after indexing it, so
 * - the very first start marks the whole archive as seen with nobody subscribed: nothing is pushed;
 * - a new subscriber gets only items indexed after subscribing (old matches are counted, not sent);
 * - pages that arrived while the bot was down are new at the next start and are pushed then;
 * - a changed page sends only items that were not there before, and not even those when they are a
 *   new version of a story the chat already has (same page, kind and headline: see `storyKey`).
 */
import type { Logger } from 'pino';
import type { News } from './news.js';
import type { Clock } from './subscriptions/clock.js';
import { toFanOutItems, type FanOutReport } from './subscriptions/fan-out.js';
import type { Subscriptions } from './subscriptions/subscriptions.js';

/** The news core as the fan-out uses it. */
export type FanOutNews = Pick<News, 'allItems' | 'pageItems' | 'updatePage' | 'matchTopic'>;

export interface PageFanOutDeps {
  news: FanOutNews;
  /** Either store: on PostgreSQL the first replica to see an item fans it out, the others find it seen. */
  subscriptions: Pick<Subscriptions, 'fanOut'>;
  clock: Clock;
  /** Called when messages were queued (the SQLite worker's `wake`; on PostgreSQL the jobs follow the commit). */
  wake: () => void;
  log: Logger;
}

/**
 * Fan out every item of the archive (startup): only items no earlier fan-out saw act.
 * @example await fanOutArchive(deps) // { newItems: 0, ... } on a restart with no new pages
 */
export async function fanOutArchive(deps: PageFanOutDeps): Promise<FanOutReport> {
  const items = deps.news.allItems();
  const { outboxIds: _ids, ...report } = await deps.subscriptions.fanOut(toFanOutItems(items), deps.news.matchTopic, deps.clock.now());
  if (report.messages > 0) deps.wake();
  deps.log.info({ items: items.length, ...report }, 'fan-out at startup');
  return report;
}

/**
 * Index one page file and fan out its items. Items already seen are skipped by the fan-out, so
 * fanning out the whole page (not only the added ids) also finishes a fan-out that failed before.
 * A page that cannot be read leaves the old items serving and sends nothing.
 * @throws when the fan-out's database write fails (the watcher logs it and tries the page again).
 */
export async function fanOutPage(deps: PageFanOutDeps, file: string): Promise<FanOutReport | null> {
  const { news, log } = deps;
  const update = await news.updatePage(file);
  if (update.skipped) return null;
  const { outboxIds: _ids, ...report } = await deps.subscriptions.fanOut(toFanOutItems(news.pageItems(file)), news.matchTopic, deps.clock.now());
  log.info({ file, added: update.added.length, removed: update.removed.length, ...report }, 'page indexed and fanned out');
  if (report.messages > 0) deps.wake();
  return report;
}
