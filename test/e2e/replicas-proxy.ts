/**
 * The load balancer in front of the replicas, as the end-to-end test needs it: takes the webhook
 * POSTs of the emulator, adds the `X-Telegram-Bot-Api-Secret-Token` header that Telegram would send
 * (the emulator does not), and hands each request to the next replica in turn; a replica that does
 * not answer (killed) is skipped, as nginx does with `proxy_next_upstream`.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';

export interface ReplicaProxy {
  url: string;
  /** Which replica (index into `ports`) answered each update, by update id. */
  served: Array<{ updateId: number; replica: number }>;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function forward(port: number, path: string, body: Buffer, secret: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-telegram-bot-api-secret-token': secret },
      },
      async (res) => resolve({ status: res.statusCode ?? 502, body: await readBody(res) }),
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function startReplicaProxy(port: number, replicaPorts: readonly number[], secret: string): Promise<ReplicaProxy> {
  let next = 0;
  const proxy: ReplicaProxy = { url: `http://127.0.0.1:${port}`, served: [], close: async () => undefined };
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    for (let tried = 0; tried < replicaPorts.length; tried++) {
      const replica = next;
      next = (next + 1) % replicaPorts.length;
      // Recorded as it is handed on: the bot's replies arrive before its answer to this request.
      const record = { updateId: Number((JSON.parse(body.toString('utf8')) as { update_id?: number }).update_id), replica };
      proxy.served.push(record);
      try {
        const answer = await forward(replicaPorts[replica]!, request.url ?? '/', body, secret);
        response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
        return;
      } catch {
        // Connection refused or reset: that replica is down, the next one takes it.
        proxy.served.splice(proxy.served.indexOf(record), 1);
      }
    }
    response.writeHead(502).end();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  proxy.close = () => new Promise((resolve) => server.close(() => resolve()));
  return proxy;
}
