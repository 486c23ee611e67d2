/**
 * The bench row of issue 13: fan-out to 10,000 subscribers by two replicas on PostgreSQL
 * (bench/measure-replicas.ts, each run its own process), once as is and once with one replica
 * SIGKILLed halfway. The configured global rate is 100 msg/s, above Telegram's 30, so 10,000 fit the
 * run (100 s each); `--full-fan-out` uses 30 msg/s (about 333 s each).
 */
import { runChild } from './child-run.js';
import type { Cell, MeasureContext, Measurement } from './measurements.js';
import type { ReplicasMeasurement } from './measure-replicas.js';

const SUBSCRIBERS = 10_000;
const RATE = 100;
const FULL_RATE = 30;

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function run(rate: number, kill: boolean, timeoutMs: number): Promise<ReplicasMeasurement | string> {
  const result = await runChild('bench/measure-replicas.ts', [String(SUBSCRIBERS), String(rate), ...(kill ? ['kill'] : [])], {
    timeoutMs: Math.max(1000, timeoutMs),
  });
  const line = result.events.find((e) => e.event === 'replicas-fan-out');
  if (line) return line.data as unknown as ReplicasMeasurement;
  return result.timedOut ? `stopped after ${secs(result.wallMs)}` : `exit ${result.exitCode}: ${result.stderrTail.slice(-400)}`;
}

async function measure(context: MeasureContext): Promise<Cell> {
  const rate = context.fullFanOut ? FULL_RATE : RATE;
  const expected = (SUBSCRIBERS / rate) * 1000;
  const parts: string[] = [];
  const notes: string[] = [];
  let ok = true;
  for (const kill of [false, true]) {
    const what = kill ? 'one replica killed halfway' : 'both replicas';
    context.log(`replicas fan-out: ${SUBSCRIBERS} subscribers at ${rate}/s, ${what} (about ${secs(expected)})`);
    const r = await run(rate, kill, context.fullFanOut ? expected + 300_000 : Math.min(context.remainingMs(), expected + 120_000));
    if (typeof r === 'string') {
      // No PostgreSQL is not a failure of the bot: say so and go on.
      const noServer = /ECONNREFUSED|does not answer|connect/i.test(r);
      ok &&= noServer;
      parts.push(`${what}: ${noServer ? 'skipped (no PostgreSQL)' : 'failed'}`);
      notes.push(`Replicas fan-out, ${what}: ${r}`);
      continue;
    }
    ok &&= r.duplicates === 0 && r.losses === r.uncertain && r.ofConfigured >= 95;
    parts.push(`${what}: ${r.achievedPerSecond} of ${r.configuredPerSecond} msg/s (${r.ofConfigured}%), ${r.duplicates} dup / ${r.losses} lost`);
    const outbox = Object.entries(r.outbox).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
    notes.push(
      `Replicas fan-out, ${what}: ${r.subscribers.toLocaleString('en-US')} subscribers, 2 bot processes on one PostgreSQL (pg-boss jobs, shared limiter at ${r.configuredPerSecond}/s), ` +
        `first message ${secs(r.pageToFirstMessageMs)} after the page arrived (indexing, the fan-out transaction, the first jobs), then delivered in ${secs(r.deliveryMs)} = ${r.achievedPerSecond} msg/s (${r.ofConfigured}% of the configured rate; most stored by the emulator in any one second ${r.maxInAnySecond}); ` +
        `duplicates ${r.duplicates}, losses ${r.losses}${r.uncertain > 0 ? ` (all ${r.uncertain} recorded uncertain: with Telegram at the kill)` : ''}; outbox ${outbox}`,
    );
  }
  return { text: parts.join(' · '), ok, notes };
}

export const replicasFanOut: Measurement = {
  name: 'replicas-fan-out',
  label: 'Fan-out to 10,000 subscribers by two replicas on PostgreSQL (achieved vs configured global rate; duplicates / losses), and with one replica SIGKILLed halfway',
  target: '≥ 95% of the configured rate, 0 duplicates, 0 losses',
  once: measure,
};
