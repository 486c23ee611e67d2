import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { zh } from '../../src/i18n/zh.js';
import type { News } from '../../src/news.js';
import { runTerminalChat } from '../../src/terminal/chat.js';
import { openTestNews } from '../news-fixture.js';

let news: News;
beforeAll(async () => {
  news = await openTestNews();
});

async function chat(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const done = runTerminalChat({ answers: news.answers, messages: zh, input, output, interactive: false });
  input.end(lines.map((l) => `${l}\n`).join(''));
  await done;
  return text;
}

describe('terminal chat', () => {
  it('answers a search, turns the page and reads a result by its number', async () => {
    const text = await chat(['/search 硅烷', '/read 1', '/latest', '/next']);
    expect(text).toContain('搜索“硅烷”');
    expect(text).toContain('【硅烷】');
    expect(text).toContain('前三季度衢州智造新城实现工业产值超1190亿元');
    expect(text).toMatch(/最新文章 · 找到 \d+ 篇，第 2\/\d+ 页/);
  });

  it('treats plain text as a search and never goes silent on a bad command', async () => {
    const text = await chat(['医保', '/nonsense', '/search', '/county 杭州', '/subscribe 医保']);
    expect(text).toContain('订阅和推送要在 Telegram 里使用');
    expect(text).toContain('推进【医保】服务 保障人民健康');
    expect(text).toContain('没有 /nonsense 这个命令');
    expect(text).toContain('请在 /search 后面写上要找的词');
    expect(text).toContain('没有叫“杭州”的区县');
  });
});

describe('npm start without a token', () => {
  it('answers piped commands and exits at end of input', () => {
    const out = execFileSync('npx', ['tsx', 'src/main.ts'], {
      input: '/latest\n/county 开化\n',
      env: { ...process.env, BOT_TOKEN: '', LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(out).toContain('最新文章');
    expect(out).toContain('开化县的文章');
  });

  it('names a bad setting and exits non-zero', () => {
    expect(() =>
      execFileSync('npx', ['tsx', 'src/main.ts'], { input: '', env: { ...process.env, PAGE_SIZE: 'lots' }, encoding: 'utf8', stdio: 'pipe' }),
    ).toThrow(/PAGE_SIZE/);
  });
});
