/**
 * The bot as run-bot.ts starts it, in its own process, for the crash test: settings from the
 * environment, the send limit raised so a large fan-out takes seconds (the limiter stays on), logs
 * on stderr, "READY" on stdout once it receives updates.
 */
import { pino } from 'pino';
import { parseConfig } from '../../src/config.js';
import { startBotService } from '../../src/run-bot.js';

const config = { ...parseConfig(process.env), sendRate: { global: 1000, perChatMs: 1000, perGroupPerMinute: 20 } };
const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, process.stderr);
const service = await startBotService(config, log, { watch: { debounceMs: 50, rescanMs: 200 }, pollIdleDelayMs: 50 });
await service.startupFanOut;
process.stdout.write('READY\n');
process.once('SIGTERM', () => void service.stop('SIGTERM'));
await service.done;
