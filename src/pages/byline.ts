/**
 * Bylines: the short line of names under a headline, e.g. `诸葛琦 吴征东`. A name is 2–4 Chinese
 * characters (an interpunct `·` is allowed for transliterated names); names are separated by spaces.
 * A byline carries no punctuation, which keeps a short first paragraph from being mistaken for one.
 */

const NAME = /^[\u3400-\u9fff](?:[\u3400-\u9fff]|·(?=[\u3400-\u9fff])){1,5}$/u;
const MAX_NAMES = 8;

/** Splits a run of space-separated names; null if any part is not a plausible name. */
export function parseNames(text: string): string[] | null {
  const names = text.trim().split(/[\s\u3000]+/u).filter(Boolean);
  if (names.length === 0 || names.length > MAX_NAMES) return null;
  for (const name of names) {
    const letters = name.replace(/·/g, '').length;
    if (!NAME.test(name) || letters < 2 || letters > 4) return null;
  }
  return names;
}

/**
 * The authors named by a byline line, or null if the line is not a byline.
 * @example parseByline('诸葛琦 吴征东') // ['诸葛琦', '吴征东']
 * @example parseByline('学生把菜卖给老师') // null (8 characters is no name)
 */
export function parseByline(line: string): string[] | null {
  return parseNames(line);
}
