import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gazetteerCachePath } from '../../src/places/gazetteer-cache.js';
import { loadGazetteer, type Gazetteer } from '../../src/places/gazetteer.js';

let gaz: Gazetteer;
let coldMs: number;
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gazetteer-'));
  dirs.push(dir);
  return dir;
}

beforeAll(() => {
  const start = performance.now();
  gaz = loadGazetteer('衢州市');
  coldMs = performance.now() - start;
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('loadGazetteer(衢州市)', () => {
  it('has the city, its province and the six county-level areas in code order with their short forms', () => {
    expect(gaz.region).toBe('衢州市');
    expect(gaz.regionShortName).toBe('衢州');
    expect(gaz.province).toBe('浙江省');
    expect(gaz.counties.map((c) => [c.name, c.shortName])).toEqual([
      ['柯城区', '柯城'],
      ['衢江区', '衢江'],
      ['常山县', '常山'],
      ['开化县', '开化'],
      ['龙游县', '龙游'],
      ['江山市', '江山'],
    ]);
  });

  it('knows each town with its county and a short form only where it is safe', () => {
    const town = (name: string) => gaz.towns.find((t) => t.name === name);
    expect(town('池淮镇')).toMatchObject({ county: '开化县', shortName: '池淮' });
    expect(town('湖镇镇')).toMatchObject({ county: '龙游县', shortName: '湖镇' });
    expect(town('航埠镇')).toMatchObject({ county: '柯城区', shortName: '航埠' });
    expect(town('桐村镇')).toMatchObject({ county: '开化县', shortName: '桐村' });
    expect(town('廿八都镇')).toMatchObject({ county: '江山市', shortName: '廿八都' });
    // Ordinary words or risky: 大街, 白云, 新新, 双港, 大桥, 湖南 (a province), 石门.
    for (const name of ['大街乡', '白云街道', '新新街道', '双港街道', '大桥镇', '湖南镇', '石门镇']) {
      expect(town(name)?.shortName, name).toBeNull();
    }
    expect(gaz.towns).toHaveLength(100);
  });

  it('knows villages and communities by the names papers use', () => {
    expect(gaz.villages.find((v) => v.name === '汪周村')).toMatchObject({
      officialName: '汪周村委会',
      county: '柯城区',
      town: '航埠镇',
      generic: false,
    });
    expect(gaz.villages.find((v) => v.name === '星新社区')).toMatchObject({
      officialName: '星新社区居民委员会',
      county: '开化县',
      town: '池淮镇',
    });
    expect(gaz.villages.find((v) => v.name === '上村村')).toMatchObject({ county: '开化县', town: '齐溪镇' });
    expect(gaz.villages.filter((v) => v.generic).map((v) => v.name)).toEqual(
      expect.arrayContaining(['城东社区', '幸福社区', '花园村', '街道']),
    );
    const counties = new Set(gaz.counties.map((c) => c.name));
    const towns = new Set(gaz.towns.map((t) => t.name));
    expect(gaz.villages.length).toBeGreaterThan(1600);
    for (const v of gaz.villages) {
      expect(counties.has(v.county) && towns.has(v.town), v.officialName).toBe(true);
      expect(v.name).not.toMatch(/委员会|委会$/u);
    }
  });

  it('lists words that hide a place name, but no place name', () => {
    expect(gaz.blockers).toEqual(expect.arrayContaining(['浙江', '浙江省', '半壁江山', '公开化', '通信安全']));
    const names = new Set([...gaz.counties.flatMap((c) => [c.name, c.shortName]), ...gaz.towns.map((t) => t.name)]);
    expect(gaz.blockers.filter((b) => names.has(b))).toEqual([]);
  });

  it('loads in well under a second without a cache', () => {
    console.log(`gazetteer 衢州市: ${coldMs.toFixed(0)} ms without cache`);
    expect(coldMs).toBeLessThan(3000);
  });
});

describe('region setting', () => {
  it('accepts the name without 市, with spaces or full-width characters', () => {
    expect(loadGazetteer(' 衢州 ').region).toBe('衢州市');
  });

  it('works for another city', () => {
    const hz = loadGazetteer('杭州市');
    expect(hz.counties.map((c) => c.name)).toContain('西湖区');
    expect(hz.towns.find((t) => t.name === '西湖街道')?.county).toBe('西湖区');
  });

  it('works for a municipality, whose districts sit under 市辖区', () => {
    const bj = loadGazetteer('北京市');
    expect(bj.region).toBe('北京市');
    expect(bj.counties.map((c) => c.name)).toEqual(expect.arrayContaining(['东城区', '海淀区', '延庆区']));
  });

  it('rejects an unknown or empty region in Chinese, naming it', () => {
    expect(() => loadGazetteer('火星市')).toThrow(/未知地区“火星市”.*REGION/u);
    expect(() => loadGazetteer('  ')).toThrow(/地区设置为空/u);
  });
});

describe('cache', () => {
  it('writes the extract once and reads back the same gazetteer, much faster', () => {
    const dir = tempDir();
    const first = loadGazetteer('衢州市', { cacheDir: dir });
    const start = performance.now();
    const second = loadGazetteer('衢州市', { cacheDir: dir });
    const warmMs = performance.now() - start;
    console.log(`gazetteer 衢州市: ${warmMs.toFixed(1)} ms from cache (${coldMs.toFixed(0)} ms without)`);
    expect(second).toEqual(first);
    expect(first).toEqual(gaz);
    expect(warmMs).toBeLessThan(coldMs);
  });

  it('rebuilds a damaged or truncated cache file', () => {
    const dir = tempDir();
    loadGazetteer('衢州市', { cacheDir: dir });
    const file = readdirOne(dir);
    const good = readFileSync(file, 'utf8');
    const damaged = ['null', good.slice(0, good.length / 2), JSON.stringify({ ...JSON.parse(good), gazetteer: { region: '衢州市' } })];
    for (const bad of damaged) {
      writeFileSync(file, bad);
      expect(loadGazetteer('衢州市', { cacheDir: dir })).toEqual(gaz);
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(good));
    }
  });

  it('ignores an extract made for another version of the data', () => {
    const dir = tempDir();
    loadGazetteer('衢州市', { cacheDir: dir });
    const file = readdirOne(dir);
    const stale = JSON.parse(readFileSync(file, 'utf8'));
    stale.key.chinaDivision = '0.0.1';
    stale.gazetteer.counties = [{ code: '1', name: '假县', shortName: null }];
    writeFileSync(file, JSON.stringify(stale));
    expect(loadGazetteer('衢州市', { cacheDir: dir }).counties).toHaveLength(6);
  });

  it('keys the file by region, and still loads when the folder cannot be written', () => {
    const dir = tempDir();
    const key = { schema: 1, region: '衢州市', chinaDivision: '2.7.0', jieba: '3.5.8' };
    expect(gazetteerCachePath(dir, key)).not.toBe(gazetteerCachePath(dir, { ...key, region: '杭州市' }));
    const notADir = join(dir, 'file');
    writeFileSync(notADir, 'x');
    expect(loadGazetteer('衢州市', { cacheDir: join(notADir, 'cache') }).counties).toHaveLength(6);
    expect(existsSync(join(notADir, 'cache'))).toBe(false);
  });
});

/** The one file in the cache folder: the finished extract, no temp file left behind. */
function readdirOne(dir: string): string {
  const files = readdirSync(dir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/\.json$/u);
  return join(dir, files[0]!);
}
