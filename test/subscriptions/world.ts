/** A real database in a temp folder, and the subscriptions parts built on it, for the tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../src/subscriptions/database.js';
import { Outbox, type RenderedMessage } from '../../src/subscriptions/outbox.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import type { FanOutItem, MatchTopic } from '../../src/subscriptions/fan-out.js';
import type { Render } from '../../src/subscriptions/delivery.js';

export const DEFAULTS = { digestTime: '08:00', timeZone: 'Asia/Shanghai' };

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'subs-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface World {
  dir: string;
  path: string;
  db: Database;
  store: SubscriptionStore;
  outbox: Outbox;
  close: () => void;
}

export function openWorld(dir = tempDir().dir, options: Parameters<typeof openDatabase>[1] = {}): World {
  const path = join(dir, 'data', 'bot.db');
  const db = openDatabase(path, options);
  return {
    dir,
    path,
    db,
    store: new SubscriptionStore(db, DEFAULTS),
    outbox: new Outbox(db),
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A small newspaper: item id → text the matcher searches. */
export class Corpus {
  readonly texts = new Map<string, string>();

  add(page: string, items: Array<{ id: string; title: string; body?: string }>): FanOutItem[] {
    return items.map((it) => {
      this.texts.set(it.id, `${it.title} ${it.body ?? ''}`);
      return { id: it.id, storyKey: `${page}|article|${it.title}`, page };
    });
  }

  /** Every word of the query must occur; `-词` must not (the /search rule for these tests). */
  readonly match: MatchTopic = (query, itemIds) => {
    const terms = query.split(/\s+/).filter(Boolean);
    return itemIds.filter((id) => {
      const text = this.texts.get(id) ?? '';
      return terms.every((t) => (t.startsWith('-') ? !text.includes(t.slice(1)) : text.includes(t)));
    });
  };
}

/** Renders the item ids as text, one message per `perMessage` items. */
export function idsRender(perMessage = 1000): Render {
  return (_chatId, content) => {
    const ids = content.topics.flatMap((t) => t.itemIds);
    const messages: RenderedMessage[] = [];
    for (let i = 0; i < ids.length; i += perMessage) messages.push({ text: ids.slice(i, i + perMessage).join(',') });
    return messages;
  };
}

export interface SentMessage {
  chatId: number;
  text: string;
  at: number;
}

/**
 * A Sender that keeps what it "sent" with the fake time; `script` may fail a call by returning a
 * SendError (or any error) for it, with the call number per chat (1-based).
 */
export class RecordingSender {
  readonly sent: SentMessage[] = [];
  readonly calls = new Map<number, number>();
  constructor(
    private readonly clock: { now(): number },
    private readonly script?: (chatId: number, call: number, text: string) => Error | undefined,
  ) {}

  async send(chatId: number, message: RenderedMessage): Promise<void> {
    const call = (this.calls.get(chatId) ?? 0) + 1;
    this.calls.set(chatId, call);
    const error = this.script?.(chatId, call, message.text);
    if (error) throw error;
    this.sent.push({ chatId, text: message.text, at: this.clock.now() });
  }
}
