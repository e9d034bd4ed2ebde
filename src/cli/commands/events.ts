// `newsline events tail`: CloudEvents from the stream as NDJSON.
import type { Command } from 'commander';
import { loadConfig } from '../../shared/config.js';
import { eventsStreamKey, readEvents } from '../../shared/events/event-sink.js';
import os from 'node:os';
import type { Redis } from 'ioredis';
import { StreamConsumer, streamConsumerDefaults } from '../../shared/events/stream-consumer.js';
import { connectRedis, redisTarget } from '../../shared/redis.js';
import { action, parsePositiveInt, printJson } from '../output.js';

export function registerEvents(program: Command): void {
  const events = program.command('events').description('read published events');
  events
    .command('tail')
    .description('print events as NDJSON, one CloudEvent per line (like tail: the last N, or all with --from-start)')
    .option('--from-start', 'start at the oldest event on the stream')
    .option('--count <n>', 'how many events (default: the last 10, or all with --from-start)', parsePositiveInt('--count'))
    .option('--follow', 'keep printing new events until interrupted')
    .option('--group <name>', 'read as a member of this consumer group: each event once per group, acknowledged after printing')
    .option('--consumer <name>', "this consumer's name in the group (default: host-pid)")
    .option(
      '--claim-idle <ms>',
      'take over entries another consumer left unacknowledged this long',
      parsePositiveInt('--claim-idle'),
      streamConsumerDefaults.claimIdleMs,
    )
    .option(
      '--max-deliveries <n>',
      'move an entry delivered more often to <stream>:dead',
      parsePositiveInt('--max-deliveries'),
      streamConsumerDefaults.maxDeliveries,
    )
    .action(
      action(
        async (opts: {
          fromStart?: boolean;
          count?: number;
          follow?: boolean;
          group?: string;
          consumer?: string;
          claimIdle: number;
          maxDeliveries: number;
        }) => {
          const config = loadConfig();
          const redis = await connectRedis(redisTarget(config), 'worker');
          const key = eventsStreamKey(config.NEWSLINE_PREFIX);
          if (opts.group) {
            try {
              await tailGroup(redis, key, opts as typeof opts & { group: string });
            } finally {
              redis.disconnect();
            }
            return;
          }
          try {
            let cursor = '0';
            let remaining = opts.count ?? Infinity;
            const emit = (streamId: string, event: unknown) => {
              printJson(event);
              cursor = streamId;
              remaining--;
            };
            if (!opts.fromStart) {
              // Like tail: the last N events (oldest first), then only new ones.
              const last = await redis.xrevrange(key, '+', '-', 'COUNT', opts.count ?? 10);
              for (const [streamId, fields] of last.reverse()) emit(streamId, JSON.parse(fields[fields.indexOf('event') + 1]!));
              if (!opts.follow) return;
              remaining = Infinity;
            }
            let stopped = false;
            process.once('SIGINT', () => (stopped = true));
            while (!stopped && remaining > 0) {
              const batch = await readEvents(redis, key, {
                after: cursor,
                count: Math.min(100, remaining),
                ...(opts.follow ? { blockMs: 1000 } : {}),
              });
              for (const { streamId, event } of batch) emit(streamId, event);
              if (batch.length === 0 && !opts.follow) break;
            }
          } finally {
            redis.disconnect();
          }
        },
      ),
    );
}

/** The reference consumer: print each event, then acknowledge it. */
async function tailGroup(
  redis: Redis,
  stream: string,
  opts: { group: string; consumer?: string; count?: number; follow?: boolean; claimIdle: number; maxDeliveries: number },
): Promise<void> {
  const consumer = new StreamConsumer(redis, {
    stream,
    group: opts.group,
    consumer: opts.consumer ?? `${os.hostname()}-${process.pid}`,
    claimIdleMs: opts.claimIdle,
    maxDeliveries: opts.maxDeliveries,
  });
  await consumer.ensureGroup();
  let remaining = opts.count ?? Infinity;
  let stopped = false;
  process.once('SIGINT', () => (stopped = true));
  while (!stopped && remaining > 0) {
    const batch = await consumer.next(Math.min(100, remaining), opts.follow ? 1_000 : undefined);
    for (const entry of batch) {
      printJson(entry.event);
      await consumer.ack(entry.streamId);
      remaining--;
    }
    if (batch.length === 0 && !opts.follow) break;
  }
}
