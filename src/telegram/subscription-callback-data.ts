/**
 * Buttons of the subscription commands. Their data starts with `x`, which `callback-data.ts` never
 * makes, so the two sets cannot be confused; a topic is named by its database id, never its text.
 */

export type SubscriptionAction =
  /** Remove one topic (from /subscriptions or /unsubscribe). */
  | { kind: 'remove'; topicId: number }
  /** Instant pushes. */
  | { kind: 'instant' }
  /** Daily digest at `time` (`HH:MM`), or at the chat's current time when null. */
  | { kind: 'daily'; time: string | null }
  | { kind: 'pause'; paused: boolean };

/**
 * @example encodeSubscriptionAction({ kind: 'daily', time: '07:30' }) // 'xd:0730'
 */
export function encodeSubscriptionAction(action: SubscriptionAction): string {
  switch (action.kind) {
    case 'remove':
      return `xr:${action.topicId}`;
    case 'instant':
      return 'xi';
    case 'daily':
      return action.time === null ? 'xd' : `xd:${action.time.replace(':', '')}`;
    case 'pause':
      return action.paused ? 'xp:1' : 'xp:0';
  }
}

/** The action, or null when the data is not a subscription button. */
export function decodeSubscriptionAction(data: string): SubscriptionAction | null {
  const remove = /^xr:(\d{1,15})$/.exec(data);
  if (remove) return { kind: 'remove', topicId: Number(remove[1]) };
  if (data === 'xi') return { kind: 'instant' };
  if (data === 'xd') return { kind: 'daily', time: null };
  const daily = /^xd:([01]\d|2[0-3])([0-5]\d)$/.exec(data);
  if (daily) return { kind: 'daily', time: `${daily[1]}:${daily[2]}` };
  if (data === 'xp:1' || data === 'xp:0') return { kind: 'pause', paused: data === 'xp:1' };
  return null;
}
