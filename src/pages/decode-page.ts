/**
 * Page bytes → text. Pages arrive as UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030/GBK
 * from older newsroom tools; line ends are normalised to `\n`. Never throws: a page that cannot be
 * read becomes a result that says why, so one bad file never stops the loader.
 */
import iconv from 'iconv-lite';

export type PageEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export type DecodedPage =
  | { ok: true; text: string; encoding: PageEncoding }
  | { ok: false; reason: 'empty' | 'binary' | 'undecodable'; message: string };

/** Control characters other than tab, line feed, form feed and carriage return. */
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g;

/**
 * Decodes a page file's bytes.
 * @example decodePage(readFileSync('seeds/2023-10-31.txt')) // { ok: true, text: '# …', encoding: 'utf-8' }
 */
export function decodePage(bytes: Uint8Array): DecodedPage {
  if (bytes.length === 0) return { ok: false, reason: 'empty', message: '文件为空' };
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  // A NUL byte outside UTF-16 means an image, an archive or a word-processor file, not a text page.
  if (!utf16 && bytes.includes(0)) return { ok: false, reason: 'binary', message: '二进制文件，不是文本版面' };
  const decoded = decodeBytes(bytes);
  if (!decoded) return { ok: false, reason: 'undecodable', message: '无法识别的编码（不是 UTF-8 或 GB18030）' };
  const text = normaliseLineEnds(decoded.text);
  // NUL or many control characters mean this is not a text page (an image, a zip, a .doc).
  const controls = text.match(CONTROL)?.length ?? 0;
  if (text.includes('\u0000') || controls > Math.max(2, text.length * 0.02)) {
    return { ok: false, reason: 'binary', message: '二进制文件，不是文本版面' };
  }
  if (text.trim() === '') return { ok: false, reason: 'empty', message: '文件没有文字内容' };
  return { ok: true, text, encoding: decoded.encoding };
}

/** CRLF and lone CR become LF; a leading BOM is dropped. */
export function normaliseLineEnds(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

function decodeBytes(bytes: Uint8Array): { text: string; encoding: PageEncoding } | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(Buffer.from(bytes), 'utf-16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: iconv.decode(Buffer.from(bytes), 'utf-16be'), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: the only other encoding Chinese newsrooms still produce is GB18030 (a superset of GBK).
  }
  const text = iconv.decode(Buffer.from(bytes), 'gb18030');
  const replaced = text.match(/\uFFFD/g)?.length ?? 0;
  if (replaced > Math.max(1, text.length * 0.01)) return null;
  return { text, encoding: 'gb18030' };
}
