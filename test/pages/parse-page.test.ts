import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePage } from '../../src/pages/parse-page.js';
import { SEED_ARTICLES, SEED_FILE, SEED_PHOTOS } from '../fixtures/seed-articles.js';

const seedText = readFileSync(new URL(`../../seeds/${SEED_FILE}`, import.meta.url), 'utf8');
const seed = parsePage(seedText, SEED_FILE);

describe('parsePage on the seed page', () => {
  it('finds 9 articles and 2 photo captions in reading order', () => {
    expect(seed.items.map((i) => [i.kind, i.title])).toEqual([
      ['article', '工业发展稳中有进'],
      ['photo', '开化县重视茶产业技能人才培养'],
      ['photo', '学技术 提能力'],
      ['article', '推进医保服务 保障人民健康'],
      ['article', '开放大学新鲜事'],
      ['article', '为民解忧 服务有温度'],
      ['article', '“湖枫清警”护平安'],
      ['article', '移民社区 幸福生活'],
      ['article', '“鲜辣常山”品牌重塑'],
      ['article', '企业诉求 直达快办'],
      ['article', '产业同心 服务五星'],
    ]);
    expect(seed.items.map((i) => i.source)).toEqual(seed.items.map((_, index) => ({ file: SEED_FILE, index })));
  });

  const articles = seed.items.filter((i) => i.kind === 'article');
  it.each(SEED_ARTICLES.map((a, n) => [a.title, n] as const))('reads article %s exactly', (_title, n) => {
    const expected = SEED_ARTICLES[n]!;
    const actual = articles[n]!;
    expect(actual.title).toBe(expected.title);
    expect(actual.subtitle).toBe(expected.subtitle);
    expect(actual.authors).toEqual(expected.authors);
    expect(actual.photographers).toEqual([]);
    expect(actual.paragraphs).toEqual(expected.paragraphs);
    expect(actual.date).toBeNull();
    expect(actual.counties).toEqual([]);
    expect(actual.county).toBeNull();
  });

  const photos = seed.items.filter((i) => i.kind === 'photo');
  it.each(SEED_PHOTOS.map((p, n) => [p.title, n] as const))('reads photo caption %s as its own item', (_title, n) => {
    const expected = SEED_PHOTOS[n]!;
    const actual = photos[n]!;
    expect(actual.title).toBe(expected.title);
    expect(actual.subtitle).toBeNull();
    expect(actual.authors).toEqual([]);
    expect(actual.photographers).toEqual(expected.photographers);
    expect(actual.paragraphs).toEqual(expected.paragraphs);
  });

  it('reads the subheadline, the byline with a three-character name, and the photographers', () => {
    expect(articles[0]!.subtitle).toBe('前三季度衢州智造新城实现工业产值超1190亿元');
    expect(articles[5]!.authors).toEqual(['诸葛琦', '吴征东']);
    expect(photos[0]!.photographers).toEqual(['徐翰文', '毛宇轩']);
    expect(photos[1]!.photographers).toEqual(['郑毓', '周俊楠']);
    expect(photos[0]!.paragraphs[0]).toBe(
      '开化县重视茶产业技能人才培养，依托技能大师工作室以“师带徒”模式大力培育年轻茶人。图为“全国技能能手”李群勇师傅正在指导徒弟手工炒制茶叶。',
    );
    // The caption above the first article's neighbour is not part of that article.
    expect(articles[0]!.paragraphs.join('')).not.toContain('茶');
  });

  it('joins paragraphs cut by column breaks with no space', () => {
    expect(articles[0]!.paragraphs[1]).toMatch(/^今年以来，作为衢州市工业的主战场、主平台、主引擎的智造新城通过激发企业活力/);
    expect(articles[2]!.paragraphs[4]).toBe(
      '汪土伟是6户菜农之一，看着转来的卖菜款，他高兴地说：“我身体不太好，没法出去务工，只能在家种点菜。现在给开放大学老师供菜，一个月能增加400多元收入。”',
    );
    expect(articles[3]!.paragraphs[5]).toContain('到今年年底能够腾出5720亩土地');
  });

  it('moves the end of 移民社区 幸福生活 back out of “鲜辣常山”品牌重塑, in order, and joins the cut paragraph across it', () => {
    expect(articles[5]!.paragraphs.slice(3)).toEqual([
      '“目前共富工坊共入驻了5家电商企业，涵盖电子商务、服装纺织、来料加工等多个领域，为社区居民提供了150余个就业岗位，每年发放工资280多万元。”池淮镇相关负责人陈侃介绍，他们正全力推进招商引资工作，让更多的居民实现家门口就业。',
      '今年以来，星新社区创建了“星新的约会”党建品牌，打造了星新社区党群服务中心及星新会客室、星新共富坊、星新加油站、星新充电宝、星新童趣园、星新互助社、星新好好说等“1+7”主题场景，初步建成“15分钟生活服务圈”。社区还制订“五色户籍册”，组建“池淮老娘舅”融调解队，建立“常规事项立即约、一般事项定期约、重大事项联席约”的约会制度，将问题处置化解在社区。并联合当地农商行上线“善治银行”，将建言献策、志愿服务等融入积分体系，量化社区居民参与治理服务贡献度，目前，整个社区共有39位民情联络员和78名志愿者。',
      '从“形融”到“心融”，星新社区居民的获得感、幸福感、安全感和认同感不断增强。',
    ]);
    expect(articles[6]!.paragraphs).toHaveLength(4);
    expect(articles[6]!.paragraphs[2]).toContain('围绕衢州市委推动衢州特色餐饮“走出去”和常山县委打响');
    expect(articles[6]!.paragraphs.join('')).not.toMatch(/星新|池淮/);
    expect(seed.report.blocksMoved).toBe(3);
  });

  it('reports what it did', () => {
    // 18 joins: 17 column breaks inside articles plus 衢州特 / 色餐饮 across the moved run.
    expect(seed.report).toEqual({ items: 11, paragraphsJoined: 18, blocksMoved: 3, warnings: [] });
    expect(seed.derivedTitleIds).toEqual([photos[0]!.id]);
  });

  it('gives every item a short, unique id safe in a Telegram button', () => {
    const ids = seed.items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]{10}$/);
  });

  it('gives the same ids on a re-parse and different ids for the same text under another file name', () => {
    expect(parsePage(seedText, SEED_FILE).items.map((i) => i.id)).toEqual(seed.items.map((i) => i.id));
    const other = parsePage(seedText, 'other.txt').items.map((i) => i.id);
    expect(other.filter((id) => seed.items.some((i) => i.id === id))).toEqual([]);
  });
});
