import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';

/**
 * The calling thread runs only when no other thread of the machine wants the core (the lowest
 * priority, nice 19), where the system sets priorities per thread (Linux: through the thread's id
 * in /proc/thread-self). Elsewhere nothing changes. For background work on a worker thread: a cold
 * start's page writing and parsing come first, the summaries take what they leave.
 * @example lowerThreadPriority(); // in a worker thread
 */
export function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, constants.priority.PRIORITY_LOW);
  } catch {
    // No /proc (not Linux), or not allowed: the thread keeps the process's priority.
  }
}
