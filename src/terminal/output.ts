/**
 * Writing answers to stdout so that scripts get all of them. On a pipe Node writes asynchronously:
 * `process.exit` right after a large write drops whatever the pipe has not taken yet (a reader got
 * the first 64 KiB of a 52 MB answer). Everything here waits until the bytes are handed to the OS,
 * and a reader that went away (`| head -1`) ends the process quietly instead of with a stack trace.
 */

/** A stream's error that says its reader is gone. */
export function isBrokenPipe(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/**
 * Write `text`, resolving once the stream will take more (after `drain` when its buffer is full),
 * so a long answer loop never holds more than one buffer in memory.
 */
export function writeOut(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (stream.write(text)) return resolve();
    // A broken pipe never drains: its error (or close) settles the wait too.
    const settle = () => {
      stream.off('drain', settle).off('error', settle).off('close', settle);
      resolve();
    };
    stream.on('drain', settle).on('error', settle).on('close', settle);
  });
}

/** Resolves when everything written to `stream` so far has been handed to the OS (or the stream failed). */
export function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    if ((stream as NodeJS.WritableStream & { destroyed?: boolean }).destroyed) return resolve();
    // Write callbacks run in order: this one runs after every earlier write has been flushed.
    stream.write('', () => resolve());
  });
}

/**
 * When the reader of `stream` goes away, call `onGone` (default: end the process with code 0, as
 * `head` expects of the commands it reads). Without a listener the EPIPE error would be thrown.
 */
export function onBrokenPipe(stream: NodeJS.WritableStream, onGone: () => void = () => process.exit(0)): void {
  stream.on('error', (error: unknown) => {
    if (isBrokenPipe(error)) onGone();
    else throw error;
  });
}

/** End the process with `code` once stdout and stderr are flushed. */
export async function exitAfterFlush(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}
