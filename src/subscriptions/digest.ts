/**
 * Digests: what is new for a chat since its last digest, grouped by topic, as plain data. Used by
 * `/digest` on demand and by the daily schedule; queueing one moves the held items into the outbox.
 */
import type { ContentTopic, Outbox, OutboxContent } from './outbox.js';
import type { QueuedDigest } from './subscriptions.js';
import type { PendingItem, SubscriptionStore, Topic } from './store.js';

export interface DigestDeps {
  store: SubscriptionStore;
  outbox: Outbox;
}

/** The chat's held items grouped by its topics (topic order, then match order); null when none. */
export function collectDigest(store: SubscriptionStore, chatId: number): OutboxContent | null {
  return digestContent(store.pendingItems(chatId), store.listTopics(chatId));
}

/** Held items grouped by the chat's topics (topic order, then match order); null when none. Pure. */
export function digestContent(pending: readonly PendingItem[], chatTopics: readonly Topic[]): OutboxContent | null {
  if (pending.length === 0) return null;
  const topics: ContentTopic[] = [];
  for (const topic of chatTopics) {
    const itemIds = pending.filter((p) => p.topicId === topic.id).map((p) => p.itemId);
    if (itemIds.length > 0) topics.push({ topicId: topic.id, query: topic.query, itemIds });
  }
  return topics.length > 0 ? { kind: 'digest', page: null, topics } : null;
}

export type { QueuedDigest } from './subscriptions.js';

/**
 * Queue the chat's digest now: in one transaction the held items go into one outbox row, leave the
 * held list, and the chat's last digest time becomes `now`. Returns null when nothing was new
 * (the last digest time still moves, so an empty day sends nothing and is not retried).
 */
export function queueDigest(deps: DigestDeps, chatId: number, now: number): QueuedDigest | null {
  const { store, outbox } = deps;
  return store.db
    .transaction((): QueuedDigest | null => {
      const content = collectDigest(store, chatId);
      store.setLastDigest(chatId, now);
      if (!content) return null;
      const pending = new Map(store.pendingItems(chatId).map((p) => [p.itemId, p]));
      const items = content.topics.flatMap((t) =>
        t.itemIds.map((itemId) => ({ itemId, storyKey: pending.get(itemId)!.storyKey })),
      );
      store.clearPending(chatId, [...pending.keys()]);
      const outboxId = outbox.enqueue(chatId, content, items, now);
      if (outboxId === null) return null;
      return { outboxId, content: outbox.get(outboxId)!.content };
    })
    .immediate();
}
