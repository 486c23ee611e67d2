import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/text/sentences.js';
import { readSeedArticles } from './seed-articles.js';

describe('splitSentences', () => {
  it('ends sentences at 。！？', () => {
    expect(splitSentences('学生把菜卖给老师，学校还支持这事！听闻这件事。真的吗？')).toEqual([
      '学生把菜卖给老师，学校还支持这事！',
      '听闻这件事。',
      '真的吗？',
    ]);
  });

  it('keeps a closing quote on the sentence it closes', () => {
    expect(splitSentences('“客户反响挺好，产品供不应求。”公司总工程师刘勤智介绍。')).toEqual([
      '“客户反响挺好，产品供不应求。”',
      '公司总工程师刘勤智介绍。',
    ]);
    expect(splitSentences('她说：「好。」『对！』（完。）下一句')).toEqual(['她说：「好。」', '『对！』', '（完。）', '下一句']);
    expect(splitSentences('他说：‘行。’然后走了。')).toEqual(['他说：‘行。’', '然后走了。']);
  });

  it('treats runs of end marks and the ellipsis as one end', () => {
    expect(splitSentences('真的吗？！太好了！！！设备进场安装中……产业链加速发展。')).toEqual([
      '真的吗？！',
      '太好了！！！',
      '设备进场安装中……',
      '产业链加速发展。',
    ]);
    expect(splitSentences('他问：“是吗？……”没人回答。')).toEqual(['他问：“是吗？……”', '没人回答。']);
  });

  it('does not end a sentence at an ellipsis followed by a comma', () => {
    expect(splitSentences('缝侧缝、剪线头……，经过10余道工序。')).toEqual(['缝侧缝、剪线头……，经过10余道工序。']);
  });

  it('does not split inside numbers', () => {
    const text = '智造新城规上工业实现产值1190.1亿元，同比增长4.8%；累计完成投资42.8亿元。下一句。';
    expect(splitSentences(text)).toEqual(['智造新城规上工业实现产值1190.1亿元，同比增长4.8%；累计完成投资42.8亿元。', '下一句。']);
    expect(splitSentences('产值1190。1亿元。')).toEqual(['产值1190。1亿元。']);
  });

  it('keeps a final fragment without an end mark', () => {
    expect(splitSentences('近2个月，江山市已经收集汇总问题建议1815件。力争')).toEqual([
      '近2个月，江山市已经收集汇总问题建议1815件。',
      '力争',
    ]);
    expect(splitSentences('没有句号')).toEqual(['没有句号']);
    expect(splitSentences('')).toEqual([]);
  });

  it('ends a sentence at a line break and keeps whitespace on the sentence before', () => {
    expect(splitSentences('第一段\n\n第二段。 第三句。  ')).toEqual(['第一段\n\n', '第二段。 ', '第三句。  ']);
  });

  it('handles straight quotes by pairs', () => {
    expect(splitSentences('他说"好。"然后"走吧。"')).toEqual(['他说"好。"', '然后"走吧。"']);
    expect(splitSentences('好。"引文"开头')).toEqual(['好。', '"引文"开头']);
  });

  it('gives back the input when the sentences are joined (property)', () => {
    const chinese = fc.constantFrom(...'我们的社区。！？…”’」』）)"\n 1.2，、；：衢州abc😀');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: chinese }), fc.string({ unit: 'binary' })), (s) => {
        const sentences = splitSentences(s);
        return sentences.join('') === s && sentences.every((x) => x !== '');
      }),
      { numRuns: 1000 },
    );
  });

  it('splits every seed paragraph into sentences that join back', () => {
    for (const { paragraphs } of readSeedArticles()) {
      for (const p of paragraphs) {
        const sentences = splitSentences(p);
        expect(sentences.join('')).toBe(p);
        // Only the last piece may lack an end mark.
        for (const s of sentences.slice(0, -1)) expect(s).toMatch(/[。！？…][”’」』）]*$/);
      }
    }
  });
});
