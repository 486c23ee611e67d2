import { describe, expect, it } from 'vitest';
import { catalogues, helpText, messagesFor } from '../../src/i18n/messages.js';
import { menuEntries } from '../../src/telegram/command-menu.js';

function shape(value: unknown): unknown {
  if (typeof value === 'function') return 'function';
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]).sort());
  return typeof value;
}

describe('message catalogues', () => {
  it('picks English for en* and Chinese otherwise', () => {
    expect(messagesFor('en').language).toBe('en');
    expect(messagesFor('en-GB').language).toBe('en');
    expect(messagesFor('zh-hans').language).toBe('zh');
    expect(messagesFor('ru').language).toBe('zh');
    expect(messagesFor(undefined).language).toBe('zh');
  });

  it('Chinese and English have the same shape and the same commands', () => {
    expect(shape(catalogues.en)).toEqual(shape(catalogues.zh));
    expect(catalogues.en.commands.map((c) => c.command)).toEqual(catalogues.zh.commands.map((c) => c.command));
  });

  it('has menu entries Telegram accepts (a-z0-9_, 1–32; descriptions 1–256)', () => {
    for (const messages of Object.values(catalogues)) {
      for (const entry of menuEntries(messages)) {
        expect(entry.command).toMatch(/^[a-z0-9_]{1,32}$/);
        expect(entry.description.length).toBeGreaterThan(0);
        expect(entry.description.length).toBeLessThanOrEqual(256);
      }
    }
    expect(menuEntries(catalogues.zh, ['search', 'help']).map((e) => e.command)).toEqual(['search', 'help']);
  });

  it('says the expiry and not-ready texts the spec gives', () => {
    expect(catalogues.zh.expired).toBe('这个结果已过期，请重新搜索');
    expect(catalogues.zh.resultsHeader(12, 1, 3)).toBe('找到 12 篇，第 1/3 页');
    expect(helpText(catalogues.zh)).toContain('/search — 搜索文章  例：/search 医保');
  });
});
