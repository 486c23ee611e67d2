/**
 * Pushes and digests as Telegram messages: a title, then each topic's items (headline, county and
 * date, summary) with a button per item to read it. Pure: the items come from `lookup`.
 *
 * Guarantees: every message has 1–4,096 visible characters and at most `MAX_ITEMS_PER_MESSAGE`
 * buttons, all text is escaped, a topic split over two messages repeats its heading, items that left
 * the index are left out, and nothing renders to an empty list (the outbox then cancels the row).
 */
import type { IndexedItem } from '../pages/item.js';
import type { Messages } from '../i18n/messages.js';
import type { OutboxContent } from '../subscriptions/outbox.js';
import { encodeCallback } from './callback-data.js';
import type { InlineKeyboard, KeyboardButton } from './keyboards.js';
import { itemMeta } from './render-html.js';
import { MESSAGE_MAX_LENGTH, bold, italic, plain, richLength, toHtml, trimRich, truncateRich, truncateText, type Rich } from './rich-text.js';
import type { OutboxMessage } from './telegram-sender.js';

/** Buttons (and so items) per message: a long keyboard is hard to use on a phone. */
export const MAX_ITEMS_PER_MESSAGE = 15;
/** Room kept in continuation messages for the "（续 2/3）" line. */
const MARKER_ROOM = 24;
const SUMMARY_MAX = 300;
const BUTTON_TITLE_MAX = 24;
const SEPARATOR = '\n\n';

export interface RenderDigestOptions {
  messages: Messages;
  /** The item behind an id, or undefined when it left the index. */
  lookup: (itemId: string) => IndexedItem | undefined;
  /** Visible characters per message (Telegram's 4,096 unless a test asks for less). */
  maxLength?: number;
}

interface Block {
  rich: Rich;
  /** The item this block shows (null for a topic heading). */
  item: { id: string; n: number; title: string } | null;
  topicIndex: number;
}

function itemBlock(entry: IndexedItem, n: number, messages: Messages, max: number): Rich {
  const { item } = entry;
  const rich: Rich = [bold(`${n}. ${item.title}`), plain('\n'), italic(itemMeta(item, messages))];
  const summary = entry.summary.trim();
  if (summary) rich.push(plain('\n'), plain(truncateText(summary, SUMMARY_MAX)));
  // Never more than a fraction of a message, so every message can hold a heading and an item.
  return truncateRich(rich, Math.floor(max / 3));
}

function readButton(id: string, n: number, title: string, messages: Messages): KeyboardButton | null {
  const data = encodeCallback({ kind: 'article', id });
  return data === null ? null : { text: messages.readButton(n, truncateText(title, BUTTON_TITLE_MAX)), callback_data: data };
}

/**
 * @example renderOutboxContent(row.content, { messages: zh, lookup: (id) => news.archive.snapshot.byId.get(id) })
 */
export function renderOutboxContent(content: OutboxContent, options: RenderDigestOptions): OutboxMessage[] {
  const { messages, lookup } = options;
  const texts = messages.subscriptions;
  const max = options.maxLength ?? MESSAGE_MAX_LENGTH;
  const room = Math.max(40, max - MARKER_ROOM);

  const blocks: Block[] = [];
  const headings: Rich[] = [];
  const shown = new Set<string>();
  let n = 0;
  content.topics.forEach((topic, topicIndex) => {
    const entries = topic.itemIds
      .filter((id) => !shown.has(id))
      .map((id) => lookup(id))
      .filter((e): e is IndexedItem => e !== undefined);
    headings.push(truncateRich([bold(texts.topicHeading(topic.query))], Math.floor(room / 4)));
    if (entries.length === 0) return;
    blocks.push({ rich: headings[topicIndex]!, item: null, topicIndex });
    for (const entry of entries) {
      shown.add(entry.item.id);
      n += 1;
      blocks.push({ rich: itemBlock(entry, n, messages, room), item: { id: entry.item.id, n, title: entry.item.title }, topicIndex });
    }
  });
  if (n === 0) return [];

  const title: Rich = [bold(content.kind === 'instant' ? texts.pushTitle(n) : texts.digestTitle(n))];
  const parts: Array<{ rich: Rich; length: number; buttons: KeyboardButton[]; items: number }> = [];
  let current = { rich: [...title], length: richLength(title), buttons: [] as KeyboardButton[], items: 0 };
  let currentTopic = -1;
  const add = (rich: Rich): void => {
    if (current.length > 0) current.rich.push(plain(SEPARATOR));
    current.rich.push(...rich);
    current.length += (current.length > 0 ? SEPARATOR.length : 0) + richLength(rich);
  };
  blocks.forEach((block, i) => {
    if (block.item === null) {
      // A heading goes with its first item: start a new message if both do not fit.
      const next = blocks[i + 1]!;
      const needed = SEPARATOR.length * 2 + richLength(block.rich) + richLength(next.rich);
      if (current.items > 0 && (current.length + needed > room || current.items >= MAX_ITEMS_PER_MESSAGE)) {
        parts.push(current);
        current = { rich: [], length: 0, buttons: [], items: 0 };
      }
      add(block.rich);
      currentTopic = block.topicIndex;
      return;
    }
    const needed = SEPARATOR.length + richLength(block.rich);
    if (current.items > 0 && (current.length + needed > room || current.items >= MAX_ITEMS_PER_MESSAGE)) {
      parts.push(current);
      current = { rich: [], length: 0, buttons: [], items: 0 };
      add(headings[currentTopic]!); // the topic continues: say which one it is
    }
    add(block.rich);
    current.items += 1;
    const button = readButton(block.item.id, block.item.n, block.item.title, messages);
    if (button) current.buttons.push(button);
  });
  parts.push(current);

  return parts.map((part, i) => {
    const rich = i === 0 ? part.rich : [italic(texts.continued(i + 1, parts.length)), plain('\n'), ...part.rich];
    const text = toHtml(trimRich(truncateRich(trimRich(rich), max)));
    const keyboard: InlineKeyboard = part.buttons.map((b) => [b]);
    return keyboard.length > 0 ? { text, keyboard } : { text };
  });
}
