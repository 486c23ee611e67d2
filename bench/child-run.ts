/**
 * Runs a benchmark script in a fresh `tsx` process (as `npm start` runs the bot) and collects the
 * JSON lines it prints, each stamped with the time since spawn at which the parent received it.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ChildEvent {
  event: string;
  /** Milliseconds from spawn to the line's arrival in the parent. */
  sinceSpawnMs: number;
  data: Record<string, unknown>;
}

export interface ChildResult {
  events: ChildEvent[];
  exitCode: number | null;
  timedOut: boolean;
  /** Peak RSS (VmHWM) of the process tsx started, read just before a stopped child was killed (Linux only). */
  peakRssMBAtStop: number | null;
  wallMs: number;
  stderrTail: string;
}

export interface ChildOptions {
  env?: Record<string, string>;
  timeoutMs: number;
  /** Extra node flags (e.g. `--cpu-prof`), passed through NODE_OPTIONS. */
  nodeOptions?: string;
}

/** @example await runChild('bench/serve-probe.ts', [], { env: { SEEDS_DIR: dir }, timeoutMs: 60_000 }) */
export function runChild(script: string, args: string[], options: ChildOptions): Promise<ChildResult> {
  const root = process.cwd();
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  const env = { ...process.env, ...options.env, ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}) };
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(tsx, [script, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const events: ChildEvent[] = [];
    let pending = '';
    let stderr = '';
    let timedOut = false;
    let peakRssMBAtStop: number | null = null;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const now = performance.now() - started;
      pending += chunk;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        try {
          const data = JSON.parse(line) as Record<string, unknown>;
          events.push({ event: String(data['event'] ?? 'line'), sinceSpawnMs: now, data });
        } catch {
          // Not one of ours (a stray console line): ignored.
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) peakRssMBAtStop = peakRssOfTree(child.pid);
      // The tsx wrapper and the node process it starts form one group: end both.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }
    }, options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ events, exitCode: code, timedOut, peakRssMBAtStop, wallMs: performance.now() - started, stderrTail: stderr });
    });
  });
}

/** The first event of that name, or undefined. */
export function eventOf(result: ChildResult, name: string): ChildEvent | undefined {
  return result.events.find((e) => e.event === name);
}

/** The largest VmHWM among a process and its children, in MB; null where /proc is not there. */
function peakRssOfTree(pid: number): number | null {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/u).filter(Boolean).map(Number);
    const peaks = [pid, ...children].map((p) => {
      const m = /VmHWM:\s+(\d+) kB/u.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : 0;
    });
    return Math.max(...peaks);
  } catch {
    return null;
  }
}
