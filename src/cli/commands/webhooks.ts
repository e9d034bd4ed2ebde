// `newsline webhooks add|list|remove`: subscriptions that receive events by signed HTTP POST.
import type { Command } from 'commander';
import { parseSubmittedUrl } from '../../queues/producer.js';
import { loadConfig } from '../../shared/config.js';
import { eventTypes } from '../../shared/events/event-data.js';
import { PermanentError, describeError } from '../../shared/errors.js';
import { AddressPolicy } from '../../shared/fetch/address-guard.js';
import { newSecret, WebhookStore } from '../../shared/events/webhooks.js';
import { action, printJson } from '../output.js';
import { withArticleStore } from '../stores.js';

const EVENT_TYPES: readonly string[] = eventTypes;
const csv = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function registerWebhooks(program: Command): void {
  const webhooks = program.command('webhooks').description('manage webhook subscriptions');
  webhooks
    .command('add')
    .description('subscribe a URL; prints the subscription with its signing secret')
    .argument('<url>', 'http(s) URL that receives POSTs (the fetch address guard applies)')
    .option('--secret <whsec>', 'signing secret (whsec_<base64>); generated when absent')
    .option('--events <types>', `comma-separated event types (${EVENT_TYPES.join(', ')}); default all`, csv, [])
    .option('--entity <ids>', 'comma-separated entity ids (RU,CN,person:vladimir-putin): only events about one of them', csv, [])
    .action(
      action(async (url: string, opts: { secret?: string; events: string[]; entity: string[] }) => {
        const config = loadConfig();
        // Refused now rather than failing every delivery later: the address guard, names resolved.
        await new AddressPolicy({ allowPrivate: config.FETCH_ALLOW_PRIVATE, allowHosts: config.FETCH_ALLOW_HOSTS })
          .checkResolved(parseSubmittedUrl(url))
          .catch((err: unknown) => {
            throw new PermanentError('forbidden_address', `webhook ${describeError(err)}`);
          });
        const unknown = opts.events.filter((t) => !EVENT_TYPES.includes(t));
        if (unknown.length > 0) throw new Error(`unknown event type ${unknown.join(', ')} (types: ${EVENT_TYPES.join(', ')})`);
        if (opts.secret && !/^whsec_[A-Za-z0-9+/]+=*$/.test(opts.secret)) throw new Error('--secret must look like whsec_<base64>');
        const sub = await withArticleStore(config, (_store, db) =>
          new WebhookStore(db).add({ url, secret: opts.secret ?? newSecret(), eventTypes: opts.events, entityFilter: opts.entity }),
        );
        printJson(sub);
      }),
    );
  webhooks
    .command('list')
    .description('subscriptions with their last delivery status (secrets hidden)')
    .action(
      action(async () => {
        const subs = await withArticleStore(loadConfig(), (_store, db) => new WebhookStore(db).list());
        for (const s of subs) printJson({ ...s, secret: `${s.secret.slice(0, 10)}…` });
      }),
    );
  webhooks
    .command('remove')
    .description('delete a subscription')
    .argument('<id>', 'subscription id (wh_…)')
    .action(
      action(async (id: string) => {
        const removed = await withArticleStore(loadConfig(), (_store, db) => new WebhookStore(db).remove(id));
        if (!removed) throw new Error(`no webhook subscription ${id}`);
        printJson({ id, removed: true });
      }),
    );
}
