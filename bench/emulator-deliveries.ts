/**
 * What the emulator stored of the bot's messages, as the fan-out benches count it: messages per
 * chat (duplicates and losses) and their arrival times (rates and bursts).
 */

/** The emulator's stored bot messages, as far as these figures read them. */
export interface StoredMessages {
  storage: { botMessages: Array<{ message: { chat_id: unknown }; time: number }> };
}

/** Messages per chat id, and every message's arrival time (ms). */
export function deliveriesOf(server: StoredMessages): { perChat: Map<number, number>; times: number[] } {
  const perChat = new Map<number, number>();
  const times: number[] = [];
  for (const stored of server.storage.botMessages) {
    const chatId = Number(stored.message.chat_id);
    perChat.set(chatId, (perChat.get(chatId) ?? 0) + 1);
    times.push(stored.time);
  }
  return { perChat, times };
}

/** The most arrivals within any window of `windowMs`. */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
