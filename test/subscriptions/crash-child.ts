/**
 * The bot's delivery side as a separate process, for the crash test: drains the outbox of the
 * database at argv[2] through a Sender that appends each message to the file at argv[3] the moment
 * it is called (as Telegram has it once the request is in), then answers after a short latency.
 * With argv[5] = N, the process SIGKILLs itself when the Nth send is called, before recording it:
 * the kill lands in the exact window between the committed claim and the request leaving.
 */
import { appendFileSync } from 'node:fs';
import { realSleep, systemClock } from '../../src/subscriptions/clock.js';
import { openDatabase } from '../../src/subscriptions/database.js';
import { DeliveryWorker, type Sender } from '../../src/subscriptions/delivery.js';
import { Outbox } from '../../src/subscriptions/outbox.js';
import { RateLimiter } from '../../src/subscriptions/rate-limiter.js';
import { SubscriptionStore } from '../../src/subscriptions/store.js';
import { DEFAULTS, idsRender } from './world.js';

export function recordingSender(file: string, latencyMs: number, killAtCall?: number): Sender {
  let calls = 0;
  return {
    async send(chatId, message) {
      if (++calls === killAtCall) process.kill(process.pid, 'SIGKILL');
      appendFileSync(file, `${chatId}\t${message.text}\n`);
      await realSleep(latencyMs);
    },
  };
}

export async function drainOnce(
  dbPath: string,
  recordFile: string,
  latencyMs: number,
  killAtCall?: number,
): Promise<ReturnType<DeliveryWorker['recover']>> {
  const db = openDatabase(dbPath);
  const store = new SubscriptionStore(db, DEFAULTS);
  const worker = new DeliveryWorker({
    outbox: new Outbox(db),
    store,
    sender: recordingSender(recordFile, latencyMs, killAtCall),
    render: idsRender(2),
    limiter: new RateLimiter(null),
    clock: systemClock,
    sleep: realSleep,
    concurrency: 8,
  });
  const recovery = worker.recover();
  await worker.drain();
  db.close();
  return recovery;
}

if (process.argv[1]?.endsWith('crash-child.ts')) {
  const [dbPath, recordFile, latency, killAt] = process.argv.slice(2);
  await drainOnce(dbPath!, recordFile!, Number(latency ?? 2), killAt === undefined ? undefined : Number(killAt));
}
