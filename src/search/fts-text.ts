/**
 * Text as the archive's FTS5 table sees it, and query words as FTS5 phrases over it.
 *
 * FTS5's own tokenizers make a whole run of Han characters one token, so the text is tokenised
 * here and stored space-separated (FTS5's unicode61 tokenizer then only splits on the spaces):
 * - a run of Han characters becomes its character bigrams (`推进医保` → `推进 进医 医保`), and
 *   its last character alone where the run ends at punctuation or the end of the text, so that a
 *   one-character query (`茶*`, a prefix query) finds it at any place in a run;
 * - a run of other letters and digits stays one token (`5g`, `2023`), already lower-cased by the
 *   normaliser.
 * A query word becomes the phrase of its tokens: consecutive bigrams match exactly the text that
 * contains the word, wherever jieba would have cut it.
 */

const enum Kind {
  Other,
  Han,
  Alnum,
}

const HAN = /\p{Script=Han}/u;
const ALNUM = /[\p{L}\p{N}]/u;

function kindOf(ch: string): Kind {
  // ASCII first: most non-Han characters of a Chinese page are punctuation, digits and Latin.
  const code = ch.codePointAt(0)!;
  if (code < 0x80) return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90) ? Kind.Alnum : Kind.Other;
  if (HAN.test(ch)) return Kind.Han;
  return ALNUM.test(ch) ? Kind.Alnum : Kind.Other;
}

export interface TextRun {
  text: string;
  han: boolean;
  /** Whether the next character is a letter or digit (the run goes on in another script). */
  joined: boolean;
}

/** The Han and letter-or-digit runs of normalised text, in order. */
export function textRuns(normalized: string): TextRun[] {
  const runs: TextRun[] = [];
  const chars = [...normalized];
  let i = 0;
  while (i < chars.length) {
    const kind = kindOf(chars[i]!);
    if (kind === Kind.Other) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < chars.length && kindOf(chars[end]!) === kind) end++;
    const next = end < chars.length ? kindOf(chars[end]!) : Kind.Other;
    runs.push({ text: chars.slice(i, end).join(''), han: kind === Kind.Han, joined: next !== Kind.Other });
    i = end;
  }
  return runs;
}

/**
 * Normalised text → the space-separated tokens stored in the FTS table.
 * @example ftsTokens('推进医保。5g网络') // '推进 进医 医保 保 5g 网络 络'
 */
export function ftsTokens(normalized: string): string {
  const out: string[] = [];
  for (const run of textRuns(normalized)) {
    if (!run.han) {
      out.push(run.text);
      continue;
    }
    const chars = [...run.text];
    if (chars.length === 1) {
      out.push(run.text);
      continue;
    }
    for (let k = 0; k + 1 < chars.length; k++) out.push(chars[k]! + chars[k + 1]!);
    if (!run.joined) out.push(chars[chars.length - 1]!);
  }
  return out.join(' ');
}

/**
 * A normalised query word → an FTS5 phrase that matches the text containing it, or null when it has
 * nothing to look for. Spaces between Han characters are dropped (`医保 服务` is `医保服务`); a
 * trailing single Han character is a prefix (`医` finds `医保`).
 * @example ftsPhrase('医保服务') // '"医保 保服 服务"'
 */
export function ftsPhrase(normalized: string): string | null {
  const joined = normalized.replace(/(\p{Script=Han})\s+(?=\p{Script=Han})/gu, '$1');
  const tokens: string[] = [];
  let prefix = false;
  for (const run of textRuns(joined)) {
    const chars = [...run.text];
    if (!run.han || chars.length === 1) {
      tokens.push(run.text);
      prefix = run.han;
      continue;
    }
    for (let k = 0; k + 1 < chars.length; k++) tokens.push(chars[k]! + chars[k + 1]!);
    prefix = false;
  }
  if (tokens.length === 0) return null;
  // Tokens hold only letters and digits: nothing in them needs FTS5 quoting but the quotes themselves.
  return `"${tokens.join(' ')}"${prefix ? ' *' : ''}`;
}

/**
 * The characters of a normalised word, each as a prefix token, for a NEAR group: the word's
 * letters found in order within a few characters of each other (`炒茶` → `炒* 茶*`).
 */
export function ftsCharacters(normalized: string): string[] {
  const out: string[] = [];
  for (const run of textRuns(normalized)) {
    if (run.han) for (const ch of run.text) out.push(`"${ch}" *`);
    else out.push(`"${run.text}"`);
  }
  return out;
}
