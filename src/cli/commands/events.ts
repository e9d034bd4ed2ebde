// `newsline events tail`: CloudEvents from the stream as NDJSON.
import type { Command } from 'commander';
import { loadConfig } from '../../shared/config.js';
import { eventsStreamKey, readEvents } from '../../shared/events/event-sink.js';
import { connectRedis } from '../../shared/redis.js';
import { action, parsePositiveInt, printJson } from '../output.js';

export function registerEvents(program: Command): void {
  const events = program.command('events').description('read published events');
  events
    .command('tail')
    .description('print events as NDJSON, one CloudEvent per line (like tail: the last N, or all with --from-start)')
    .option('--from-start', 'start at the oldest event on the stream')
    .option('--count <n>', 'how many events (default: the last 10, or all with --from-start)', parsePositiveInt('--count'))
    .option('--follow', 'keep printing new events until interrupted')
    .action(
      action(async (opts: { fromStart?: boolean; count?: number; follow?: boolean }) => {
        const config = loadConfig();
        const redis = await connectRedis(config.REDIS_URL, 'worker');
        const key = eventsStreamKey(config.NEWSLINE_PREFIX);
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
            const batch = await readEvents(redis, key, { after: cursor, count: Math.min(100, remaining), ...(opts.follow ? { blockMs: 1000 } : {}) });
            for (const { streamId, event } of batch) emit(streamId, event);
            if (batch.length === 0 && !opts.follow) break;
          }
        } finally {
          redis.disconnect();
        }
      }),
    );
}
