/**
 * The command line for people and scripts (`npm run -s cli -- <command>`):
 *   articles [--json]                 every item of SEEDS_DIR
 *   check [DIR]                       a report per page, for editors before dropping a page in
 *   search "<query>" [--json] [--limit N]   ranked items; with no query, one query per stdin line
 *   latest [--json] | county <name> [--json] | article <id> [--json] | related <id> [--json]
 *   summarize [--max-chars N] [--lines]    summary of stdin (or of each stdin line)
 * Reads settings like the bot (SEEDS_DIR, DATA_DIR, REGION, SUMMARY_MAX_CHARS); writes answers to
 * stdout and warnings to stderr.
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import dotenv from 'dotenv';
import type { Answer, ResultEntry } from './answers/answer.js';
import { parseConfig, type Config } from './config.js';
import { messagesFor } from './i18n/messages.js';
import { createTerminalLogger } from './logger.js';
import { openNews, type News } from './news.js';
import type { Item } from './pages/item.js';
import { loadPages } from './pages/load-pages.js';
import { createCountyTagger } from './places/county-tagger.js';
import { loadGazetteer } from './places/gazetteer.js';
import { exitAfterFlush, onBrokenPipe, writeOut } from './terminal/output.js';
import { brackets, renderText } from './terminal/render-text.js';
import { createSegmenter } from './text/segmenter.js';
import { summarize } from './text/summarize.js';

interface Args {
  command: string;
  positional: string[];
  flags: Map<string, string | true>;
}

const USAGE = `用法: npm run -s cli -- <命令>
  articles [--json]                    列出全部稿件
  check [目录]                         检查版面文件（编辑上版前运行）
  search "<查询>" [--json] [--limit N]  搜索；不给查询时从标准输入逐行读取
  latest [--json]                      最新稿件
  county <区县> [--json]               某区县的稿件
  article <编号> [--json]              一篇稿件全文
  related <编号> [--json]              与一篇稿件最相关的三篇
  summarize [--max-chars N] [--lines]  为标准输入的文字生成摘要`;

function parseArgs(argv: string[]): Args {
  const [command = 'help', ...rest] = argv;
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, value] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const takesValue = name === 'max-chars' || name === 'limit';
    if (value !== undefined) flags.set(name, value);
    else if (takesValue && rest[i + 1] !== undefined) flags.set(name, rest[++i]!);
    else flags.set(name, true);
  }
  return { command, positional, flags };
}

function numberFlag(args: Args, name: string, fallback: number): number {
  const raw = args.flags.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${name} 应为正整数`);
  return value;
}

class UsageError extends Error {}

function readConfig(): Config {
  const fromFile: Record<string, string> = {};
  if (existsSync('.env')) dotenv.config({ path: '.env', processEnv: fromFile, quiet: true });
  return parseConfig({ ...fromFile, ...process.env });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** One answer line on stdout; awaiting it waits while the reader is behind (a slow pipe). */
function out(value: unknown): Promise<void> {
  return writeOut(process.stdout, `${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
}

function itemJson(item: Item) {
  const { id, kind, title, subtitle, authors, photographers, date, counties, county, paragraphs, credit, origin, source } = item;
  return { id, kind, title, subtitle, authors, photographers, date, counties, county, paragraphs, credit: credit ?? null, origin: origin ?? null, source };
}

function resultJson(entry: ResultEntry) {
  const { item } = entry;
  return {
    id: item.id,
    title: item.title,
    kind: item.kind,
    county: item.county,
    date: item.date,
    score: Math.round(entry.score * 1000) / 1000,
    summary: entry.summary,
    snippet: entry.snippet?.text ?? null,
    snippetMarks: entry.snippet?.marks ?? [],
    keywords: entry.keywords,
  };
}

/** A list answer as a JSON array; a problem goes to stderr in Chinese and yields []. */
function answerJson(answer: Answer): unknown[] {
  if (answer.kind === 'results' || answer.kind === 'related') return answer.results.map(resultJson);
  if (answer.kind === 'problem') process.stderr.write(`${messagesFor('zh').problem[answer.problem](answer)}\n`);
  return [];
}

function printAnswer(answer: Answer, json: boolean): Promise<void> {
  if (json) return out(answer.kind === 'article' ? itemJson(answer.item) : answerJson(answer));
  return out(renderText(answer, messagesFor('zh'), brackets, { list: '', article: '' }).trimEnd());
}

async function withNews<T>(config: Config, run: (news: News) => Promise<T> | T): Promise<T> {
  const log = createTerminalLogger(config.logLevel);
  // Scripts answer at once and print summaries: wait until every page is in and summarised.
  const news = await openNews({ ...config, waitForSummaries: true }, log);
  try {
    return await run(news);
  } finally {
    await news.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const json = args.flags.has('json');
  const config = readConfig();
  switch (args.command) {
    case 'articles': {
      const gazetteer = loadGazetteer(config.region, { cacheDir: config.dataDir });
      const log = createTerminalLogger(config.logLevel);
      const { items } = await loadPages(config.seedsDir, { tag: createCountyTagger(gazetteer), onWarning: (m) => log.warn(m) });
      if (json) await out(JSON.stringify(items.map(itemJson), null, 2));
      else for (const item of items) await out(`${item.id}  ${item.kind === 'photo' ? '[图]' : '    '} ${item.county ?? '全市'}  ${item.title}`);
      return 0;
    }
    case 'check': {
      const dir = args.positional[0] ?? config.seedsDir;
      const gazetteer = loadGazetteer(config.region, { cacheDir: config.dataDir });
      const { pages, skipped } = await loadPages(dir, { tag: createCountyTagger(gazetteer) });
      for (const page of pages) {
        const { report } = page;
        const articles = page.items.filter((i) => i.kind === 'article').length;
        await out(`${page.file}  ${page.date ?? '未注明日期'}  ${page.encoding}`);
        await out(`  稿件 ${articles} 篇，图片说明 ${page.items.length - articles} 条；接续段落 ${report.paragraphsJoined} 处，移回段落块 ${report.blocksMoved} 处`);
        for (const item of page.items) await out(`  · ${item.id} ${item.title}（${item.county ?? '全市'}，${item.paragraphs.length} 段）`);
        for (const warning of report.warnings) await out(`  ⚠ ${warning}`);
      }
      for (const s of skipped) await out(`${s.file}  跳过：${s.message}`);
      await out(`共 ${pages.length} 个版面可用，${skipped.length} 个跳过。`);
      return skipped.length > 0 ? 1 : 0;
    }
    case 'search': {
      const limit = numberFlag(args, 'limit', 20);
      const query = args.positional.join(' ');
      return withNews(config, async (news) => {
        if (query.trim() !== '' || process.stdin.isTTY) {
          await printAnswer(news.answers.search(query, { pageSize: limit }), json);
          return 0;
        }
        // One query per line, one answer per line: a script pays the start-up once.
        for await (const line of createInterface({ input: process.stdin })) {
          const answer = news.answers.search(line, { pageSize: limit });
          if (json) await out(answerJson(answer));
          else await printAnswer(answer, false);
        }
        return 0;
      });
    }
    case 'latest':
      return withNews(config, async (news) => (await printAnswer(news.answers.latest({ pageSize: numberFlag(args, 'limit', 20) }), json), 0));
    case 'county':
      return withNews(config, async (news) => (await printAnswer(news.answers.county(args.positional.join(' '), { pageSize: numberFlag(args, 'limit', 20) }), json), 0));
    case 'article':
      return withNews(config, async (news) => {
        const answer = news.answers.article(args.positional[0] ?? '');
        await printAnswer(answer, json);
        return answer.kind === 'article' ? 0 : 1;
      });
    case 'related':
      return withNews(config, (news) => {
        const answer = news.answers.related(args.positional[0] ?? '');
        printAnswer(answer, json);
        return answer.kind === 'related' ? 0 : 1;
      });
    case 'summarize': {
      const maxChars = numberFlag(args, 'max-chars', config.summaryMaxChars);
      const seg = createSegmenter();
      const input = await readStdin();
      const texts = args.flags.has('lines') ? input.split(/\r?\n/) : [input];
      if (args.flags.has('lines') && texts.at(-1) === '') texts.pop();
      for (const text of texts) {
        const paragraphs = text.split(/\r?\n+/).map((p) => p.trim()).filter(Boolean);
        await out(summarize(paragraphs, seg, { maxChars }));
      }
      return 0;
    }
    case 'help':
    case '--help':
      await out(USAGE);
      return 0;
    default:
      throw new UsageError(`未知命令 "${args.command}"`);
  }
}

// `| head -1` closes the pipe early: end quietly. The exit waits for stdout to drain (a pipe takes
// 64 KiB at a time; exiting at once cut every larger answer).
onBrokenPipe(process.stdout);
main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`${error.message}\n${USAGE}\n`);
    else process.stderr.write(`出错：${error instanceof Error ? error.message : String(error)}\n`);
    return exitAfterFlush(2);
  },
);
