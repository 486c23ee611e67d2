/**
 * Cache files that are never trusted blindly: a magic header, the payload's SHA-256, then the
 * payload (v8-serialised). A truncated, edited or foreign file reads as missing; writes go to a
 * temporary file renamed into place, so a crash never leaves half a file under the real name.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writevSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';

const MAGIC = Buffer.from('QZNEWS\u0001\u0000', 'latin1');
const DIGEST_BYTES = 32;

/** The file's parts: header and digest, then the payload (never concatenated: at 50,000 items the index's payload is ~150 MB). */
function encode(value: unknown): Buffer[] {
  const payload = serialize(value);
  const digest = createHash('sha256').update(payload).digest();
  return [MAGIC, digest, payload];
}

const byteLength = (parts: Buffer[]): number => parts.reduce((n, part) => n + part.length, 0);

function decode(bytes: Buffer): unknown {
  const head = MAGIC.length + DIGEST_BYTES;
  if (bytes.length <= head || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const payload = bytes.subarray(head);
  const digest = createHash('sha256').update(payload).digest();
  if (!digest.equals(bytes.subarray(MAGIC.length, head))) return undefined;
  try {
    return deserialize(payload);
  } catch {
    return undefined;
  }
}

/** The value stored in `path`, or undefined when there is none or it fails the checks. */
export function readChecked(path: string): unknown {
  try {
    return decode(readFileSync(path));
  } catch {
    return undefined;
  }
}

/** As `readChecked`, without blocking the event loop on the read. */
export async function readCheckedAsync(path: string): Promise<unknown> {
  try {
    return decode(await readFile(path));
  } catch {
    return undefined;
  }
}

let sequence = 0;
const tempOf = (path: string) => `${path}.${process.pid}.${++sequence}.tmp`;

/** Writes atomically; false when it could not (a cache that cannot be written is only a slower start). */
export function writeChecked(path: string, value: unknown): boolean {
  const temp = tempOf(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(temp, 'w');
    try {
      const parts = encode(value);
      if (writevSync(fd, parts) !== byteLength(parts)) throw new Error('checked-file: short write');
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    return true;
  } catch {
    rmSync(temp, { force: true });
    return false;
  }
}

/** As `writeChecked`, the file work off the event loop (serialising still happens here). */
export async function writeCheckedAsync(path: string, value: unknown): Promise<boolean> {
  const temp = tempOf(path);
  try {
    const parts = encode(value);
    await mkdir(dirname(path), { recursive: true });
    const file = await open(temp, 'w');
    try {
      if ((await file.writev(parts)).bytesWritten !== byteLength(parts)) throw new Error('checked-file: short write');
    } finally {
      await file.close();
    }
    await rename(temp, path);
    return true;
  } catch {
    await rm(temp, { force: true });
    return false;
  }
}
