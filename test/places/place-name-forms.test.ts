import { describe, expect, it } from 'vitest';
import {
  cityShortName,
  countyShortName,
  townShortName,
  villageBaseName,
  villageNameForms,
} from '../../src/places/place-name-forms.js';

describe('villageNameForms', () => {
  it.each([
    ['汪周村委会', '汪周村', []],
    ['汪周村村民委员会', '汪周村', ['汪周村村']],
    ['缪家村村委会', '缪家村', ['缪家村村']],
    ['上村村委会', '上村村', ['上村']],
    ['桐村村委会', '桐村村', ['桐村']],
    ['星新社区居民委员会', '星新社区', []],
    ['星新社区居委会', '星新社区', []],
    ['府山社区', '府山社区', []],
    ['宝石街居委会', '宝石街', []],
    ['新塘边居民委员会', '新塘边', []],
    ['十里丰农场生活区', '十里丰农场生活区', []],
  ])('reads %s as %s', (official, name, aliases) => {
    expect(villageNameForms(official)).toEqual({ name, aliases });
  });

  it('gives nothing for an empty name', () => {
    expect(villageNameForms('  ')).toBeNull();
  });

  it('strips 村 or 社区 for the base', () => {
    expect(villageBaseName('汪周村')).toBe('汪周');
    expect(villageBaseName('星新社区')).toBe('星新');
  });
});

describe('short forms', () => {
  it.each([
    ['柯城区', '柯城'],
    ['衢江区', '衢江'],
    ['江山市', '江山'],
    ['开化县', '开化'],
    ['上城区', '上城'],
    ['景宁畲族自治县', '景宁'],
    ['双江拉祜族佤族布朗族傣族自治县', '双江'],
    ['东区', null],
    ['滨海新区', null],
    ['石家庄高新技术产业开发区', null],
  ])('county %s → %s', (name, short) => {
    expect(countyShortName(name)).toBe(short);
  });

  it.each([
    ['池淮镇', '池淮'],
    ['湖镇镇', '湖镇'],
    ['府山街道', '府山'],
    ['廿八都镇', '廿八都'],
    ['沐尘畲族乡', '沐尘'],
    ['萧山经济技术开发区', null],
    ['红山农场', null],
  ])('town %s → %s', (name, short) => {
    expect(townShortName(name)).toBe(short);
  });

  it.each([
    ['衢州市', '衢州'],
    ['大兴安岭地区', '大兴安岭'],
    ['黔东南苗族侗族自治州', '黔东南'],
    ['阿拉善盟', '阿拉善'],
  ])('city %s → %s', (name, short) => {
    expect(cityShortName(name)).toBe(short);
  });
});
