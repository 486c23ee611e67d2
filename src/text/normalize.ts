import * as OpenCC from 'opencc-js';

/**
 * Builds the matching normaliser: traditional → simplified (Hong Kong and Taiwan variants),
 * full-width ASCII → half-width, ideographic space → space, lower case.
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

  /** Whether any character would change: most text is simplified already and skips opencc. */
  const hasTraditional = (s: string): boolean => {
    for (const ch of s) {
      if (ch.charCodeAt(0) >= 0x3400 && simplifyChar(ch) !== ch) return true;
    }
    return false;
  };

  return (s: string): string => {
    const folded = foldWidthAndCase(s);
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

/** Full-width ASCII → half-width and lower case, keeping every UTF-16 unit in place. */
function foldWidthAndCase(s: string): string {
  const halfWidth = s.replace(FULL_WIDTH, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
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

const FULL_WIDTH = /[\uff01-\uff5e\u3000]/g;
