import { describe, expect, it } from 'vitest';
import { dictionaryWords, spansWord } from '../../src/pages/dictionary-words.js';
import { readJunction } from '../../src/pages/paragraph-break.js';
import { parsePage } from '../../src/pages/parse-page.js';

const words = dictionaryWords();
const joins = (before: string, after: string) => readJunction(before, after, words).join;

describe('readJunction: a column break or a paragraph end?', () => {
  it('joins the seed page\'s own column breaks', () => {
    expect(joins('今年以来，作为衢州市工业的主战', '场、主平台、主引擎的智造新城通过激发企业活力。')).toBe(true);
    expect(joins('因具有成本低、纯度高等优势，一经推出就得到市场认可。“客户反', '响挺好，产品供不应求。”')).toBe(true);
    expect(joins('实行“周一联络、一月一协商”，', '每周责任处室收集意见建议。')).toBe(true);
    expect(joins('“对未解决的问题，已编制任务书、', '路线图、时间表，明确责任处室和时间节点。”')).toBe(true);
    expect(joins('衢州市柯城区航埠镇汪周村妇联主席、村', '委汪水玉在衢州开放大学学习交流中。')).toBe(true);
  });

  it('joins a short opening piece when a word spans the break or the next piece cannot open a paragraph', () => {
    expect(joins('先导集成电路关键材料与高端化合物半导', '体及器件模组项目东港片园区塔吊林立，已完成总进度30%。')).toBe(true);
    expect(joins('徐永君是常山县芳村镇', '人，杭州新侨饭店的员工。')).toBe(true);
    expect(joins('江山市全力推动解决群众的', '揪心事，用“民生温度”检验“教育成效”。')).toBe(true);
    expect(joins('他高兴地说：', '“我身体不太好，没法出去务工。”')).toBe(true);
  });

  it('keeps subheads that say what the next paragraph says, or split their phrases with a space', () => {
    expect(joins('国际人士：美国无视国际规则 实施霸权行径', '国际人士指出，美国为了维持霸权，无视国际规则，为所欲为。')).toBe(false);
    expect(joins('欧洲多国能源价格高企 民众生活成本上升', '受能源危机影响，欧洲多国生活成本飙升，民众负担沉重。')).toBe(false);
    expect(joins('联合国安理会就中东局势举行紧急会议', '联合国安理会3日就中东局势举行紧急会议，多国代表呼吁各方保持克制。')).toBe(false);
    expect(joins('衢江区：数字赋能乡村治理', '15日，衢江区召开数字乡村建设推进会，总结推广基层治理经验。')).toBe(false);
  });

  it('keeps a lead-in that ends with a colon, and list items that end with a semicolon', () => {
    expect(joins('会上宣读了表彰决定。决定全文如下：', '为表彰先进，市委市政府决定授予下列单位荣誉称号。')).toBe(false);
    expect(joins('授予柯城区“平安示范区”称号；', '授予龙游县“平安示范县”称号。')).toBe(false);
    // A paragraph cut after a semicolon has clauses before it: that is a column break.
    expect(joins('智造新城规上工业实现产值1190.1亿元，同比增长4.8%；', '新开工市重点项目43个。')).toBe(true);
  });

  it('never continues a sentence with a credit line', () => {
    expect(joins('从“形融”到“心融”，星新社区居民的获得感', '本报记者 刘洋 摄')).toBe(false);
    expect(joins('从“形融”到“心融”，星新社区居民的获得感', '责任编辑：何平')).toBe(false);
  });
});

describe('weak evidence', () => {
  it('joins a short line that nothing tells apart from a cut, and says so in the page report', () => {
    const junction = readJunction('龙游县举办首届乡村文化节', '来自全县各乡镇的文艺队伍带来了精彩的节目。', words);
    expect(junction).toMatchObject({ join: true, weak: true });
    const parsed = parsePage('# 文化周末\n\n龙游县举办首届乡村文化节\n\n来自全县各乡镇的文艺队伍带来了精彩的节目。', 'weak.txt');
    expect(parsed.items[0]!.paragraphs).toEqual(['龙游县举办首届乡村文化节来自全县各乡镇的文艺队伍带来了精彩的节目。']);
    expect(parsed.report.warnings).toEqual(['《文化周末》“…县举办首届乡村文化节”按栏断与下一段接续，证据不足，请核对']);
  });

  it('reports nothing where the evidence is clear', () => {
    expect(readJunction('今年以来，作为衢州市工业的主战', '场、主平台。', words).weak).toBe(false);
    expect(readJunction('国际人士：美国无视国际规则 实施霸权行径', '国际人士指出，美国无视国际规则。', words).weak).toBe(false);
  });
});

describe('spansWord', () => {
  it('finds a dictionary word across the junction, and none where the text breaks between words', () => {
    expect(spansWord('主战', '场、', words)).toBe(true);
    expect(spansWord('妇联主席、村', '委汪水玉', words)).toBe(true);
    expect(spansWord('实施霸权行径', '国际人士', words)).toBe(false);
    expect(spansWord('。', '国际', words)).toBe(false);
  });
});
