/**
 * Queries a reader would type for each seed item, with the headline that must come first.
 * `split` marks the ones where jieba cuts the query and the text differently (the hard cases).
 */
export interface RelevanceCase {
  query: string;
  expected: string;
  split?: boolean;
}

export const INDUSTRY = '工业发展稳中有进';
export const TEA = '开化县重视茶产业技能人才培养';
export const POLICE_DRILL = '学技术 提能力';
export const MEDICAL = '推进医保服务 保障人民健康';
export const UNIVERSITY = '开放大学新鲜事';
export const PARKING = '为民解忧 服务有温度';
export const POLICE = '“湖枫清警”护平安';
export const MIGRANTS = '移民社区 幸福生活';
export const FOOD = '“鲜辣常山”品牌重塑';
export const MELAMINE = '企业诉求 直达快办';
export const UNITED_FRONT = '产业同心 服务五星';

export const RELEVANCE_CASES: RelevanceCase[] = [
  { query: '硅烷', expected: INDUSTRY },
  { query: '智造新城', expected: INDUSTRY },
  { query: '工业产值', expected: INDUSTRY },
  { query: '丙氨酸', expected: INDUSTRY },
  { query: '茶产业', expected: TEA },
  { query: '师带徒', expected: TEA, split: true },
  { query: '炒制茶叶', expected: TEA },
  { query: '红蓝对抗', expected: POLICE_DRILL },
  { query: '警情处置', expected: POLICE_DRILL },
  { query: '医保', expected: MEDICAL },
  { query: 'DRGs', expected: MEDICAL, split: true },
  { query: 'ＤＲＧｓ', expected: MEDICAL, split: true },
  { query: '醫保', expected: MEDICAL },
  { query: '醫保服務', expected: MEDICAL },
  { query: '挂联', expected: MEDICAL, split: true },
  { query: '医保基金监管', expected: MEDICAL },
  { query: '共享菜园', expected: UNIVERSITY },
  { query: '汪周村', expected: UNIVERSITY, split: true },
  { query: '卖菜', expected: UNIVERSITY },
  { query: '开放大学', expected: UNIVERSITY },
  { query: '停车场 江山', expected: PARKING },
  { query: '江山二中', expected: PARKING, split: true },
  { query: '交通拥堵', expected: PARKING },
  { query: '湖枫清警', expected: POLICE, split: true },
  { query: '清廉 派出所', expected: POLICE },
  { query: '湖镇派出所', expected: POLICE, split: true },
  { query: '派出所 龙游', expected: POLICE },
  { query: '星新社区', expected: MIGRANTS, split: true },
  { query: '星新 社区', expected: MIGRANTS },
  { query: '池淮', expected: MIGRANTS, split: true },
  { query: '共富工坊', expected: MIGRANTS },
  { query: '移民 搬迁', expected: MIGRANTS },
  { query: '贡面', expected: FOOD, split: true },
  { query: '鲜辣美食', expected: FOOD },
  { query: '永君妈妈', expected: FOOD, split: true },
  { query: '密胺', expected: MELAMINE },
  { query: '地瓜经济', expected: MELAMINE },
  { query: '厂房租金', expected: MELAMINE },
  { query: '桐村', expected: MELAMINE, split: true },
  { query: '统战 国企', expected: UNITED_FRONT },
  { query: '衢江山农', expected: UNITED_FRONT, split: true },
  { query: '九三学社', expected: UNITED_FRONT },
  { query: '产业同心链', expected: UNITED_FRONT, split: true },
  { query: '茶 开化', expected: TEA },
  { query: '医保 服务', expected: MEDICAL },
];
