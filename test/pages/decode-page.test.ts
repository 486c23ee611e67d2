import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodePage } from '../../src/pages/decode-page.js';

const page = '# 移民社区 幸福生活\n\n诸葛琦 吴征东\n\n近日，位于开化县池淮镇星新社区的共富工坊里。\n';
const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('decodePage', () => {
  it('reads UTF-8 without a BOM', () => {
    expect(decodePage(utf8(page))).toEqual({ ok: true, text: page, encoding: 'utf-8' });
  });

  it('drops a UTF-8 BOM', () => {
    expect(decodePage(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(page)]))).toEqual({ ok: true, text: page, encoding: 'utf-8' });
  });

  it('normalises CRLF and lone CR to LF', () => {
    expect(decodePage(utf8(page.replace(/\n/g, '\r\n')))).toMatchObject({ ok: true, text: page });
    expect(decodePage(utf8(page.replace(/\n/g, '\r')))).toMatchObject({ ok: true, text: page });
  });

  it('decodes GBK and GB18030 pages', () => {
    expect(decodePage(iconv.encode(page, 'gbk'))).toEqual({ ok: true, text: page, encoding: 'gb18030' });
    const rare = '# 𠀀字与“鲜辣常山”\n\n正文。\n'; // outside GBK, only GB18030 can encode it
    expect(decodePage(iconv.encode(rare.replace(/\n/g, '\r\n'), 'gb18030'))).toEqual({ ok: true, text: rare, encoding: 'gb18030' });
  });

  it('decodes UTF-16 with a BOM', () => {
    expect(decodePage(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(page, 'utf-16le')]))).toMatchObject({ ok: true, text: page });
  });

  it('says why a file is not a page instead of throwing', () => {
    expect(decodePage(new Uint8Array())).toMatchObject({ ok: false, reason: 'empty' });
    expect(decodePage(utf8(' \n\r\n\t\n'))).toMatchObject({ ok: false, reason: 'empty' });
    expect(decodePage(Buffer.from([0xef, 0xbb, 0xbf]))).toMatchObject({ ok: false, reason: 'empty' });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    expect(decodePage(png)).toMatchObject({ ok: false, reason: 'binary' });
    expect(decodePage(utf8('abc\u0000def'))).toMatchObject({ ok: false, reason: 'binary' });
    expect(decodePage(utf8('\u0001\u0002\u0003\u0004 text'))).toMatchObject({ ok: false, reason: 'binary' });
    // Random high bytes are neither UTF-8 nor sensible GB18030.
    expect(decodePage(Buffer.from([0xff, 0x80, 0xff, 0x81, 0xfe, 0x30, 0xff, 0x80]))).toMatchObject({ ok: false });
  });
});
