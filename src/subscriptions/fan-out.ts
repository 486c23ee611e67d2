/**
 * Fan-out: when a page's items are indexed, find for every active chat and topic the matching items
 * that chat has not had, and queue them: instant chats get one outbox message per page, daily (and
 * paused) chats get them held for their next digest. Produces outbox rows, never Telegram calls.
 */
import type { Item } from '../pages/item.js';
import type { ContentTopic, Outbox } from './outbox.js';
import type { SubscriptionStore } from './store.js';

/**
 * The search core's matching, with `/search` semantics: which of `itemIds` the query matches,
 * in any order. Injected so this module knows nothing about the index.
 */
export type MatchTopic = (query: string, itemIds: string[]) => string[];

/** An item as the fan-out needs it. */
export interface FanOutItem {
  id: string;
  /**
   * Stays the same when a page is edited and the item's id (content-derived) changes, so a reader
   * who got the old version is not sent the new one. See `storyKey`.
   */
  storyKey: string;
  /** The page file: one instant message per chat per page. */
  page: string;
}

export interface FanOutReport {
  /** Items not seen by an earlier fan-out. */
  newItems: number;
  /** Instant messages queued (one per chat per page). */
  messages: number;
  /** (chat, item) pairs in those messages. */
  queuedItems: number;
  /** (chat, item) pairs held for a digest. */
  heldItems: number;
  /** Matches left out because the chat already has the item or its story. */
  duplicates: number;
  /** Chats with at least one new match. */
  chats: number;
}

export interface FanOutDeps {
  store: SubscriptionStore;
  outbox: Outbox;
  match: MatchTopic;
}

/**
 * The same story on the same page keeps its key through edits: page file, kind and headline
 * (whitespace and width folded). A moved or retitled article counts as new.
 * @example storyKey(item) // '000_6151b1adbe3a5f5a.txt|article|衢州新闻'
 */
export function storyKey(item: Pick<Item, 'kind' | 'title' | 'source'>): string {
  const title = item.title.normalize('NFKC').replace(/\s+/g, '');
  return `${item.source.file}|${item.kind}|${title}`;
}

/** @example fanOut(deps, toFanOutItems(pageItems), clock.now()) */
export function toFanOutItems(items: readonly Item[]): FanOutItem[] {
  return items.map((item) => ({ id: item.id, storyKey: storyKey(item), page: item.source.file }));
}

/**
 * Match new items against every topic and queue what each chat has not had. Items an earlier
 * fan-out already saw are ignored, so feeding the whole index again (at startup) only acts on
 * pages that arrived meanwhile. Everything is written in one transaction.
 */
export function fanOut(deps: FanOutDeps, items: readonly FanOutItem[], now: number): FanOutReport {
  const { store, outbox, match } = deps;
  const db = store.db;
  const report: FanOutReport = { newItems: 0, messages: 0, queuedItems: 0, heldItems: 0, duplicates: 0, chats: 0 };

  const seen = db.prepare('SELECT 1 FROM seen_items WHERE item_id = ?').pluck();
  const fresh = new Map<string, FanOutItem>();
  for (const item of items) if (!fresh.has(item.id) && seen.get(item.id) === undefined) fresh.set(item.id, item);
  report.newItems = fresh.size;
  if (fresh.size === 0) return report;
  const freshIds = [...fresh.keys()];
  const position = new Map(freshIds.map((id, i) => [id, i]));

  const subscribers = store.subscribers();
  // One match per distinct topic, however many chats share it.
  const matches = new Map<string, string[]>();
  for (const sub of subscribers) {
    for (const topic of sub.topics) {
      if (matches.has(topic.key)) continue;
      const found = match(topic.query, freshIds).filter((id) => fresh.has(id));
      matches.set(topic.key, [...new Set(found)].sort((a, b) => position.get(a)! - position.get(b)!));
    }
  }

  const markSeen = db.prepare('INSERT OR IGNORE INTO seen_items (item_id, seen_at) VALUES (?, ?)');
  db.transaction(() => {
    for (const sub of subscribers) {
      const chatId = sub.chat.id;
      // An item matching several topics is listed once, under the oldest topic.
      const taken = new Set<string>();
      const byPage = new Map<string, ContentTopic[]>();
      let chatHadMatch = false;
      for (const topic of sub.topics) {
        for (const itemId of matches.get(topic.key) ?? []) {
          if (taken.has(itemId)) continue;
          taken.add(itemId);
          const item = fresh.get(itemId)!;
          if (store.isKnownToChat(chatId, itemId, item.storyKey)) {
            report.duplicates += 1;
            continue;
          }
          chatHadMatch = true;
          // Paused chats keep their matches for /digest or the next daily digest.
          if (sub.settings.mode === 'daily' || sub.settings.paused) {
            const held = store.addPending({
              chatId,
              itemId,
              storyKey: item.storyKey,
              topicId: topic.id,
              page: item.page,
              createdAt: now,
            });
            if (held) report.heldItems += 1;
            continue;
          }
          const topics = byPage.get(item.page) ?? [];
          let entry = topics.find((t) => t.topicId === topic.id);
          if (!entry) {
            entry = { topicId: topic.id, query: topic.query, itemIds: [] };
            topics.push(entry);
          }
          entry.itemIds.push(itemId);
          byPage.set(item.page, topics);
        }
      }
      for (const [page, topics] of byPage) {
        const queued = topics.flatMap((t) => t.itemIds.map((itemId) => ({ itemId, storyKey: fresh.get(itemId)!.storyKey })));
        const id = outbox.enqueue(chatId, { kind: 'instant', page, topics }, queued, now);
        if (id !== null) {
          report.messages += 1;
          report.queuedItems += queued.length;
        }
      }
      if (chatHadMatch) report.chats += 1;
    }
    for (const id of freshIds) markSeen.run(id, now);
  }).immediate();
  return report;
}
