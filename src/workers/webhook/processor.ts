// Webhook delivery: POST the CloudEvent, signed the Standard Webhooks way; 2xx is delivered,
// 5xx/408/429 and network errors retry with backoff, other 4xx give up.
import type { WebhookPayload } from '../../queues/webhooks.js';
import { PermanentError, RetryableError, describeError, isNewslineError } from '../../shared/errors.js';
import { httpReason } from '../../shared/outcomes/reasons.js';
import { signWebhook, type WebhookSubscription } from '../../shared/events/webhooks.js';

export interface WebhookDeps {
  subscription(id: string): Promise<WebhookSubscription | null>;
  post(url: string, body: string, headers: Record<string, string>): Promise<number>;
  recordDelivery(id: string, status: string, error?: string | null): Promise<void>;
  now(): Date;
}

export async function processWebhook(input: WebhookPayload, deps: WebhookDeps): Promise<{ status: number } | { skipped: string }> {
  const sub = await deps.subscription(input.subscriptionId);
  if (!sub) return { skipped: 'subscription removed' };
  const body = JSON.stringify(input.event);
  const timestamp = Math.floor(deps.now().getTime() / 1000);
  let status: number;
  try {
    status = await deps.post(sub.url, body, {
      'webhook-id': input.event.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(sub.secret, input.event.id, timestamp, body),
    });
  } catch (err) {
    // No answer (a refused address, a timeout, a refused connection): said on the subscription too.
    await deps.recordDelivery(sub.id, 'error', isNewslineError(err) ? `${err.code}: ${err.message}` : describeError(err));
    throw err;
  }
  const message = `${sub.url} answered ${status} to ${input.event.id}`;
  await deps.recordDelivery(sub.id, String(status), status >= 200 && status < 300 ? null : message);
  if (status >= 200 && status < 300) return { status };
  if (status >= 500 || status === 408 || status === 429) throw new RetryableError(httpReason(status), message);
  throw new PermanentError(httpReason(status), message);
}
