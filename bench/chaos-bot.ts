/**
 * The bot as run-bot.ts starts it, in its own process, for the chaos rounds: settings from the
 * environment, the global send limit raised so a fan-out takes about a second (the per-chat limit
 * stays), logs on stderr, "READY" on stdout once it receives updates, a clean stop on SIGTERM.
 */
import { pino } from 'pino';
import { parseConfig } from '../src/config.js';
import { startBotService } from '../src/run-bot.js';

const config = { ...parseConfig(process.env), sendRate: { global: 1000, perChatMs: 1000, perGroupPerMinute: 20 } };
const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, process.stderr);
const service = await startBotService(config, log, { watch: { debounceMs: 30, rescanMs: 200 }, pollIdleDelayMs: 20 });
// The handler first: the parent may send SIGTERM the moment it reads READY.
process.once('SIGTERM', () => void service.stop('SIGTERM'));
process.stdout.write('READY\n');
await service.done;
