/**
 * The webhook door into the same `handleUpdate` as polling: an HTTP server that takes Telegram's
 * POSTs on the webhook path, and the operator's probes: `/healthz` (the process answers),
 * `/readyz` (the archive is open and the database takes writes) and `/metrics` (Prometheus).
 *
 * Every POST is checked before its body is read: the secret token (compared in constant time) and
 * the size (refused as soon as it passes the limit, whatever Content-Length said). The body is
 * read here, as bytes, and handed to telegraf parsed (telegraf's own reader joins chunks as
 * strings, which splits a Chinese character that straddles two chunks).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Telegraf } from 'telegraf';
import type { Logger } from 'pino';

/** One readiness check: its name and, when it failed, why. */
export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

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
  /** `/readyz`: 200 when every check passes, 503 otherwise (without it, ready once listening). */
  ready?: () => Promise<ReadinessCheck[]>;
  /** `/metrics`: the Prometheus exposition (404 without it). */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** Largest update body accepted, in bytes (default 1 MB; Telegram's updates are a few KB). */
  maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 1_000_000;

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Equal strings, in time that does not depend on where they differ (or on their lengths). */
export function secretsMatch(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

class BodyTooLarge extends Error {}

/** The body as bytes, or BodyTooLarge as soon as it passes `limit`. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

/** Answer and close the connection: the rest of an oversized body is not read. */
function refuse(res: ServerResponse, status: number): void {
  res.writeHead(status, { connection: 'close' });
  res.end(() => res.socket?.destroy());
}

/** Listening on `port` when the promise resolves. */
export async function startWebhookServer(options: WebhookServerOptions): Promise<Server> {
  const { bot, log } = options;
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const handle = bot.webhookCallback(options.path, { secretToken: options.secretToken });

  async function probe(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (path === '/healthz') {
      sendJson(res, 200, { ok: true, mode: 'webhook', ...options.health?.() });
      return true;
    }
    if (path === '/readyz') {
      const checks = options.ready ? await options.ready() : [];
      const ok = checks.every((c) => c.ok);
      sendJson(res, ok ? 200 : 503, { ok, checks });
      return true;
    }
    if (path === '/metrics' && options.metrics) {
      const { contentType, body } = await options.metrics();
      res.writeHead(200, { 'content-type': contentType });
      res.end(body);
      return true;
    }
    return false;
  }

  async function receive(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (await probe(req, res, path)) return;
    if (path !== options.path || req.method !== 'POST') return void res.writeHead(404).end();
    const given = req.headers[SECRET_HEADER];
    if (typeof given !== 'string' || !secretsMatch(given, options.secretToken)) {
      log.warn({ method: req.method, path }, 'telegram webhook: request refused (wrong or missing secret token)');
      return refuse(res, 403);
    }
    if (Number(req.headers['content-length'] ?? 0) > maxBody) return refuse(res, 413);
    let body: Buffer;
    try {
      body = await readBody(req, maxBody);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        log.warn({ path, limit: maxBody }, 'telegram webhook: body over the size limit refused');
        return refuse(res, 413);
      }
      throw error;
    }
    let update: unknown;
    try {
      update = JSON.parse(body.toString('utf8'));
    } catch {
      return void res.writeHead(400).end();
    }
    if (typeof update !== 'object' || update === null || typeof (update as { update_id?: unknown }).update_id !== 'number') {
      return void res.writeHead(400).end();
    }
    (req as IncomingMessage & { body?: unknown }).body = update;
    await handle(req, res);
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    receive(req, res, path).catch((error: unknown) => {
      log.error({ err: error, path }, 'telegram webhook: request failed');
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
