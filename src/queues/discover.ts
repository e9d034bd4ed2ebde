// The discover queue: one Job Scheduler per source (`source:<id>`), kept in step with the
// sources table from one place — `newsline start` when it runs the fetch stage, and `sources add`.
import type { Queue } from 'bullmq';
import { CronExpressionParser } from 'cron-parser';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { PermanentError, describeError } from '../shared/errors.js';
import type { Source, SourceStore } from '../shared/sources/source-store.js';
import { createQueue } from './queues.js';

export const DISCOVER_QUEUE = '{discover}';
export const discoverPayload = z.strictObject({ sourceId: z.string().min(1) });
export type DiscoverPayload = z.infer<typeof discoverPayload>;

export function createDiscoverQueue(connection: Redis, prefix: string): Queue<DiscoverPayload> {
  return createQueue<DiscoverPayload>(DISCOVER_QUEUE, connection, prefix, {
    attempts: 2,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: { count: 200 },
    removeOnFail: { count: 1_000 },
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

export interface SourceSettings {
  name?: string | undefined;
  /** Crawl every N ms (default 10 minutes), or by `cron` in `tz`. */
  everyMs?: number | undefined;
  cron?: string | undefined;
  tz?: string | undefined;
}

/** Record a detected source and schedule its crawls (the one path the CLI and the API share). */
export async function registerSource(
  store: SourceStore,
  queue: Queue<DiscoverPayload>,
  found: { url: string; kind: Source['kind']; via?: Source['detectedVia'] },
  input: SourceSettings,
): Promise<Source> {
  if (input.everyMs !== undefined && input.cron) throw new PermanentError('invalid_schedule', 'give every or cron, not both');
  if (input.everyMs !== undefined && input.everyMs < 1_000)
    throw new PermanentError('invalid_schedule', 'crawl interval must be at least 1s');
  const tz = input.tz ?? 'UTC';
  if (!validTimeZone(tz)) throw new PermanentError('invalid_schedule', `unknown time zone ${JSON.stringify(tz)}`);
  if (input.cron) {
    // The parser BullMQ's schedulers use, so what passes here also schedules.
    try {
      CronExpressionParser.parse(input.cron, { tz });
    } catch (err) {
      throw new PermanentError('invalid_schedule', `not a cron pattern: ${JSON.stringify(input.cron)} (${describeError(err)})`);
    }
  }
  const source = await store.add({
    url: found.url,
    name: input.name ?? new URL(found.url).host,
    kind: found.kind,
    everyMs: input.cron ? null : (input.everyMs ?? 600_000),
    cron: input.cron ?? null,
    tz,
    detectedVia: found.via ?? 'given',
  });
  await upsertSourceScheduler(queue, source);
  return source;
}

/** Forget a source and its schedule; false when there is no such source. */
export async function unregisterSource(store: SourceStore, queue: Queue<DiscoverPayload>, id: string): Promise<boolean> {
  const removed = await store.remove(id);
  await queue.removeJobScheduler(`source:${id}`);
  return removed;
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
