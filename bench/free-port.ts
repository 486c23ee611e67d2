/** Ports for the emulator in benchmark children. */
import { createServer } from 'node:net';

/** A free loopback port (the emulator's `port: 0` silently means 9000). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
