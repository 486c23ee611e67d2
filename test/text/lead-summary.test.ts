import { describe, expect, it } from 'vitest';
import { leadSummary } from '../../src/text/lead-summary.js';

describe('lead summary (shown until the ranked one arrives)', () => {
  it('takes the lead sentences that fit, in order, at most three', () => {
    expect(leadSummary(['第一句话。第二句话。', '第三句话。第四句话。'], 120)).toBe('第一句话。第二句话。第三句话。');
    expect(leadSummary(['第一句话。第二句话比较长一些。第三句。'], 12)).toBe('第一句话。第三句。');
  });

  it('cuts an over-long first sentence at a clause and keeps a quotation whole or leaves it', () => {
    const long = `${'衢州市'.repeat(10)}，${'开化县'.repeat(10)}，${'江山市'.repeat(10)}。`;
    const summary = leadSummary([long], 70);
    expect(summary.length).toBeLessThanOrEqual(70);
    expect(summary.endsWith('…')).toBe(true);
    expect(long.startsWith(summary.slice(0, -1))).toBe(true);
    const quoted = leadSummary(['“这是一句引语。还有一句。”他说。后面的话。'], 120);
    expect(quoted.startsWith('“这是一句引语。还有一句。”')).toBe(true);
  });

  it('reads only the lead of a very long text, and is empty for no text', () => {
    const sentences = Array.from({ length: 5000 }, (_, i) => `第${i}句。`).join('');
    const started = performance.now();
    expect(leadSummary([sentences], 120).startsWith('第0句。第1句。第2句。')).toBe(true);
    expect(performance.now() - started).toBeLessThan(200);
    expect(leadSummary([], 120)).toBe('');
  });
});
