/**
 * The reader's search syntax, parsed into data: words, `-excluded` words, `"exact phrases"` and a
 * county named among the words. Nothing here segments or normalises: the index does that, so the
 * same parsed query can be searched, highlighted and matched against subscriptions.
 */
import { isStopWord } from '../text/stop-words.js';

/** Why a query cannot be searched; the caller turns it into a short Chinese answer. */
export type QueryProblem =
  /** Nothing but whitespace. */
  | 'empty'
  /** Longer than `maxLength` characters (still parsed, so the caller may choose to go on). */
  | 'too-long'
  /** Nothing left to look for: only punctuation, emoji, stop words or `-exclusions`. */
  | 'no-searchable-words';

export interface ParsedQuery {
  /** The text as the reader sent it, untouched. */
  raw: string;
  /** Words to look for, as typed (trimmed), in order; the county word is removed unless it is the only word. */
  words: string[];
  /** Phrases every hit must contain exactly (from `"…"`, `“…”`, `「…」`, `『…』`). */
  phrases: string[];
  /** Words or phrases no hit may contain (from `-词` or `-"…"`). */
  excluded: string[];
  /** The county-level area to filter to, as `resolveCounty` named it (e.g. 江山市), or null. */
  county: string | null;
  /** The word that named the county, as typed (e.g. 江山), or null. */
  countyWord: string | null;
  problem: QueryProblem | null;
}

export interface ParseQueryOptions {
  /** Longer raw queries are reported as `too-long`. Default 100 characters. */
  maxLength?: number;
}

const DEFAULT_MAX_LENGTH = 100;

/** Opening quote → its closing quote. ASCII and full-width `"` close themselves. */
const QUOTES: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ['\uff02', '\uff02'],
  ['“', '”'],
  ['「', '」'],
  ['『', '』'],
]);

/** `-` and its full-width and minus-sign look-alikes, as typed on phones. */
const MINUS = new Set(['-', '\uff0d', '\u2212']);

/** Half- and full-width spaces, tabs, newlines. */
const SPACE = /\s/u;

/** Invisible format and control characters (zero-width joiners, direction overrides, BEL): never part of a word. */
const INVISIBLE = /[\p{Cf}\p{Cc}]/gu;

/** A part of the query that carries something searchable: a letter or a digit in any script. */
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

interface Token {
  text: string;
  quoted: boolean;
  negated: boolean;
}

/**
 * Parses a reader's query. Words are separated by half- or full-width spaces; `-词` excludes;
 * a quoted phrase must appear exactly; the first word that `resolveCounty` recognises becomes the
 * county filter (`停车场 江山` → words [停车场], county 江山市). Problems are reported in `problem`,
 * never thrown.
 *
 * @example
 * parseQuery('停车场 江山 -医保', (w) => (w === '江山' ? '江山市' : null));
 * // { words: ['停车场'], excluded: ['医保'], county: '江山市', countyWord: '江山', phrases: [], … }
 */
export function parseQuery(
  raw: string,
  resolveCounty: (word: string) => string | null,
  options: ParseQueryOptions = {},
): ParsedQuery {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const tokens = tokenizeQuery(raw);
  const words: string[] = [];
  const phrases: string[] = [];
  const excluded: string[] = [];
  let county: string | null = null;
  let countyWord: string | null = null;

  for (const raw of tokens) {
    const token = { ...raw, text: raw.text.replace(INVISIBLE, '') };
    // Punctuation-only parts (a stray comma, an emoji) carry nothing to look for.
    if (!HAS_LETTER_OR_DIGIT.test(token.text)) continue;
    if (token.negated) excluded.push(token.text);
    else if (token.quoted) phrases.push(token.text);
    else if (county === null && (county = resolveCounty(token.text)) !== null) countyWord = token.text;
    else words.push(token.text);
  }

  // A county alone is what the reader wants to read about: keep it as a word too, so the hits are
  // ranked by it rather than listed in no order.
  if (countyWord !== null && words.length === 0 && phrases.length === 0) words.push(countyWord);

  const searchable = [...words, ...phrases].some((w) => !isStopWord(w.toLowerCase()));
  let problem: QueryProblem | null = null;
  if (raw.trim() === '') problem = 'empty';
  else if ([...raw].length > maxLength) problem = 'too-long';
  else if (!searchable) problem = 'no-searchable-words';

  return { raw, words, phrases, excluded, county, countyWord, problem };
}

/** Splits on spaces, keeping quoted phrases whole; an unclosed quote runs to the end. */
function tokenizeQuery(raw: string): Token[] {
  const chars = [...raw];
  const tokens: Token[] = [];
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i]!;
    if (SPACE.test(ch)) {
      i++;
      continue;
    }
    let negated = false;
    if (MINUS.has(ch) && i + 1 < chars.length && !SPACE.test(chars[i + 1]!)) {
      negated = true;
      i++;
    }
    const open = chars[i]!;
    const close = QUOTES.get(open);
    if (close !== undefined) {
      let end = i + 1;
      while (end < chars.length && chars[end] !== close) end++;
      const text = chars.slice(i + 1, end).join('').trim();
      if (text !== '') tokens.push({ text, quoted: true, negated });
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < chars.length && !SPACE.test(chars[end]!) && !(end > i && QUOTES.has(chars[end]!))) end++;
    const text = chars.slice(i, end).join('');
    tokens.push({ text, quoted: false, negated });
    i = end;
  }
  return tokens;
}
