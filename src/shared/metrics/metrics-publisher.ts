// Worker processes share their metrics through Redis so that one scrape of `newsline serve`
// covers every process: each writes a snapshot of its registry every few seconds (and on close),
// the API sums the fresh snapshots with prom-client's aggregator. A process that stops
// publishing drops out after `SNAPSHOT_MAX_AGE_MS`, which Prometheus sees as a counter reset.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';

/** Snapshots older than this are ignored and removed. */
export const SNAPSHOT_MAX_AGE_MS = 60_000;

export function metricsKey(prefix: string): string {
  return `${prefix}:metrics:processes`;
}

interface Snapshot {
  at: number;
  metrics: unknown[];
}

export interface MetricsPublisherOptions {
  /**
   * How often the snapshot is written.
   * @defaultValue 5000
   */
  intervalMs?: number;
}

export class MetricsPublisher {
  private readonly field = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly registry: Registry,
    private readonly options: MetricsPublisherOptions = {},
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.publish().catch(() => {}), this.options.intervalMs ?? 5_000);
    this.timer.unref();
  }

  async publish(): Promise<void> {
    const snapshot: Snapshot = { at: Date.now(), metrics: await this.registry.getMetricsAsJSON() };
    await this.redis.hset(metricsKey(this.prefix), this.field, JSON.stringify(snapshot));
  }

  /** Stop the timer and write a last snapshot, so counts made just before shutdown are not lost. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.publish().catch(() => {});
  }
}

/** The fresh snapshots of every publishing process (stale ones are deleted on the way). */
export async function readSnapshots(redis: Redis, prefix: string, now = Date.now()): Promise<unknown[][]> {
  const all = await redis.hgetall(metricsKey(prefix));
  const fresh: unknown[][] = [];
  const stale: string[] = [];
  for (const [field, raw] of Object.entries(all)) {
    try {
      const snap = JSON.parse(raw) as Snapshot;
      if (now - snap.at <= SNAPSHOT_MAX_AGE_MS && Array.isArray(snap.metrics)) fresh.push(snap.metrics);
      else stale.push(field);
    } catch {
      stale.push(field);
    }
  }
  if (stale.length > 0) await redis.hdel(metricsKey(prefix), ...stale);
  return fresh;
}
