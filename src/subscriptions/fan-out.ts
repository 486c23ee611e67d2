/**
 * Fan-out: when a page's items are indexed, find for every active chat and topic the matching items
 * that chat has not had, and queue them: instant chats get one outbox message per page, daily (and
 * paused) chats get them held for their next digest. Produces outbox rows, never Telegram calls.
 */
import type { Item } from '../pages/item.js';
import type { ContentTopic, Outbox, OutboxContent, QueuedItem } from './outbox.js';
import type { PendingItem, Subscriber, SubscriptionStore } from './store.js';

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

/** What a fan-out will write, decided before writing (the same for both stores). */
export interface FanOutPlan {
  /** Matches held for a digest (daily or paused chats). */
  hold: PendingItem[];
  /** One instant message per chat and page. */
  messages: Array<{ chatId: number; content: OutboxContent; items: QueuedItem[] }>;
  duplicates: number;
  /** Chats with at least one new match. */
  chats: number;
}

/**
 * Decide, for fresh items (not seen by an earlier fan-out, in page order), what each subscriber
 * gets: one match per distinct topic however many chats share it; an item matching several of a
 * chat's topics is listed once, under the oldest; items the chat already has (by id or story) are
 * counted as duplicates. Pure apart from `match` and `isKnown`.
 */
export function planFanOut(
  subscribers: readonly Subscriber[],
  fresh: ReadonlyMap<string, FanOutItem>,
  match: MatchTopic,
  isKnown: (chatId: number, itemId: string, storyKey: string) => boolean,
  now: number,
): FanOutPlan {
  const plan: FanOutPlan = { hold: [], messages: [], duplicates: 0, chats: 0 };
  const freshIds = [...fresh.keys()];
  const position = new Map(freshIds.map((id, i) => [id, i]));
  const matches = new Map<string, string[]>();
  for (const sub of subscribers) {
    for (const topic of sub.topics) {
      if (matches.has(topic.key)) continue;
      const found = match(topic.query, freshIds).filter((id) => fresh.has(id));
      matches.set(topic.key, [...new Set(found)].sort((a, b) => position.get(a)! - position.get(b)!));
    }
  }
  for (const sub of subscribers) {
    const chatId = sub.chat.id;
    const taken = new Set<string>();
    const byPage = new Map<string, ContentTopic[]>();
    let chatHadMatch = false;
    for (const topic of sub.topics) {
      for (const itemId of matches.get(topic.key) ?? []) {
        if (taken.has(itemId)) continue;
        taken.add(itemId);
        const item = fresh.get(itemId)!;
        if (isKnown(chatId, itemId, item.storyKey)) {
          plan.duplicates += 1;
          continue;
        }
        chatHadMatch = true;
        // Paused chats keep their matches for /digest or the next daily digest.
        if (sub.settings.mode === 'daily' || sub.settings.paused) {
          plan.hold.push({ chatId, itemId, storyKey: item.storyKey, topicId: topic.id, page: item.page, createdAt: now });
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
      const items = topics.flatMap((t) => t.itemIds.map((itemId) => ({ itemId, storyKey: fresh.get(itemId)!.storyKey })));
      plan.messages.push({ chatId, content: { kind: 'instant', page, topics }, items });
    }
    if (chatHadMatch) plan.chats += 1;
  }
  return plan;
}

/** The first occurrence of each item id, in order. */
export function distinctItems(items: readonly FanOutItem[]): Map<string, FanOutItem> {
  const byId = new Map<string, FanOutItem>();
  for (const item of items) if (!byId.has(item.id)) byId.set(item.id, item);
  return byId;
}

/**
 * Match new items against every topic and queue what each chat has not had (SQLite). Items an
 * earlier fan-out already saw are ignored, so feeding the whole index again (at startup) only acts
 * on pages that arrived meanwhile. Everything is decided and written in one transaction.
 */
export function fanOut(deps: FanOutDeps, items: readonly FanOutItem[], now: number): FanOutReport & { outboxIds: number[] } {
  const { store, outbox, match } = deps;
  const db = store.db;
  const report = { newItems: 0, messages: 0, queuedItems: 0, heldItems: 0, duplicates: 0, chats: 0, outboxIds: [] as number[] };
  const seen = db.prepare('SELECT 1 FROM seen_items WHERE item_id = ?').pluck();
  const markSeen = db.prepare('INSERT OR IGNORE INTO seen_items (item_id, seen_at) VALUES (?, ?)');
  db.transaction(() => {
    const fresh = new Map([...distinctItems(items)].filter(([id]) => seen.get(id) === undefined));
    report.newItems = fresh.size;
    if (fresh.size === 0) return;
    const plan = planFanOut(store.subscribers(), fresh, match, (chatId, itemId, key) => store.isKnownToChat(chatId, itemId, key), now);
    report.duplicates = plan.duplicates;
    report.chats = plan.chats;
    for (const held of plan.hold) if (store.addPending(held)) report.heldItems += 1;
    for (const message of plan.messages) {
      const id = outbox.enqueue(message.chatId, message.content, message.items, now);
      if (id === null) continue;
      report.messages += 1;
      report.queuedItems += message.items.length;
      report.outboxIds.push(id);
    }
    for (const id of fresh.keys()) markSeen.run(id, now);
  }).immediate();
  return report;
}
