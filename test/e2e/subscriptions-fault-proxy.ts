/**
 * A Bot API proxy in front of the emulator that can answer a `sendMessage` itself, the way Telegram
 * would refuse it (429 with retry_after, 403 blocked, 400 migrated); everything else goes through.
 * The emulator cannot do this on its own, and this keeps the bot's whole HTTP path real.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface Refusal {
  status: number;
  body: Record<string, unknown>;
}

/** Decides, per sendMessage call, whether to refuse it; `call` counts calls to that chat (1-based). */
export type FaultRule = (chatId: number, call: number) => Refusal | null;

export interface SendRecord {
  chatId: number;
  at: number;
  refused: number | null;
}

export interface FaultProxy {
  url: string;
  rule: FaultRule | null;
  /** Every sendMessage call, in order. */
  sends: SendRecord[];
  close(): Promise<void>;
}

export const tooManyRequests = (seconds: number): Refusal => ({
  status: 429,
  body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${seconds}`, parameters: { retry_after: seconds } },
});

export const blocked = (): Refusal => ({
  status: 403,
  body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
});

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFaultProxy(target: string, port: number): Promise<FaultProxy> {
  const calls = new Map<number, number>();
  const proxy: FaultProxy = { url: `http://127.0.0.1:${port}`, rule: null, sends: [], close: async () => undefined };
  const server: Server = createServer(async (request, response) => {
    const body = await readBody(request);
    if (request.url?.endsWith('/sendMessage')) {
      let chatId = NaN;
      try {
        chatId = Number((JSON.parse(body.toString('utf8')) as { chat_id: unknown }).chat_id);
      } catch {
        // not JSON: let the emulator answer it
      }
      const call = (calls.get(chatId) ?? 0) + 1;
      calls.set(chatId, call);
      const refusal = proxy.rule?.(chatId, call) ?? null;
      proxy.sends.push({ chatId, at: Date.now(), refused: refusal?.status ?? null });
      if (refusal) {
        response.writeHead(refusal.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(refusal.body));
        return;
      }
    }
    try {
      const upstream = await fetch(`${target}${request.url}`, {
        method: request.method,
        headers: { 'content-type': request.headers['content-type'] ?? 'application/json' },
        body: request.method === 'GET' || request.method === 'HEAD' ? undefined : body,
      });
      response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      response.end(Buffer.from(await upstream.arrayBuffer()));
    } catch (error) {
      response.writeHead(502);
      response.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
