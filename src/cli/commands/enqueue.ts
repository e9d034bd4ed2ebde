// `newsline enqueue URL... [--wait]`: put URLs into the pipeline, optionally wait for outcomes.
import type { Command } from 'commander';
import { createQueues, closeQueues } from '../../queues/queues.js';
import { enqueueUrls, parseSubmittedUrl } from '../../queues/producer.js';
import { loadConfig } from '../../shared/config.js';
import { describeError } from '../../shared/errors.js';
import { RedisOutcomeStore, waitForOutcomes, type Outcome } from '../../shared/outcomes/outcome.js';
import { connectRedis } from '../../shared/redis.js';
import { action, parsePositiveInt, printJson } from '../output.js';

/** The line printed per URL once it has an outcome. */
export function outcomeLine(o: Outcome): Record<string, unknown> {
  const { at: _at, ...rest } = o;
  return rest;
}

export function registerEnqueue(program: Command): void {
  program
    .command('enqueue')
    .description('enqueue news URLs; with --wait, print one JSON line per URL when it reaches its outcome')
    .argument('<urls...>', 'absolute http(s) URLs')
    .option('--wait', 'wait for each URL to reach its outcome')
    .option('--timeout <seconds>', 'how long --wait waits', parsePositiveInt('--timeout'), 120)
    .action(
      action(async (urls: string[], opts: { wait?: boolean; timeout: number }) => {
        const config = loadConfig();
        let failed = false;
        const valid: string[] = [];
        for (const raw of urls) {
          try {
            valid.push(parseSubmittedUrl(raw).toString());
          } catch (err) {
            failed = true;
            printJson({ url: raw, outcome: 'failed', reason: 'invalid_url', detail: describeError(err) });
          }
        }
        if (valid.length > 0) {
          const redis = await connectRedis(config.REDIS_URL, 'producer');
          const queues = createQueues(redis, { prefix: config.NEWSLINE_PREFIX, attempts: config.NEWSLINE_JOB_ATTEMPTS });
          try {
            const enqueued = await enqueueUrls(queues.fetch, valid);
            if (!opts.wait) {
              for (const e of enqueued) printJson({ url: e.url, requestId: e.requestId, outcome: 'queued' });
            } else {
              const byId = new Map(enqueued.map((e) => [e.requestId, e.url]));
              const timedOut = await waitForOutcomes(new RedisOutcomeStore(redis, config.NEWSLINE_PREFIX), [...byId.keys()], {
                timeoutMs: opts.timeout * 1000,
                onOutcome: (o) => {
                  if (o.outcome === 'failed') failed = true;
                  printJson(outcomeLine(o));
                },
              });
              for (const id of timedOut) {
                failed = true;
                printJson({ url: byId.get(id), requestId: id, outcome: 'pending', reason: 'wait_timeout' });
              }
            }
          } finally {
            await closeQueues(queues);
            await redis.quit();
          }
        }
        if (failed) process.exitCode = 1;
      }),
    );
}
