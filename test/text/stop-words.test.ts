import { describe, expect, it } from 'vitest';
import { isStopWord } from '../../src/text/stop-words.js';

describe('isStopWord', () => {
  it('knows the Chinese function words', () => {
    for (const w of ['的', '了', '和', '是', '在', '等', '与', '及', '以及', '我们', '这']) expect(isStopWord(w)).toBe(true);
  });

  it('counts punctuation, symbols, emoji and whitespace as stop words', () => {
    for (const w of ['，', '。', '“', '》', '……', ',', '<', '&', ' ', '\u3000', '\n', '', '😀', '·']) {
      expect(isStopWord(w)).toBe(true);
    }
  });

  it('keeps content words, names, numbers and latin words', () => {
    for (const w of ['医保', '停车场', '硅烷', '江山', '1190', 'drgs', '有效', '社区']) expect(isStopWord(w)).toBe(false);
  });
});
