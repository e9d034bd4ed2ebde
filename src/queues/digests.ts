// The digest queue: one BullMQ Job Scheduler per newsletter topic, kept in step with the topics
// file from one place (the process that runs the store stage).
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Topic } from '../shared/newsletters/topics.js';
import { createQueue } from './queues.js';

export const DIGEST_QUEUE = '{digests}';
export const digestPayload = z.strictObject({ topic: z.string().min(1) });
export type DigestPayload = z.infer<typeof digestPayload>;

export function createDigestQueue(connection: Redis, prefix: string): Queue<DigestPayload> {
  return createQueue<DigestPayload>(DIGEST_QUEUE, connection, prefix, {
    attempts: 3,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: { count: 100 },
    removeOnFail: { count: 1_000 },
  });
}

/**
 * Upsert one scheduler per topic (`digest:<name>`) and remove those of topics no longer
 * configured. Upserting is idempotent, so several processes doing it at start never double a topic.
 */
export async function syncTopicSchedulers(queue: Queue<DigestPayload>, topics: Topic[]): Promise<void> {
  const wanted = new Set(topics.map((t) => `digest:${t.name}`));
  for (const t of topics) {
    await queue.upsertJobScheduler(
      `digest:${t.name}`,
      { pattern: t.schedule.cron, tz: t.schedule.tz },
      { name: 'digest', data: { topic: t.name } },
    );
  }
  for (const s of await queue.getJobSchedulers()) {
    if (s.key.startsWith('digest:') && !wanted.has(s.key)) await queue.removeJobScheduler(s.key);
  }
}
