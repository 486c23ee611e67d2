/**
 * The bot as a chat in the terminal: what `npm start` runs with no BOT_TOKEN. Reads one message per
 * line, answers with the same core and catalogue as the Telegram bot, and ends at end of input, so
 * `printf '/latest\n' | npm start` works in scripts.
 */
import { createInterface } from 'node:readline';
import type { Answer } from '../answers/answer.js';
import type { Answers } from '../answers/answers.js';
import { helpText, type Messages } from '../i18n/messages.js';
import { flushed, onBrokenPipe, writeOut } from './output.js';
import { ansiBold, brackets, renderText } from './render-text.js';

export interface TerminalChatOptions {
  answers: Answers;
  messages: Messages;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** An interactive terminal gets a prompt and bold highlights; a pipe gets plain text. */
  interactive: boolean;
  /** Lines shown before the first prompt (e.g. how many articles were loaded). */
  intro?: string[];
}

const HINTS = {
  list: '（/next 下一页 · /prev 上一页 · /read 序号 阅读全文 · /help 帮助）',
  article: '（/back 返回列表 · /help 帮助）',
  terminal: '终端里还可以用：/next 下一页，/prev 上一页，/read 序号 或 /read 编号 阅读全文，/quit 退出。',
  telegramOnly: '订阅和推送要在 Telegram 里使用：终端聊天只有一位读者，也没有地方推送。可以先用 /search 试试要订阅的词。',
};

/** Commands that need a Telegram chat to push to; the terminal says so instead of "unknown command". */
const TELEGRAM_ONLY = new Set(['subscribe', 'subscriptions', 'unsubscribe', 'digest', 'settings', 'export', 'import']);

type ListRequest = { command: 'search' | 'county'; arg: string; page: number } | { command: 'latest'; page: number };

/** Keeps what the reader last listed, so /next, /prev and /read N work as the buttons do in Telegram. */
class ChatState {
  list: ListRequest | null = null;
  shown: string[] = [];
}

function runList(answers: Answers, request: ListRequest): Answer {
  const page = { page: request.page };
  if (request.command === 'latest') return answers.latest(page);
  return request.command === 'search' ? answers.search(request.arg, page) : answers.county(request.arg, page);
}

/** Answers one line of input; returns the text to print, or null to quit. */
export function answerLine(line: string, answers: Answers, messages: Messages, state: ChatState, emphasize: boolean): string | null {
  const text = line.trim();
  if (text === '') return '';
  const match = /^\/([A-Za-z_]+)(?:@\S+)?(?:\s+([\s\S]*))?$/.exec(text);
  const command = match ? match[1]!.toLowerCase() : null;
  const arg = match ? (match[2] ?? '').trim() : text;
  const render = (answer: Answer) => {
    if (answer.kind === 'results') state.shown = answer.results.map((r) => r.item.id);
    return renderText(answer, messages, emphasize ? ansiBold : brackets, HINTS);
  };
  const list = (request: ListRequest) => {
    const answer = runList(answers, request);
    if (answer.kind === 'results') state.list = request;
    return render(answer);
  };

  if (text.startsWith('/') && command === null) return messages.unknownCommand(text.split(/\s/)[0]!);
  switch (command) {
    case null:
      return list({ command: 'search', arg: text, page: 1 });
    case 'start':
      if (arg.startsWith('a_')) return render(answers.article(arg.slice(2)));
      return [messages.greeting, '', helpText(messages), HINTS.terminal].join('\n');
    case 'help':
      return [helpText(messages), HINTS.terminal].join('\n');
    case 'search':
      return list({ command: 'search', arg, page: 1 });
    case 'latest':
      return list({ command: 'latest', page: 1 });
    case 'county':
      return list({ command: 'county', arg, page: 1 });
    case 'next':
    case 'prev':
    case 'back': {
      if (!state.list) return messages.problem['page-out-of-range']({ kind: 'problem', problem: 'page-out-of-range', input: '' });
      const step = command === 'next' ? 1 : command === 'prev' ? -1 : 0;
      return list({ ...state.list, page: Math.max(1, state.list.page + step) });
    }
    case 'read':
    case 'article': {
      const n = Number(arg);
      const id = Number.isInteger(n) && n >= 1 && n <= state.shown.length ? state.shown[n - 1]! : arg;
      return render(answers.article(id));
    }
    case 'quit':
    case 'exit':
      return null;
    default:
      if (TELEGRAM_ONLY.has(command)) return HINTS.telegramOnly;
      return messages.unknownCommand(`/${command}`);
  }
}

/**
 * Runs the chat until end of input, /quit or the reader of `output` going away (`| head`), and
 * resolves only once every answer is flushed: a pipe takes 64 KiB at a time.
 */
export async function runTerminalChat(options: TerminalChatOptions): Promise<void> {
  const { answers, messages, input, output, interactive } = options;
  const state = new ChatState();
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  let gone = false;
  onBrokenPipe(output, () => {
    gone = true;
    rl.close();
  });
  const write = (text: string) => (gone ? Promise.resolve() : writeOut(output, text.endsWith('\n') ? text : `${text}\n`));
  if (options.intro?.length) await write(options.intro.join('\n'));
  if (interactive) {
    await write([messages.greeting, '', helpText(messages), HINTS.terminal, ''].join('\n'));
    rl.setPrompt('你> ');
    rl.prompt();
  }
  let first = true;
  for await (const line of rl) {
    let reply: string | null;
    try {
      reply = answerLine(line, answers, messages, state, interactive);
    } catch (err) {
      // One bad answer must not end the chat; the reader gets the same apology as on Telegram.
      reply = `${messages.apology}${interactive ? '' : ` (${(err as Error).message})`}`;
    }
    if (reply === null || gone) break;
    if (reply !== '') {
      if (!interactive && !first) await write('──────────');
      await write(interactive ? `\n${reply}\n` : reply);
      first = false;
    }
    if (gone) break;
    if (interactive) rl.prompt();
  }
  rl.close();
  if (!gone) await flushed(output);
}

export { ChatState };
