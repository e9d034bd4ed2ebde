// The webhook delivery queue: one job per (subscription, event), retried with backoff.
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { defaultJobOptions } from './job-options.js';
import { createQueue } from './queues.js';

export const WEBHOOK_QUEUE = '{webhooks}';

export const webhookPayload = z.strictObject({
  subscriptionId: z.string().min(1),
  event: z.object({ id: z.string(), type: z.string() }).passthrough(),
});
export type WebhookPayload = z.infer<typeof webhookPayload>;

export function createWebhookQueue(connection: Redis, options: { prefix: string; attempts?: number }): Queue<WebhookPayload> {
  return createQueue<WebhookPayload>(WEBHOOK_QUEUE, connection, options.prefix, defaultJobOptions(options));
}

/** Job id per (subscription, event): the same event is never queued twice for one subscriber. */
export function webhookJobId(subscriptionId: string, eventId: string): string {
  return `${subscriptionId}-${eventId}`;
}
