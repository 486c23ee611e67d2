import { beforeAll, describe, expect, it } from 'vitest';
import { loadGazetteer } from '../../src/places/gazetteer.js';
import { createPlaceMatcher, type PlaceMention } from '../../src/places/place-mentions.js';

let find: (text: string) => PlaceMention[];
const names = (text: string): string[] => find(text).map((m) => `${m.text}:${m.county ?? m.place}`);

beforeAll(() => {
  find = createPlaceMatcher(loadGazetteer('衢州市'));
});

describe('place mentions', () => {
  it('reads 衢江山农 as 衢江, not 江山', () => {
    expect(names('之江同心·衢江山农共富综合体')).toEqual(['衢江:衢江区']);
    expect(names('衢州市衢江区')).toEqual(['衢州市:衢州市', '衢江区:衢江区']);
  });

  it('reports what each mention is, and where', () => {
    expect(find('衢州市柯城区航埠镇汪周村')).toEqual([
      { start: 0, end: 3, text: '衢州市', kind: 'city', place: '衢州市', county: null },
      { start: 3, end: 6, text: '柯城区', kind: 'county', place: '柯城区', county: '柯城区' },
      { start: 6, end: 9, text: '航埠镇', kind: 'town', place: '航埠镇', county: '柯城区' },
      { start: 9, end: 12, text: '汪周村', kind: 'village', place: '汪周村', county: '柯城区' },
    ]);
  });

  it('reads town short forms and village names', () => {
    expect(names('湖镇派出所')).toEqual(['湖镇:龙游县']);
    expect(names('组建“池淮老娘舅”')).toEqual(['池淮:开化县']);
    expect(find('齐溪镇上村村枫楼坑自然村').map((m) => m.place)).toEqual(['齐溪镇', '上村村']);
  });

  it('skips words that only contain a place name', () => {
    expect(names('浙江山区、半壁江山、未开化、通信安全')).toEqual([]);
    expect(names('浙江省江山市')).toEqual(['江山市:江山市']);
  });

  it('matches an ambiguous name without counting it or anything inside it', () => {
    // 白沙村 is in 柯城区 and in 江山市.
    expect(names('白沙村')).toEqual([]);
  });
});
