import { beforeAll, describe, expect, it } from 'vitest';
import { countyNames, placeWords, resolveCounty } from '../../src/places/county-names.js';
import { loadGazetteer, type Gazetteer } from '../../src/places/gazetteer.js';

let gaz: Gazetteer;

beforeAll(() => {
  gaz = loadGazetteer('衢州市');
});

describe('countyNames', () => {
  it('lists the six in the gazetteer order', () => {
    expect(countyNames(gaz)).toEqual(['柯城区', '衢江区', '常山县', '开化县', '龙游县', '江山市']);
  });
});

describe('resolveCounty', () => {
  it.each([
    ['江山', '江山市'],
    ['江山市', '江山市'],
    ['开化', '开化县'],
    ['开化县', '开化县'],
    ['柯城', '柯城区'],
    ['柯城区', '柯城区'],
    ['衢江', '衢江区'],
    ['龙游', '龙游县'],
    ['常山县', '常山县'],
    [' 江 山 ', '江山市'],
    ['\u3000开化\t', '开化县'],
    ['ｊ', null],
    ['江山县', '江山市'],
    ['衢州市江山市', '江山市'],
    ['衢州开化', '开化县'],
  ])('reads %j as %s', (input, county) => {
    expect(resolveCounty(gaz, input)).toBe(county);
  });

  it.each(['', '   ', '衢州', '衢州市', '杭州', '西湖区', '江', '山', '池淮镇', '江山江山', '<b>&', '🙂'])(
    'finds no county in %j',
    (input) => {
      expect(resolveCounty(gaz, input)).toBeNull();
    },
  );

  it('reads full-width letters and spaces the same as half-width', () => {
    const hz = loadGazetteer('杭州市');
    expect(resolveCounty(hz, '西湖')).toBe('西湖区');
    expect(resolveCounty(hz, '　西　湖　区　')).toBe('西湖区');
  });
});

describe('placeWords', () => {
  it('gives the segmenter the names to keep whole', () => {
    const words = placeWords(gaz);
    expect(words).toEqual(expect.arrayContaining(['衢州市', '江山市', '江山', '池淮镇', '池淮', '星新社区', '汪周村', '上村村']));
    expect(new Set(words).size).toBe(words.length);
  });

  it('leaves out ordinary words and names too short to stand alone', () => {
    const words = new Set(placeWords(gaz));
    for (const word of ['大桥', '白云', '新新', '范村', '幸福社区', '城东社区', '上村']) expect(words.has(word), word).toBe(false);
  });
});
