// The discover queue: one Job Scheduler per source (`source:<id>`), kept in step with the
// sources table from one place — `newsline start` when it runs the fetch stage, and `sources add`.
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Source } from '../shared/sources/source-store.js';
import { createQueue } from './queues.js';

export const DISCOVER_QUEUE = '{discover}';
export const discoverPayload = z.strictObject({ sourceId: z.string().min(1) });
export type DiscoverPayload = z.infer<typeof discoverPayload>;

export function createDiscoverQueue(connection: Redis, prefix: string): Queue<DiscoverPayload> {
  return createQueue<DiscoverPayload>(DISCOVER_QUEUE, connection, prefix, {
    attempts: 2, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: { count: 200 }, removeOnFail: { count: 1_000 },
  });
}

export async function upsertSourceScheduler(queue: Queue<DiscoverPayload>, source: Source): Promise<void> {
  const repeat = source.cron ? { pattern: source.cron, tz: source.tz } : { every: source.everyMs ?? 600_000 };
  await queue.upsertJobScheduler(`source:${source.id}`, repeat, { name: 'discover', data: { sourceId: source.id } });
}

/** Upsert every source's scheduler (idempotent: several processes never double one) and drop orphans. */
export async function syncSourceSchedulers(queue: Queue<DiscoverPayload>, sources: Source[]): Promise<void> {
  for (const s of sources) await upsertSourceScheduler(queue, s);
  const wanted = new Set(sources.map((s) => `source:${s.id}`));
  for (const s of await queue.getJobSchedulers()) {
    if (s.key.startsWith('source:') && !wanted.has(s.key)) await queue.removeJobScheduler(s.key);
  }
}
