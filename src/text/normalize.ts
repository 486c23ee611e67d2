// Only the traditional → simplified tables: 0.1 MB to load instead of the full package's 1.2 MB
// (35 ms of every start); the same conversions (compared over every CJK character).
import * as OpenCC from 'opencc-js/t2cn';

/**
 * Builds the matching normaliser: traditional → simplified (Hong Kong and Taiwan variants),
 * full-width ASCII → half-width, ideographic space → space, Kangxi radicals → the characters they
 * stand for (text copied out of PDFs prints `⽓温` for `气温`), lower case.
 *
 * It is length-preserving: `out.length === s.length` and `out[i]` corresponds to `s[i]`, so a
 * match found in the normalised text can be marked at the same offsets in the original.
 *
 * @example
 * const normalize = createNormalizer();
 * normalize('醫保ＤＲＧｓ　１２３'); // '医保drgs 123'
 */
export function createNormalizer(): (s: string) => string {
  // Building the converters parses opencc's dictionaries: do it once per normaliser, not per call.
  const fromHongKong = OpenCC.Converter({ from: 'hk', to: 'cn' });
  const fromTaiwan = OpenCC.Converter({ from: 'tw', to: 'cn' });
  const toSimplified = (s: string): string => fromTaiwan(fromHongKong(s));
  const charCache = new Map<string, string>();

  const simplifyChar = (ch: string): string => {
    let converted = charCache.get(ch);
    if (converted === undefined) {
      converted = toSimplified(ch);
      // A conversion that changes the length (rare) would shift every later offset: keep the original.
      if (converted.length !== ch.length) converted = ch;
      charCache.set(ch, converted);
    }
    return converted;
  };

  /** One code point at a time: exact correspondence, at the price of losing phrase context. */
  const simplifyCharByChar = (s: string): string => {
    let out = '';
    for (const ch of s) out += simplifyChar(ch);
    return out;
  };

  /** Per BMP code unit, whether `simplifyChar` changes it: 0 not known yet, 1 no, 2 yes. */
  const changes = new Uint8Array(0x10000);

  /** Whether any character would change: most text is simplified already and skips opencc. */
  const hasTraditional = (s: string): boolean => {
    // Every item is normalised: character codes and a table, not one string per character.
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x3400) continue;
      if (c >= 0xd800 && c <= 0xdfff) {
        // A surrogate pair is one character; a lone surrogate is one too.
        const pair = c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
        const ch = s.slice(i, pair ? i + 2 : i + 1);
        if (pair) i++;
        if (simplifyChar(ch) !== ch) return true;
        continue;
      }
      let known = changes[c]!;
      if (known === 0) {
        const ch = String.fromCharCode(c);
        known = changes[c] = simplifyChar(ch) !== ch ? 2 : 1;
      }
      if (known === 2) return true;
    }
    return false;
  };

  return (s: string): string => {
    const folded = foldCharacterForms(s);
    if (!hasTraditional(folded)) return folded;
    const simplified = toSimplified(folded);
    if (simplified.length === folded.length) return simplified;
    // Some phrase conversion changed the length: retry clause by clause so only the clauses
    // concerned lose phrase context.
    return folded
      .split(CLAUSE_SPLIT)
      .map((part) => {
        const converted = toSimplified(part);
        return converted.length === part.length ? converted : simplifyCharByChar(part);
      })
      .join('');
  };
}

/** Splits before and after runs of non-Han characters; the capture group keeps the separators. */
const CLAUSE_SPLIT = /([^\u3400-\u9fff\uf900-\ufaff\ud800-\udfff]+)/;

/** Full-width ASCII → half-width, Kangxi radicals → ideographs, lower case, keeping every UTF-16 unit in place. */
function foldCharacterForms(s: string): string {
  const halfWidth = s.replace(FOLDED, (ch) => {
    const code = ch.charCodeAt(0);
    // Each of the 214 radicals is one code unit, as is the ideograph NFKC gives for it.
    if (code < 0x3000) return ch.normalize('NFKC');
    return code === 0x3000 ? ' ' : String.fromCharCode(code - 0xfee0);
  });
  const lower = halfWidth.toLowerCase();
  // Lower-casing maps code points one by one, and only a few grow (İ → i̇): when the length is
  // unchanged, every unit is still in place. Otherwise lower one unit at a time, keeping the growers.
  if (lower.length === halfWidth.length) return lower;
  let out = '';
  for (let i = 0; i < halfWidth.length; i++) {
    const ch = halfWidth[i]!;
    const lowered = ch.toLowerCase();
    out += lowered.length === 1 ? lowered : ch;
  }
  return out;
}

/** Full-width ASCII, the ideographic space and the Kangxi radicals. */
const FOLDED = /[\uff01-\uff5e\u3000\u2f00-\u2fd5]/g;
