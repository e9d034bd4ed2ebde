// Wires webhook delivery to its queue.
import { UnrecoverableError, Worker, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { retryDelay } from '../../queues/job-options.js';
import { WEBHOOK_QUEUE, webhookPayload, type WebhookPayload } from '../../queues/webhooks.js';
import { describeError, isNewslineError } from '../../shared/errors.js';
import type { Logger } from '../../shared/log.js';
import { processWebhook, type WebhookDeps } from './processor.js';

export function createWebhookWorker(
  connection: Redis,
  options: { prefix: string; backoffMs: number; concurrency?: number; log: Logger },
  deps: WebhookDeps,
): Worker<WebhookPayload> {
  const log = options.log.child({ stage: 'webhook' });
  const worker = new Worker<WebhookPayload>(
    WEBHOOK_QUEUE,
    async (job) => {
      const parsed = webhookPayload.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`invalid webhook job: ${parsed.error.issues[0]?.message}`);
      try {
        return await processWebhook(parsed.data, deps);
      } catch (err) {
        log.warn({ subscription: parsed.data.subscriptionId, event: parsed.data.event.id, attempt: job.attemptsMade + 1 }, describeError(err));
        if (isNewslineError(err) && err.retry === 'permanent') throw new UnrecoverableError(`${err.code}: ${err.message}`);
        throw err;
      }
    },
    {
      connection: connection as unknown as ConnectionOptions,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 8,
      settings: { backoffStrategy: retryDelay(options.backoffMs) },
    },
  );
  worker.on('error', (err) => log.error({ err: describeError(err) }, 'webhook worker error'));
  return worker;
}
