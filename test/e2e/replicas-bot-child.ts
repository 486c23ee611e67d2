/**
 * One replica of the bot for the replicas end-to-end test and the replicas benchmark: run-bot.ts's
 * service with settings from the environment (DATABASE_URL, WEBHOOK_URL, PORT, …), a dead replica's
 * jobs handed on within seconds (REPLICA_EXPIRE_SECONDS), logs on stderr, "READY" on stdout once it
 * takes updates. SIGTERM stops it cleanly; the tests SIGKILL it.
 */
import { pino } from 'pino';
import { parseConfig } from '../../src/config.js';
import { startBotService } from '../../src/run-bot.js';

// The benchmark sends faster than Telegram's 30/s (the only way 10,000 fit its time budget): it
// passes that rate here, past the config's check.
const parsed = parseConfig(process.env);
const benchRate = Number(process.env.REPLICA_SEND_RATE_GLOBAL ?? 0);
const config = benchRate > 0 ? { ...parsed, sendRate: { ...parsed.sendRate, global: benchRate } } : parsed;
const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, process.stderr);
const expire = Number(process.env.REPLICA_EXPIRE_SECONDS ?? 2);
const service = await startBotService(config, log, {
  watch: { debounceMs: 50, rescanMs: 200 },
  flood: { burst: 100, perSecond: 100 },
  deliveryConcurrency: Number(process.env.REPLICA_CONCURRENCY ?? 8),
  jobs: {
    schema: process.env.REPLICA_BOSS_SCHEMA ?? 'pgboss',
    expireInSeconds: expire,
    maintenanceIntervalSeconds: 1,
    sweepMs: Number(process.env.REPLICA_SWEEP_MS ?? 1000),
  },
});
process.stdout.write('READY\n');
process.once('SIGTERM', () => void service.stop('SIGTERM'));
await service.done;
