/**
 * Prometheus metrics for `/metrics` (webhook mode): updates handled by command, answer latency,
 * pushes by outcome, the delivery queue's depth and the archive's size, plus prom-client's process
 * metrics. Its own registry, not prom-client's global one: two bots in one process (tests) stay apart.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsSources {
  /** Messages waiting to be sent or being sent. */
  queueDepth: () => Promise<number>;
  /** Pages and items in the archive now. */
  archive: () => { pages: number; items: number };
}

export interface BotMetrics {
  /** One update handled: its label (see `updateLabel`) and how long the answer took. */
  observeUpdate(command: string, seconds: number): void;
  /** One delivery event (`sent`, `retry`, `failed`, `deactivated`…). */
  observePush(outcome: string): void;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** @example const metrics = createMetrics({ queueDepth: () => figures.queueDepth(), archive: () => news.stats }); */
export function createMetrics(sources: MetricsSources): BotMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const updates = new Counter({ name: 'newsbot_updates_total', help: 'Updates handled, by command (or text, callback, inline, other).', labelNames: ['command'], registers: [registry] });
  const latency = new Histogram({
    name: 'newsbot_answer_seconds',
    help: 'Time from receiving an update to having answered it, by command.',
    labelNames: ['command'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const pushes = new Counter({ name: 'newsbot_pushes_total', help: 'Delivery events by outcome (sent, retry, failed, cancelled, deactivated, migrated, recovered).', labelNames: ['outcome'], registers: [registry] });
  new Gauge({
    name: 'newsbot_delivery_queue_depth',
    help: 'Messages waiting to be sent or being sent.',
    registers: [registry],
    async collect() {
      this.set(await sources.queueDepth());
    },
  });
  new Gauge({
    name: 'newsbot_pages_indexed',
    help: 'Pages in the archive.',
    registers: [registry],
    collect() {
      this.set(sources.archive().pages);
    },
  });
  new Gauge({
    name: 'newsbot_items_indexed',
    help: 'Items (articles and photos) in the archive.',
    registers: [registry],
    collect() {
      this.set(sources.archive().items);
    },
  });
  return {
    observeUpdate(command, seconds) {
      updates.inc({ command });
      latency.observe({ command }, seconds);
    },
    observePush: (outcome) => pushes.inc({ outcome }),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
