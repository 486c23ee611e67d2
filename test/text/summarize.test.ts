import { beforeAll, describe, expect, it } from 'vitest';
import { createSegmenter, loadJiebaTables, type JiebaTables, type Segmenter } from '../../src/text/segmenter.js';
import { splitSentences } from '../../src/text/sentences.js';
import { isStopWord } from '../../src/text/stop-words.js';
import { extractKeywords, summarize, trimLeadIn } from '../../src/text/summarize.js';
import { readSeedArticles, type SeedArticle } from './seed-articles.js';

let seg: Segmenter;
let tables: JiebaTables;
let articles: SeedArticle[];

beforeAll(() => {
  seg = createSegmenter({ words: ['池淮镇', '星新社区'] });
  tables = loadJiebaTables();
  articles = readSeedArticles();
});

/** The whole sentences of an article, trimmed (lead-ins such as 近日， too), as the summary may use them. */
function sentencesOf(paragraphs: string[]): string[] {
  return paragraphs.flatMap((p) => splitSentences(p).map((s) => trimLeadIn(s.trim())));
}

/** True when `summary` is made of whole sentences of the article, in their original order. */
function isWholeSentences(summary: string, paragraphs: string[]): boolean {
  const text = paragraphs.join('');
  let rest = summary;
  let from = 0;
  for (const whole of paragraphs.flatMap((p) => splitSentences(p).map((s) => s.trim()))) {
    // A sentence may appear without its lead-in (近日，…) when it opens a summary unit.
    const sentence = rest.startsWith(whole) ? whole : trimLeadIn(whole);
    if (rest.startsWith(sentence)) {
      const at = text.indexOf(sentence, from);
      if (at < 0) return false;
      from = at + sentence.length;
      rest = rest.slice(sentence.length);
    }
  }
  return rest === '';
}

describe('summarize', () => {
  it('reads nine articles from the seed page', () => {
    expect(articles).toHaveLength(9);
  });

  it('gives each seed article one to three whole sentences within 120 characters', () => {
    for (const { title, paragraphs } of articles) {
      const summary = summarize(paragraphs, seg, { maxChars: 120 });
      expect(summary.length, title).toBeGreaterThan(0);
      expect(summary.length, title).toBeLessThanOrEqual(120);
      expect(isWholeSentences(summary, paragraphs), `${title}: ${summary}`).toBe(true);
      expect(splitSentences(summary).length, title).toBeLessThanOrEqual(6); // 3 units, a quote may hold 2
    }
  });

  it('stays within 60 characters when asked, cutting only a sentence longer than that, with …', () => {
    for (const { title, paragraphs } of articles) {
      const summary = summarize(paragraphs, seg, { maxChars: 60 });
      expect(summary.length, title).toBeLessThanOrEqual(60);
      if (summary.endsWith('…') && !isWholeSentences(summary, paragraphs)) {
        // A cut sentence: a prefix of one sentence (its lead-in and bracketed asides left out) that
        // did not fit, cut at a clause mark or, when none keeps most of the room, between characters.
        const cut = summary.slice(0, -1);
        const text = paragraphs.join('');
        const asidesOut = text.replace(/[（(][^（）()，。]{1,16}[）)]/gu, '');
        expect(text.includes(cut) || asidesOut.includes(cut), `${title}: ${summary}`).toBe(true);
        // A cut keeps most of the room: the unit it opens (a sentence, or a quotation with who said it) was longer.
        expect(summary.length, `${title}: ${summary}`).toBeGreaterThan(40);
      } else {
        expect(isWholeSentences(summary, paragraphs), `${title}: ${summary}`).toBe(true);
      }
    }
  });

  it('puts the gist first: the lead of a news story is chosen when it fits', () => {
    const parking = articles.find((a) => a.title.includes('为民解忧'))!;
    // The lead, without its 近日，: the date is beside every summary already.
    expect(summarize(parking.paragraphs, seg, { maxChars: 120 })).toMatch(/^在江山二中地下停车场项目施工现场/);
    const migrants = articles.find((a) => a.title.includes('移民社区'))!;
    expect(summarize(migrants.paragraphs, seg, { maxChars: 120 })).toContain('池淮镇星新社区');
  });

  it('keeps the chosen sentences in their original order and does not repeat content', () => {
    const paragraphs = [
      '衢州市医保局出台若干意见，推进医保服务。',
      '衢州市医保局出台若干意见，推进医保服务，保障人民健康。',
      '挂联工作小组共搜集到医院反馈的问题建议119条。',
    ];
    const summary = summarize(paragraphs, seg, { maxChars: 120 });
    expect(summary).not.toContain('推进医保服务。衢州市医保局出台若干意见，推进医保服务');
    const parts = splitSentences(summary);
    const positions = parts.map((p) => paragraphs.indexOf(p));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('returns a single short paragraph (a photo caption) whole', () => {
    const caption = '开化县重视茶产业技能人才培养，依托技能大师工作室以“师带徒”模式大力培育年轻茶人。';
    expect(summarize([caption], seg, { maxChars: 120 })).toBe(caption);
    expect(summarize(['  没有句号的图片说明  '], seg, { maxChars: 120 })).toBe('没有句号的图片说明');
  });

  it('cuts an over-long single sentence at the last clause boundary that fits, with …', () => {
    const sentence =
      '据统计，今年前三季度，智造新城规上工业实现产值1190.1亿元，同比增长4.8%；新开工市重点项目43个，累计完成投资42.8亿元，同比增长31.2%；新入库项目75个，计划固定资产投资266.8亿元，同比增长148.6%。';
    const summary = summarize([sentence], seg, { maxChars: 60 });
    expect(summary).toBe('据统计，今年前三季度，智造新城规上工业实现产值1190.1亿元，同比增长4.8%；新开工市重点项目43个…');
    expect(summary.length).toBeLessThanOrEqual(60);
  });

  it('cuts hard, with …, when no clause boundary fits', () => {
    const sentence = '先导集成电路关键材料与高端化合物半导体及器件模组项目东港片园区塔吊林立。';
    const summary = summarize([sentence], seg, { maxChars: 10 });
    expect(summary).toBe('先导集成电路关键材…');
  });

  it('never exceeds the limit, for any limit', () => {
    const { paragraphs } = articles[0]!;
    for (const maxChars of [1, 2, 5, 17, 33, 80, 200, 1000]) {
      expect(summarize(paragraphs, seg, { maxChars }).length).toBeLessThanOrEqual(maxChars);
    }
    expect(summarize(paragraphs, seg, { maxChars: 0 })).toBe('');
  });

  it('returns an empty summary for empty or blank text', () => {
    expect(summarize([], seg, { maxChars: 120 })).toBe('');
    expect(summarize(['', '  \n'], seg, { maxChars: 120 })).toBe('');
  });

  it('does not crash on messy input (punctuation only, emoji, HTML characters)', () => {
    expect(summarize(['。。。！！？？……'], seg, { maxChars: 120 }).length).toBeLessThanOrEqual(120);
    expect(summarize(['<b>&amp;</b> 😀😀😀'], seg, { maxChars: 5 }).length).toBeLessThanOrEqual(5);
  });
});

describe('summarize leads with the news', () => {
  it('opens 工业发展稳中有进 with what happened, not with 该公司负责人栗广奉介绍…', () => {
    const industry = articles.find((a) => a.title.includes('工业发展'))!;
    for (const maxChars of [40, 60, 120]) {
      const summary = summarize(industry.paragraphs, seg, { maxChars, title: industry.title });
      expect(summary, `${maxChars}`).not.toMatch(/^(该|他|她|此外|同时|其中)/);
      expect(summary, `${maxChars}`).not.toContain('该公司负责人栗广奉介绍');
    }
  });

  it('opens 推进医保服务 with its lead, the news, when headline words say so', () => {
    const medical = articles.find((a) => a.title.includes('推进医保服务'))!;
    expect(summarize(medical.paragraphs, seg, { maxChars: 120, title: medical.title })).toMatch(/^衢州市医疗保障局出台《衢州市医保局助力医疗领域高质量发展若干意见》/);
  });

  it('never opens with a sentence that points back (他, 该公司, 此外) unless the one before it comes too', () => {
    const paragraphs = [
      '衢州市柯城区召开优化营商环境大会，发布二十条惠企新政。',
      '该公司负责人表示，新政让企业的融资成本下降了三成，企业扩大生产的信心更足了，今年计划新增投资两亿元。',
      '此外，柯城区还将设立营商环境监督员，收集企业反映的问题，限时办结。',
    ];
    for (const maxChars of [30, 60, 200]) {
      const summary = summarize(paragraphs, seg, { maxChars, title: '柯城区发布惠企新政' });
      expect(summary, `${maxChars}`).toMatch(/^衢州市柯城区召开优化营商环境大会/);
    }
  });

  it('keeps the lead of a short news item, cut to the budget, rather than a later detail that fits', () => {
    const brief =
      '迈克生物披露定增结果，本次定增募集资金总额为15.74亿元，发行价格为28.11元/股，发行对象最终确定为17家，其中高毅资产获配近2.7亿元。公司股价上涨。';
    const summary = summarize([brief], seg, { maxChars: 40 });
    expect(summary.startsWith('迈克生物披露定增结果，本次定增募集资金总额为15.74亿元')).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(40);
  });

  it('trims datelines, lead-ins and bracketed credits, and writes who said it the way editors do', () => {
    expect(summarize(['新华社杭州10月31日电（记者 张伟）浙江省今年前三季度地区生产总值同比增长6.3%。（完）'], seg, { maxChars: 120 })).toBe(
      '浙江省今年前三季度地区生产总值同比增长6.3%。',
    );
    expect(summarize(['近日，记者从衢州市交通运输局获悉，衢州至丽水铁路衢州段已完成全部桥梁主体施工。'], seg, { maxChars: 120 })).toBe(
      '衢州至丽水铁路衢州段已完成全部桥梁主体施工。',
    );
    expect(summarize(['招商证券认为，开年以来市场调整较多，短期A股可能出现结构性反弹。'], seg, { maxChars: 120 })).toBe(
      '招商证券：开年以来市场调整较多，短期A股可能出现结构性反弹。',
    );
    expect(trimLeadIn('央视网消息（新闻联播）：国务院新闻办公室今天举行发布会。')).toBe('国务院新闻办公室今天举行发布会。');
    expect(trimLeadIn('近日，海峡股份公告，公司近日收到成品油价格补助资金1931万元。')).toBe('海峡股份：近日收到成品油价格补助资金1931万元。');
    expect(trimLeadIn('随着LPR（贷款市场报价利率）下调，多地房贷利率下降。')).toBe('随着LPR下调，多地房贷利率下降。');
  });

  it('weighs headline words: after a scene-setting opening, the sentence that carries them leads', () => {
    const paragraphs = [
      '秋日的傍晚，层林尽染，游人如织，绿道上不时传来孩子们的欢笑声。',
      '衢江区今年完成沿江生态修复工程十二公里，新建绿道八公里，江岸湿地面积增加一百二十公顷。',
      '附近居民说，每天傍晚都来散步，空气好了，心情也好了。',
      '游客们纷纷拿出手机拍照，记录美丽的秋景。',
    ];
    const summary = summarize(paragraphs, seg, { maxChars: 60, title: '衢江区完成沿江生态修复工程' });
    expect(summary).toMatch(/^衢江区今年完成沿江生态修复工程/);
    // Without the headline the lead of a short item is the news.
    expect(summarize(paragraphs, seg, { maxChars: 60 })).toMatch(/^秋日的傍晚/);
  });
});

describe('extractKeywords', () => {
  it('gives five keywords by default for each seed article: no stop words, numbers or duplicates', () => {
    for (const { title, paragraphs } of articles) {
      const keywords = extractKeywords(title, paragraphs, seg, tables);
      expect(keywords, title).toHaveLength(5);
      expect(new Set(keywords).size).toBe(keywords.length);
      for (const k of keywords) {
        expect(isStopWord(k), k).toBe(false);
        expect(k).not.toMatch(/^[\d.%]+$/);
      }
    }
  });

  it('honours the count and finds what the article is about', () => {
    const medical = articles.find((a) => a.title.includes('医保'))!;
    const keywords = extractKeywords(medical.title, medical.paragraphs, seg, tables, 3);
    expect(keywords).toHaveLength(3);
    expect(keywords[0]).toBe('医保');
    const chili = articles.find((a) => a.title.includes('鲜辣常山'))!;
    expect(extractKeywords(chili.title, chili.paragraphs, seg, tables)).toEqual(expect.arrayContaining(['鲜辣', '常山']));
  });

  it('gives back whole the names jieba splits (智造/新城, 开放/大学)', () => {
    const industry = articles.find((a) => a.title.includes('工业发展'))!;
    const university = articles.find((a) => a.title.includes('开放大学'))!;
    expect(extractKeywords(industry.title, industry.paragraphs, seg, tables)[0]).toBe('智造新城');
    const keywords = extractKeywords(university.title, university.paragraphs, seg, tables);
    expect(keywords).toContain('开放大学');
    expect(keywords).not.toContain('开放');
  });

  it('boosts headline words', () => {
    const paragraphs = ['衢州市医保局出台意见。医院反馈问题，医院解决问题，医院服务群众。'];
    expect(extractKeywords('停车场建设', paragraphs, seg, tables)[0]).toBe('停车场');
  });

  it('normalises its words and returns nothing for empty text', () => {
    expect(extractKeywords('醫保服務', ['醫保醫保'], seg, tables)).toContain('医保');
    expect(extractKeywords('', [], seg, tables)).toEqual([]);
  });
});
