import { isValidDigestTime, isValidTimeZone } from './time-settings.js';

/**
 * Settings, parsed and checked once at startup. `main.ts` hands the result to everything else;
 * no other module reads the environment.
 */

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  /** Telegram bot token; null runs the terminal chat instead. */
  botToken: string | null;
  /** Bot API server root (a self-hosted server or the test emulator); null is api.telegram.org. */
  telegramApiRoot: string | null;
  seedsDir: string;
  dataDir: string;
  dbPath: string;
  /** PostgreSQL for everything replicas share (`postgres://…`); null keeps it all in SQLite at `dbPath`. */
  databaseUrl: string | null;
  /** The city whose counties items are tagged with, by its name in the gazetteer. */
  region: string;
  webhookUrl: string | null;
  webhookSecret: string | null;
  port: number;
  logLevel: LogLevel;
  summaryMaxChars: number;
  pageSize: number;
  timeZone: string;
  /** Default daily digest time, `HH:MM` in `timeZone`. */
  digestTime: string;
  /** Telegram user ids allowed to use /stats in a private chat. */
  adminIds: readonly number[];
  /** Watch the seeds folder and ingest new or changed pages while running. */
  watchSeeds: boolean;
  sendRate: {
    /** Messages per second over all chats. */
    global: number;
    /** Minimum milliseconds between two messages to one chat. */
    perChatMs: number;
    /** Messages per minute to one group. */
    perGroupPerMinute: number;
  };
}

export class ConfigError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`配置错误 ${setting}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function text(env: Env, name: string): string | null {
  const value = env[name]?.trim();
  return value ? value : null;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `应为整数，实际为 "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `应在 ${min} 到 ${max} 之间，实际为 ${value}`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name);
  if (raw === null) return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `应为 true 或 false，实际为 "${raw}"`);
}

function url(env: Env, name: string): string | null {
  const raw = text(env, name);
  if (raw === null) return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `不是有效的网址: "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(name, `应以 http:// 或 https:// 开头: "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function userIds(env: Env, name: string): number[] {
  const raw = text(env, name);
  if (raw === null) return [];
  return raw.split(/[\s,]+/).filter(Boolean).map((id) => {
    if (!/^\d{1,15}$/.test(id)) throw new ConfigError(name, `应为 Telegram 用户编号（数字），用逗号分隔，实际为 "${id}"`);
    return Number(id);
  });
}

/**
 * Parse settings from an environment-like object.
 * @example parseConfig({ SEEDS_DIR: 'seeds', BOT_TOKEN: '123:abc' })
 * @throws ConfigError naming the first bad setting.
 */
export function parseConfig(env: Env): Config {
  const botToken = text(env, 'BOT_TOKEN');
  if (botToken !== null && !/^\d+:[A-Za-z0-9_-]+$/.test(botToken)) {
    throw new ConfigError('BOT_TOKEN', '格式应为 "数字:字母数字"，请从 @BotFather 复制完整的令牌');
  }
  const webhookSecret = text(env, 'WEBHOOK_SECRET');
  if (webhookSecret !== null && !/^[A-Za-z0-9_-]{1,256}$/.test(webhookSecret)) {
    throw new ConfigError('WEBHOOK_SECRET', '只能包含 A-Z a-z 0-9 _ -，长度 1 到 256');
  }
  const logLevel = (text(env, 'LOG_LEVEL') ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `应为 ${LOG_LEVELS.join('/')} 之一`);
  }
  const timeZone = text(env, 'TIMEZONE') ?? 'Asia/Shanghai';
  if (!isValidTimeZone(timeZone)) throw new ConfigError('TIMEZONE', `未知时区 "${timeZone}"`);
  const digestTime = text(env, 'DIGEST_TIME') ?? '08:00';
  if (!isValidDigestTime(digestTime)) {
    throw new ConfigError('DIGEST_TIME', `应为 HH:MM（24 小时制），实际为 "${digestTime}"`);
  }
  const dataDir = text(env, 'DATA_DIR') ?? 'data';
  const databaseUrl = text(env, 'DATABASE_URL');
  if (databaseUrl !== null && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', '应为 postgres://用户@主机:端口/数据库 形式的 PostgreSQL 地址');
  }
  return {
    botToken,
    telegramApiRoot: url(env, 'TELEGRAM_API_ROOT'),
    seedsDir: text(env, 'SEEDS_DIR') ?? 'seeds',
    dataDir,
    dbPath: text(env, 'DB_PATH') ?? `${dataDir}/bot.db`,
    databaseUrl,
    region: text(env, 'REGION') ?? '衢州市',
    webhookUrl: url(env, 'WEBHOOK_URL'),
    webhookSecret,
    port: integer(env, 'PORT', 8080, 1, 65535),
    logLevel,
    summaryMaxChars: integer(env, 'SUMMARY_MAX_CHARS', 120, 20, 1000),
    pageSize: integer(env, 'PAGE_SIZE', 5, 1, 20),
    timeZone,
    digestTime,
    adminIds: userIds(env, 'ADMIN_IDS'),
    watchSeeds: boolean(env, 'WATCH_SEEDS', true),
    sendRate: {
      global: integer(env, 'SEND_RATE_GLOBAL', 25, 1, 30),
      perChatMs: integer(env, 'SEND_INTERVAL_CHAT_MS', 1000, 0, 60_000),
      perGroupPerMinute: integer(env, 'SEND_RATE_GROUP_PER_MINUTE', 20, 1, 60),
    },
  };
}
