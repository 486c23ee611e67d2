import { beforeAll, describe, expect, it } from 'vitest';
import { createCountyTagger, type CountyTags, type TaggableItem } from '../../src/places/county-tagger.js';
import { loadGazetteer, type Gazetteer } from '../../src/places/gazetteer.js';
import { readSeedBlocks, seedArticle } from './seed-articles.js';

let gaz: Gazetteer;
let tag: (item: TaggableItem) => CountyTags;

beforeAll(() => {
  gaz = loadGazetteer('衢州市');
  tag = createCountyTagger(gaz);
});

const body = (...paragraphs: string[]): TaggableItem => ({ title: '新闻', subtitle: null, paragraphs });

describe('county tagger on the seed page', () => {
  it.each([
    ['开放大学新鲜事', '柯城区'],
    ['为民解忧', '江山市'],
    ['湖枫清警', '龙游县'],
    ['移民社区', '开化县'],
    ['鲜辣常山', '常山县'],
    ['企业诉求', '开化县'],
    ['产业同心', '衢江区'],
  ])('puts %s in %s', (title, county) => {
    const tags = tag(seedArticle(title));
    expect(tags.county).toBe(county);
    expect(tags.counties[0]).toBe(county);
  });

  it('reads 开放大学新鲜事 through 柯城区, 航埠镇 and 汪周村 alone', () => {
    const article = seedArticle('开放大学新鲜事');
    const withoutCountyName = article.paragraphs.map((p) => p.replace('衢州市柯城区', ''));
    expect(tag({ ...article, paragraphs: withoutCountyName })).toEqual({ counties: ['柯城区'], county: '柯城区' });
  });

  it('does not read 江山 inside 衢江山农 (产业同心)', () => {
    expect(tag(seedArticle('产业同心')).counties).toEqual(['衢江区']);
  });

  it('finds 开化县 through 桐村镇 and 桐村 in 企业诉求', () => {
    const article = seedArticle('企业诉求');
    const withoutCounty = article.paragraphs.map((p) => p.replace('开化县', ''));
    expect(tag({ ...article, paragraphs: withoutCounty }).county).toBe('开化县');
  });

  it('keeps 鲜辣常山 in 常山县 whether or not the displaced 移民社区 paragraphs are put back', () => {
    const article = seedArticle('鲜辣常山');
    expect(tag(article).counties).toEqual(['常山县', '开化县']);
    const own = article.paragraphs.filter((p) => !/池淮|星新/u.test(p));
    expect(tag({ ...article, paragraphs: own })).toEqual({ counties: ['常山县'], county: '常山县' });
  });

  it('leaves the city-wide articles city-level', () => {
    expect(tag(seedArticle('推进医保服务'))).toEqual({ counties: [], county: null });
    expect(tag(seedArticle('工业发展稳中有进'))).toEqual({ counties: [], county: null });
  });

  it('tags the photo captions by the county they name', () => {
    const captions = readSeedBlocks().captions.map((c) => tag({ title: c.slice(0, 10), subtitle: null, paragraphs: [c] }));
    expect(captions.map((t) => t.county)).toEqual(['开化县', '龙游县']);
  });
});

describe('county tagger rules', () => {
  it('places an article that names only a town or only a village', () => {
    expect(tag(body('池淮镇今年新建了共富工坊。'))).toEqual({ counties: ['开化县'], county: '开化县' });
    expect(tag(body('汪周村的共享菜园迎来丰收。'))).toEqual({ counties: ['柯城区'], county: '柯城区' });
    expect(tag(body('星新社区居民在家门口就业。')).county).toBe('开化县');
    expect(tag(body('湖镇派出所开展廉政教育。')).county).toBe('龙游县');
  });

  it('counts county short forms', () => {
    expect(tag(body('江山二中的停车场投入使用。')).county).toBe('江山市');
    expect(tag(body('开化不断迭代升级搬迁集聚工作。')).county).toBe('开化县');
  });

  it('does not take ordinary words for town short forms', () => {
    // 大桥 (大桥镇), 白云 (白云街道), 大街 (大街乡), 新新 (新新街道), 双港 (双港街道)
    expect(tag(body('大桥上车流不息，白云飘过大街，新新人类来到双港码头。'))).toEqual({ counties: [], county: null });
  });

  it('ignores words that contain a county short form', () => {
    expect(tag(body('锦绣江山，指点江山，推进政务公开化。'))).toEqual({ counties: [], county: null });
    expect(tag(body('浙江山区的茶园。'))).toEqual({ counties: [], county: null });
  });

  it('does not read a 2-character village inside an ordinary word', () => {
    // 范村 is a village, and hides in 示范村.
    expect(tag(body('创建省级示范村。')).counties).toEqual([]);
  });

  it('ignores village names shared by two counties and generic ones', () => {
    expect(tag(body('白沙村和城东社区、新村开展活动。')).counties).toEqual([]);
  });

  it('weighs the headline above the body', () => {
    const item = { title: '江山：秋收正忙', subtitle: null, paragraphs: ['开化县也在秋收。'] };
    expect(tag(item)).toEqual({ counties: ['江山市', '开化县'], county: '江山市' });
  });

  it('weighs county names above towns above villages', () => {
    // One mention each: 江山市 (3) > 池淮镇 (2) > 汪周村 (1).
    expect(tag(body('汪周村、池淮镇和江山市的代表参会。')).counties).toEqual(['江山市', '开化县', '柯城区']);
  });

  it('has no primary county when mentions are spread without a clear lead', () => {
    const all = body('柯城区、衢江区、龙游县、江山市、常山县、开化县同步开展活动。');
    const tags = tag(all);
    expect(tags.county).toBeNull();
    expect(tags.counties).toEqual(['柯城区', '衢江区', '常山县', '开化县', '龙游县', '江山市']);
    expect(tag(body('江山市和开化县签订协议。')).county).toBeNull();
    expect(tag(body('江山市和开化县签订协议，江山市将派出专家。')).county).toBe('江山市');
  });

  it('keeps a city-wide report city-level when a county is named in passing', () => {
    const cityWide = {
      title: '衢州推进医保服务',
      subtitle: null,
      paragraphs: ['衢州市医疗保障局出台意见。', '衢州市各医院参加。', '衢州将继续推进，其中江山已先行试点。'],
    };
    expect(tag(cityWide)).toEqual({ counties: ['江山市'], county: null });
    // Without the city in the headline, the one concrete county wins.
    expect(tag({ ...cityWide, title: '推进医保服务' }).county).toBe('江山市');
  });

  it('never fails on empty or odd text', () => {
    expect(tag({ title: '', subtitle: '', paragraphs: [] })).toEqual({ counties: [], county: null });
    expect(tag(body('🙂<b>&amp;</b>', '\u0000', 'ＤＲＧｓ'))).toEqual({ counties: [], county: null });
  });
});

describe('another region', () => {
  it('tags 杭州市 articles with its districts', () => {
    const hz = createCountyTagger(loadGazetteer('杭州市'));
    expect(hz(body('西湖区举办文化节。')).county).toBe('西湖区');
    expect(hz(body('萧山的企业加快数字化改造。')).county).toBe('萧山区');
    expect(hz(body('衢州市江山市来杭推介。')).counties).toEqual([]);
  });
});

