/**
 * Whether a text contains an already normalised needle once the text is normalised too, without
 * normalising the text: full-width forms and capitals are folded one code unit at a time while
 * comparing. Only for text whose Han characters normalisation leaves alone (simplified text; the
 * index keeps traditional bodies normalised instead). Phrase and exclusion checks run this over the
 * paragraphs of thousands of candidates; normalising those per query cost most of a phrase search.
 */

/**
 * @example
 * foldedIncludes('全年ＧＤＰ增长６％', 'gdp增长6%'); // true
 */
export function foldedIncludes(text: string, needle: string): boolean {
  const m = needle.length;
  if (m === 0) return true;
  if (text.length < m) return false;
  if (text.includes(needle)) return true;
  // Han characters fold to themselves only: the longest Han run of the needle finds the few places to compare.
  const [anchorStart, anchorLength] = longestHanRun(needle);
  if (anchorLength > 0) {
    const anchor = needle.slice(anchorStart, anchorStart + anchorLength);
    for (let at = text.indexOf(anchor); at !== -1; at = text.indexOf(anchor, at + 1)) {
      const start = at - anchorStart;
      if (start >= 0 && start + m <= text.length && matchesAt(text, start, needle)) return true;
    }
    return false;
  }
  for (let i = 0; i + m <= text.length; i++) if (matchesAt(text, i, needle)) return true;
  return false;
}

/**
 * `foldedIncludes` with the needle prepared once, for checking it against many texts: a text
 * without the needle's longest Han run is rejected by one native scan.
 * @example const has = foldedMatcher('gdp增长6%'); has('全年ＧＤＰ增长６％'); // true
 */
export function foldedMatcher(needle: string): (text: string) => boolean {
  const m = needle.length;
  if (m === 0) return () => true;
  const [anchorStart, anchorLength] = longestHanRun(needle);
  if (anchorLength === 0) return (text) => foldedIncludes(text, needle);
  const anchor = needle.slice(anchorStart, anchorStart + anchorLength);
  return (text) => {
    let at = text.indexOf(anchor);
    if (at === -1) return false;
    for (; at !== -1; at = text.indexOf(anchor, at + 1)) {
      const start = at - anchorStart;
      if (start >= 0 && start + m <= text.length && matchesAt(text, start, needle)) return true;
    }
    return false;
  };
}

function matchesAt(text: string, start: number, needle: string): boolean {
  for (let j = 0; j < needle.length; j++) if (foldUnit(text.charCodeAt(start + j)) !== needle.charCodeAt(j)) return false;
  return true;
}

/** As the normaliser's width and case folding does it, for one UTF-16 unit. */
function foldUnit(c: number): number {
  if (c < 0x80) return c >= 0x41 && c <= 0x5a ? c + 32 : c;
  if (c >= 0xff01 && c <= 0xff5e) {
    const half = c - 0xfee0;
    return half >= 0x41 && half <= 0x5a ? half + 32 : half;
  }
  if (c === 0x3000) return 0x20;
  if (isHan(c) || (c >= 0xd800 && c <= 0xdfff)) return c;
  const lower = String.fromCharCode(c).toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : c;
}

function isHan(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}

function longestHanRun(s: string): [number, number] {
  let bestStart = 0;
  let bestLength = 0;
  for (let i = 0; i < s.length; ) {
    if (!isHan(s.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < s.length && isHan(s.charCodeAt(end))) end++;
    if (end - i > bestLength) [bestStart, bestLength] = [i, end - i];
    i = end;
  }
  return [bestStart, bestLength];
}
