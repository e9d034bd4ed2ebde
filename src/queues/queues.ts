// Queue handles for every stage, with the shared defaults.
import { Queue, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { defaultJobOptions } from './job-options.js';
import { queueName, stages, type Stage } from './names.js';
import type { StagePayloads } from './payloads.js';

export type StageQueues = { [S in Stage]: Queue<StagePayloads[S]> };

export function createQueues(connection: Redis, prefix: string): StageQueues {
  const make = <S extends Stage>(stage: S) =>
    new Queue<StagePayloads[S]>(queueName(stage), {
      connection: connection as unknown as ConnectionOptions,
      prefix,
      defaultJobOptions,
    });
  return Object.fromEntries(stages.map((s) => [s, make(s)])) as StageQueues;
}

export async function closeQueues(queues: StageQueues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
