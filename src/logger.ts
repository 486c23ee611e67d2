/** Structured logs (pino). The bot logs JSON lines; the terminal chat shows only warnings, readably. */
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

/** Paths whose values never reach a log line, wherever a caller puts them. */
const REDACT = ['token', 'botToken', 'config.botToken', '*.token', 'secret', 'webhookSecret', 'config.webhookSecret'];

/**
 * A JSON logger on stderr.
 * @example createLogger('info').info({ pages: 3 }, 'indexed')
 */
export function createLogger(level: LogLevel, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
}

/**
 * A logger for the terminal chat: warnings and errors as one plain line each on stderr,
 * so the chat on stdout stays readable and pipes stay clean.
 */
export function createTerminalLogger(level: LogLevel, output: NodeJS.WritableStream = process.stderr): Logger {
  const stream = {
    write(line: string) {
      try {
        const entry = JSON.parse(line) as { level: number; msg?: string; file?: string; err?: { message?: string } };
        const tag = entry.level >= 50 ? '错误' : entry.level >= 40 ? '注意' : '信息';
        const detail = entry.err?.message ? `：${entry.err.message}` : '';
        output.write(`[${tag}] ${entry.msg ?? ''}${detail}\n`);
      } catch {
        output.write(line);
      }
    },
  };
  const effective = level === 'info' ? 'warn' : level;
  return pino({ level: effective, redact: { paths: REDACT, censor: '[redacted]' } }, stream);
}
