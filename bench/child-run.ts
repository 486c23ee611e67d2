/**
 * Runs a benchmark script in a fresh process and collects the JSON lines it prints, each stamped
 * with the time since spawn at which the parent received it. The serve probe stands for the bot's
 * start-up, so it starts as `npm start` starts the bot (scripts/start.mjs: the compiled build, rebuilt
 * when a source changed); the other scripts run under `tsx`, as `npm run bench` does.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtEntry } from '../scripts/build.mjs';

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
  /** Peak RSS (VmHWM) of the child (with tsx: of the node process it started), read just before a stopped child was killed (Linux only). */
  peakRssMBAtStop: number | null;
  wallMs: number;
  stderrTail: string;
}

export interface ChildOptions {
  env?: Record<string, string>;
  timeoutMs: number;
  /** Extra node flags (e.g. `--cpu-prof`), passed through NODE_OPTIONS. */
  nodeOptions?: string;
  /** `start`: as `npm start` runs the bot; `tsx`: the TypeScript source under tsx. Default: `start` for the serve probe only. */
  launch?: 'start' | 'tsx';
}

/** Scripts that measure the bot's own start-up, so they must start as the bot does. */
const STARTS_AS_THE_BOT = new Set(['bench/serve-probe.ts']);

/** The command that starts `script` (relative to the project root) with `args`. */
function command(root: string, script: string, args: string[], launch: 'start' | 'tsx'): [string, string[]] {
  if (launch === 'start') return [process.execPath, [join(root, 'scripts', 'start.mjs'), script, ...args]];
  return [join(root, 'node_modules', '.bin', 'tsx'), [script, ...args]];
}

/** @example await runChild('bench/serve-probe.ts', [], { env: { SEEDS_DIR: dir }, timeoutMs: 60_000 }) */
export async function runChild(script: string, args: string[], options: ChildOptions): Promise<ChildResult> {
  const root = process.cwd();
  const launch = options.launch ?? (STARTS_AS_THE_BOT.has(script) ? 'start' : 'tsx');
  // Built before the clock starts: a build follows an edit once, it is not part of any start.
  if (launch === 'start') await builtEntry(script, root);
  const [file, argv] = command(root, script, args, launch);
  const env = { ...process.env, ...options.env, ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}) };
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(file, argv, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
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
      // The child and any process it starts (tsx starts node) form one group: end them all.
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
