import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openArchiveDb, type ArchiveDb } from '../../src/archive/archive-db.js';
import { ftsCharacters, ftsPhrase, ftsTokens } from '../../src/search/fts-text.js';
import { createNormalizer } from '../../src/text/normalize.js';
import { foundInRun, joinHan } from './search-reference.js';

const normalize = createNormalizer();

describe('ftsTokens', () => {
  it('turns a run of Han characters into its bigrams, and its last character alone where the run ends', () => {
    expect(ftsTokens('推进医保')).toBe('推进 进医 医保 保');
    expect(ftsTokens('推进医保。保障健康')).toBe('推进 进医 医保 保 保障 障健 健康 康');
  });

  it('keeps a run of Latin letters or digits whole, as one token', () => {
    expect(ftsTokens('drgs 2023 5g')).toBe('drgs 2023 5g');
    expect(ftsTokens('1190.1亿元')).toBe('1190 1 亿 亿元 元');
  });

  it('gives every Han run its lone last character, also where it goes straight on in Latin letters or digits', () => {
    expect(ftsTokens('住院drgs运行')).toMatch(/^住院 院 drgs /);
  });

  it('gives a Han run straight after letters or digits its lone first character too', () => {
    expect(ftsTokens('5g网络')).toBe('5g 网 网络 络');
    expect(ftsTokens('住院drgs运行')).toBe('住院 院 drgs 运 运行 行');
    expect(ftsTokens('解决23件事')).toBe('解决 决 23 件 件事 事');
    expect(ftsTokens('5g。网络')).toBe('5g 网络 络');
    expect(ftsTokens('211人')).toBe('211 人');
  });

  it('keeps a one-character run as it is', () => {
    expect(ftsTokens('茶，水')).toBe('茶 水');
  });

  it('separates runs at line breaks, spaces and punctuation alike, and gives nothing for text without letters', () => {
    expect(ftsTokens('医保\n服务')).toBe(ftsTokens('医保 服务'));
    expect(ftsTokens('医保“服务”')).toBe(ftsTokens('医保 服务'));
    expect(ftsTokens('。，！ 😀\n')).toBe('');
    expect(ftsTokens('')).toBe('');
  });

  it('gives what the definition gives, for any text, characters outside the BMP included', () => {
    // The definition, a token at a time: Han runs as bigrams and their last character (and their
    // first after letters or digits), other letter-and-digit runs whole.
    const definition = (text: string): string => {
      const tokens: string[] = [];
      let previousEnd = -1;
      for (const run of text.matchAll(/(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu)) {
        const chars = [...run[0]];
        const afterLetters = run.index === previousEnd;
        previousEnd = run.index + run[0].length;
        if (run[2] !== undefined || chars.length === 1) {
          tokens.push(run[0]);
          continue;
        }
        if (afterLetters) tokens.push(chars[0]!);
        for (let k = 0; k + 1 < chars.length; k++) tokens.push(chars[k]! + chars[k + 1]!);
        tokens.push(chars[chars.length - 1]!);
      }
      return tokens.join(' ');
    };
    const pieces = ['推', '进', '医保', '𠀀', '𪚥', 'a', 'Zé', '5', '2023', ' ', '。', '\n', '·', 'カ', '한', '😀', '１'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => {
        const text = normalize(parts.join(''));
        expect(ftsTokens(text)).toBe(definition(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ftsPhrase', () => {
  it('makes a word the phrase of its bigrams', () => {
    expect(ftsPhrase('医保服务')).toBe('"医保 保服 服务"');
    expect(ftsPhrase('医保')).toBe('"医保"');
  });

  it('drops the spaces typed between Han characters', () => {
    expect(ftsPhrase('医保 服务')).toBe(ftsPhrase('医保服务'));
    expect(ftsPhrase('医 保 服 务')).toBe(ftsPhrase('医保服务'));
  });

  it('makes a trailing single Han character a prefix, so one character finds the words it starts', () => {
    expect(ftsPhrase('医')).toBe('"医" *');
    expect(ftsPhrase('2023 年')).toBe('"2023 年" *');
  });

  it('makes a Han character straight after digits a whole token, not a prefix (no scan of every word it starts)', () => {
    expect(ftsPhrase('5g网')).toBe('"5g 网"');
    expect(ftsPhrase('已培训211人')).toBe('"已培 培训 训 211 人"');
  });

  it('lets a Han word typed apart from the digits before it match them printed together or apart', () => {
    expect(ftsPhrase('2023 年度')).toBe('("2023 年度" OR "2023 年 年度")');
  });

  it('keeps Latin letters and digits as whole tokens, with no prefix', () => {
    expect(ftsPhrase('drgs')).toBe('"drgs"');
    expect(ftsPhrase('5g网络')).toBe('"5g 网 网络"');
  });

  it('gives null for a word with nothing to look for', () => {
    expect(ftsPhrase('')).toBeNull();
    expect(ftsPhrase('。！')).toBeNull();
    expect(ftsPhrase('😀')).toBeNull();
  });

  it('never lets a quote or an FTS5 operator through', () => {
    for (const word of ['"医保"', 'a"b', 'NEAR(a b)', '医保 OR 服务', 'a*', '-医保', '^x']) {
      const phrase = ftsPhrase(normalize(word));
      expect(phrase, word).not.toBeNull();
      // One quoted phrase, or a group of them joined by OR; inside the quotes only letters, digits and spaces.
      expect(phrase, word).toMatch(/^(?:"[\p{L}\p{N} ]+"(?: \*)?|\("[\p{L}\p{N} ]+"(?: \*)?(?: OR "[\p{L}\p{N} ]+"(?: \*)?)+\))$/u);
    }
  });
});

describe('ftsCharacters', () => {
  it('gives each Han character as a prefix token and a Latin run whole, in order', () => {
    expect(ftsCharacters('炒茶')).toEqual(['"炒" *', '"茶" *']);
    expect(ftsCharacters('5g网')).toEqual(['"5g"', '"网" *']);
    expect(ftsCharacters('。')).toEqual([]);
  });
});

describe('words in the archive FTS5 table', () => {
  let dir: string;
  let db: ArchiveDb;
  let nextRow = 1;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fts-text-'));
    db = openArchiveDb(join(dir, 'archive.db'), { itemsIdentity: 'fts-text test', analysisIdentity: 'fts-text test' });
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Whether the body `text`, stored as the archive stores it, is found by `word`'s phrase. */
  const finds = (text: string, word: string): boolean => {
    const phrase = ftsPhrase(normalize(word));
    if (phrase === null) return false;
    const row = nextRow++;
    db.prepare("INSERT INTO items_fts (rowid, title, subtitle, body) VALUES (?, '', '', ?)").run(row, ftsTokens(normalize(text)));
    try {
      return db.prepare('SELECT COUNT(*) FROM items_fts WHERE items_fts MATCH ? AND rowid = ?').pluck().get(phrase, row) === 1;
    } finally {
      db.prepare('DELETE FROM items_fts WHERE rowid = ?').run(row);
    }
  };

  it('finds a word wherever it lies inside a run, however jieba would cut it', () => {
    expect(finds('衢州市推进医保服务改革', '医保服务')).toBe(true);
    expect(finds('衢州市推进医保服务改革', '进医')).toBe(true);
    expect(finds('衢州市推进医保服务改革', '革')).toBe(true);
    expect(finds('衢州市推进医保服务改革', '医')).toBe(true);
  });

  it('does not find a word whose characters are split by punctuation or a line break', () => {
    expect(finds('推进医保，服务群众', '医保服务')).toBe(false);
    expect(finds('推进医保\n服务群众', '医保服务')).toBe(false);
    expect(finds('推进医保服务', '服务医保')).toBe(false);
  });

  it('finds Latin words and numbers whole only, in any width and case', () => {
    expect(finds('住院ＤＲＧｓ运行平稳', 'drgs')).toBe(true);
    expect(finds('住院DRGs运行平稳', 'ＤＲＧＳ运行')).toBe(true);
    expect(finds('解决16件', '6件')).toBe(false);
    expect(finds('5g网络', 'g网络')).toBe(false);
  });

  it('runs the phrase of any word, operators and quotes included, without an FTS5 syntax error', () => {
    for (const word of ['"医保"', 'a"b', 'NEAR(a b)', '医保 OR 服务', 'a*', '-医保', '^x', 'title:医保', '医保 AND', '{a b}']) {
      expect(() => finds('医保 OR 服务 near a b x title', word), word).not.toThrow();
    }
  });

  it('finds traditional text with a simplified word and the other way round', () => {
    expect(finds('推進醫保服務', '医保服务')).toBe(true);
    expect(finds('推进医保服务', '醫保')).toBe(true);
  });

  it('finds a single character at the end of a Han run that goes straight on in digits', () => {
    expect(finds('全县采茶3000余人', '茶')).toBe(true);
  });

  it('finds a quoted phrase of a Chinese word and a number, as printed with a space between', () => {
    expect(finds('衢州 2023年度报告', '衢州 2023')).toBe(true);
  });

  it('does not find Latin then Han across a sentence end or a space', () => {
    expect(finds('发布5g。网络建设提速', '5g网络')).toBe(false);
    expect(finds('发布5g 网络建设提速', '5g网络')).toBe(false);
    expect(finds('发布5g网络建设提速', '5g网络')).toBe(true);
  });

  it('finds digits then one Han character as printed, followed by more or not', () => {
    expect(finds('湖南镇党委已培训211人次', '培训211人')).toBe(true);
    expect(finds('湖南镇党委已培训211人', '培训211人')).toBe(true);
    expect(finds('已培训211。人员', '培训211人')).toBe(false);
    expect(finds('2023年度报告', '2023 年度')).toBe(true);
    expect(finds('2023 年度报告', '2023 年度')).toBe(true);
    expect(finds('2023 年度报告', '2023 年')).toBe(true);
  });

  it('finds a quoted phrase of a Chinese word and a number printed together', () => {
    expect(finds('衢州2023年度报告', '衢州2023')).toBe(true);
  });

  it('finds exactly what lies within one run of the text, for any short text and any word cut from it', () => {
    // Few characters, so words recur and cross runs; Latin and digits glued to Han and apart.
    const unit = fc.constantFrom('医', '保', '服', '务', '茶', '叶', 'g', '5', 'ai', '，', ' ', '\n', '醫', 'Ｇ');
    const text = fc.array(unit, { minLength: 1, maxLength: 16 }).map((units) => units.join(''));
    const cut = (t: string, a: number, b: number) => {
      const chars = [...normalize(t)];
      const from = a % chars.length;
      return chars.slice(from, from + 1 + (b % 4)).join('');
    };
    // A word cut from the text as it is, or with its separators dropped (so it may span two runs).
    const sample = fc
      .tuple(text, fc.nat(), fc.nat(), fc.boolean())
      .map(([t, a, b, across]) => ({ text: t, word: cut(across ? t.replace(/[，\s]/gu, '') || t : t, a, b) }));
    // Words of letters, digits and Han only (spaces between Han allowed), as the reference defines,
    // less the three kinds of word the bugs above miss or over-match.
    const clear = sample.filter(
      ({ word }) => /^[\p{L}\p{N}]+$/u.test(joinHan(word)) && !/\p{Script=Han}[a-z0-9]|[a-z0-9]\p{Script=Han}/u.test(word) && !/^\p{Script=Han}$/u.test(word),
    );
    fc.assert(
      fc.property(clear, ({ text: t, word }) => {
        expect(finds(t, word), `${JSON.stringify(word)} in ${JSON.stringify(t)}`).toBe(foundInRun(normalize(t), normalize(word)));
      }),
      { numRuns: 400, seed: 20261203 },
    );
  });
});
