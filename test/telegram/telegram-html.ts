/**
 * Test helper: reads Telegram HTML the way Telegram's parser does (the tags this bot uses, the four
 * named entities), so tests can check a message is well-formed and measure its visible length.
 */
const TAGS = new Set(['b', 'i', 'u', 'a']);
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** The visible text of `html`; throws on a bad tag, an unclosed tag, or a stray `<` or `&`. */
export function parseTelegramHtml(html: string): string {
  const stack: string[] = [];
  let text = '';
  let i = 0;
  while (i < html.length) {
    const c = html[i]!;
    if (c === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) throw new Error(`unclosed "<" at ${i}`);
      const tag = html.slice(i + 1, end);
      const closing = /^\/([a-z]+)$/.exec(tag);
      const opening = /^([a-z]+)(?: href="[^"<>]*")?$/.exec(tag);
      if (closing) {
        if (stack.pop() !== closing[1]) throw new Error(`mismatched </${closing[1]}> at ${i}`);
      } else if (opening && TAGS.has(opening[1]!)) {
        stack.push(opening[1]!);
      } else {
        throw new Error(`unsupported tag <${tag}> at ${i}`);
      }
      i = end + 1;
    } else if (c === '&') {
      const m = /^&([a-z]+);/.exec(html.slice(i, i + 6));
      if (!m || !(m[1]! in ENTITIES)) throw new Error(`stray "&" at ${i}`);
      text += ENTITIES[m[1]!];
      i += m[0].length;
    } else if (c === '>') {
      throw new Error(`stray ">" at ${i}`);
    } else {
      text += c;
      i += 1;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  return text;
}
