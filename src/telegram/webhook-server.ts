/**
 * The webhook door into the same `handleUpdate` as polling: an HTTP server that takes Telegram's
 * POSTs on the webhook path (the secret token checked on every request) and answers `/healthz`.
 */
import { createServer, type Server } from 'node:http';
import type { Telegraf } from 'telegraf';
import type { Logger } from 'pino';

export interface WebhookServerOptions {
  bot: Telegraf;
  log: Logger;
  /** The path Telegram posts to, e.g. `/telegram`. */
  path: string;
  /** Compared with the `X-Telegram-Bot-Api-Secret-Token` header of every request. */
  secretToken: string;
  port: number;
  host?: string;
  /** Extra facts for `/healthz`. */
  health?: () => Record<string, unknown>;
}

/** Telegram's updates are small; anything far larger is not from Telegram. */
const MAX_BODY_BYTES = 1_000_000;

/** Listening on `port` when the promise resolves. */
export async function startWebhookServer(options: WebhookServerOptions): Promise<Server> {
  const { bot, log } = options;
  const handle = bot.webhookCallback(options.path, { secretToken: options.secretToken });
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, mode: 'webhook', ...options.health?.() }));
      return;
    }
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      res.writeHead(413).end();
      return;
    }
    // telegraf answers 403 itself when the path, method or secret token does not match.
    handle(req, res, () => {
      log.warn({ method: req.method, path }, 'telegram webhook: request refused (wrong path or secret token)');
      res.writeHead(path === options.path ? 403 : 404).end();
    }).catch((error: unknown) => {
      log.error({ err: error }, 'telegram webhook: request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
