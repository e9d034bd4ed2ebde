// Wires webhook delivery to its queue.
import type { Worker } from 'bullmq';
import { WEBHOOK_QUEUE, webhookPayload, type WebhookPayload } from '../../queues/webhooks.js';
import { createJobWorker, type JobRunnerContext } from '../job-runner.js';
import { processWebhook, type WebhookDeps } from './processor.js';

export function createWebhookWorker(
  ctx: JobRunnerContext,
  deps: WebhookDeps,
  options: { concurrency?: number } = {},
): Worker<WebhookPayload> {
  return createJobWorker(
    {
      name: 'webhooks',
      queue: WEBHOOK_QUEUE,
      schema: webhookPayload,
      concurrency: options.concurrency ?? 8,
      process: async (input) => ({ value: await processWebhook(input, deps) }),
    },
    ctx,
  );
}
