import { describe, expect, it } from 'vitest';
import { decodeSubscriptionAction, encodeSubscriptionAction, type SubscriptionAction } from '../../src/telegram/subscription-callback-data.js';
import { decodeCallback } from '../../src/telegram/callback-data.js';
import { parseSettingsArgument } from '../../src/telegram/subscription-settings.js';

describe('parseSettingsArgument', () => {
  it.each([
    ['', { kind: 'show' }],
    ['即时', { kind: 'change', patch: { mode: 'instant' } }],
    ['每日', { kind: 'change', patch: { mode: 'daily' } }],
    ['时间 07:30', { kind: 'change', patch: { mode: 'daily', digestTime: '07:30' } }],
    ['时间 7：05', { kind: 'change', patch: { mode: 'daily', digestTime: '07:05' } }],
    ['21:00', { kind: 'change', patch: { mode: 'daily', digestTime: '21:00' } }],
    ['8点', { kind: 'change', patch: { mode: 'daily', digestTime: '08:00' } }],
    ['time 06:45', { kind: 'change', patch: { mode: 'daily', digestTime: '06:45' } }],
    ['暂停', { kind: 'change', patch: { paused: true } }],
    ['Resume', { kind: 'change', patch: { paused: false } }],
    ['时间 25:00', { kind: 'bad-time', value: '时间 25:00' }],
    ['时间 早上', { kind: 'bad-time', value: '早上' }],
    ['时间', { kind: 'bad-time', value: '时间' }],
    ['随便', { kind: 'usage' }],
  ])('%s', (argument, expected) => {
    expect(parseSettingsArgument(argument)).toEqual(expected);
  });
});

describe('subscription button data', () => {
  const actions: SubscriptionAction[] = [
    { kind: 'remove', topicId: 123456 },
    { kind: 'instant' },
    { kind: 'daily', time: null },
    { kind: 'daily', time: '07:30' },
    { kind: 'pause', paused: true },
    { kind: 'pause', paused: false },
  ];
  it('round-trips, stays under 64 bytes, and is never taken for a search-list button', () => {
    for (const action of actions) {
      const data = encodeSubscriptionAction(action);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(decodeSubscriptionAction(data)).toEqual(action);
      expect(decodeCallback(data)).toBeNull();
    }
    expect(decodeSubscriptionAction('xd:2500')).toBeNull();
    expect(decodeSubscriptionAction('a:abc')).toBeNull();
  });
});
