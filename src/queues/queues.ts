// Queue handles for every stage, with the shared defaults.
import { Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { defaultJobOptions, type JobOptionsSettings } from './job-options.js';
import { queueName, stages, type Stage } from './names.js';
import type { StagePayloads } from './payloads.js';

/** BullMQ's per-queue event stream (dashboards, QueueEvents): the recent past is enough. */
const QUEUE_EVENTS_STREAM = { events: { maxLen: 1_000 } };

export type StageQueues = { [S in Stage]: Queue<StagePayloads[S]> };

/** Queue handles for `prefix`; jobs added through them get `attempts` (from NEWSLINE_JOB_ATTEMPTS). */
/**
 * A queue's connection errors are the connection's (reported once per reconnect attempt by
 * `logReconnects`); without a listener BullMQ prints each one as a multi-line stack.
 */
function quiet<Q extends Queue>(queue: Q): Q {
  queue.on('error', () => {});
  return queue;
}

export function createQueues(connection: Redis, options: { prefix: string } & JobOptionsSettings): StageQueues {
  const make = <S extends Stage>(stage: S) =>
    quiet(
      new Queue<StagePayloads[S]>(queueName(stage), {
        connection: connection as unknown as ConnectionOptions,
        prefix: options.prefix,
        defaultJobOptions: defaultJobOptions(options),
        streams: QUEUE_EVENTS_STREAM,
      }),
    );
  return Object.fromEntries(stages.map((s) => [s, make(s)])) as StageQueues;
}

export async function closeQueues(queues: StageQueues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}

/** A queue outside the stage chain (discover, digests, webhooks), on the same connection and prefix. */
export function createQueue<T>(name: string, connection: Redis, prefix: string, jobOptions: DefaultJobOptions): Queue<T> {
  return quiet(
    new Queue<T>(name, {
      connection: connection as unknown as ConnectionOptions,
      prefix,
      defaultJobOptions: jobOptions,
      streams: QUEUE_EVENTS_STREAM,
    }),
  );
}
