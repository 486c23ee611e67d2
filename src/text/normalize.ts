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

  /** One code point at a time: exact correspondence, at the price of losing phrase context. */
  const simplifyCharByChar = (s: string): string => {
    let out = '';
    for (const ch of s) {
      let converted = charCache.get(ch);
      if (converted === undefined) {
        converted = toSimplified(ch);
        // A conversion that changes the length (rare) would shift every later offset: keep the original.
        if (converted.length !== ch.length) converted = ch;
        charCache.set(ch, converted);
      }
      out += converted;
    }
    return out;
  };

  return (s: string): string => {
    const folded = foldWidthAndCase(s);
    if (!HAN_OR_COMPAT.test(folded)) return folded;
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

/** Anything opencc could change: CJK ideographs (incl. extensions) and compatibility ideographs. */
const HAN_OR_COMPAT = /[\u3400-\u9fff\uf900-\ufaff\ud840-\ud87f]/;

/** Splits before and after runs of non-Han characters; the capture group keeps the separators. */
const CLAUSE_SPLIT = /([^\u3400-\u9fff\uf900-\ufaff\ud800-\udfff]+)/;

/** Full-width ASCII → half-width and lower case, one UTF-16 unit at a time. */
function foldWidthAndCase(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    let code = s.charCodeAt(i);
    if (code >= 0xff01 && code <= 0xff5e) code -= 0xfee0;
    else if (code === 0x3000) code = 0x20;
    if (code >= 0x41 && code <= 0x5a) {
      out += String.fromCharCode(code + 0x20);
    } else if (code < 0x80) {
      out += String.fromCharCode(code);
    } else {
      const ch = String.fromCharCode(code);
      const lower = ch.toLowerCase();
      // Some lower cases are longer (İ → i̇); a lone surrogate lowers to itself: both stay safe.
      out += lower.length === 1 ? lower : ch;
    }
  }
  return out;
}
