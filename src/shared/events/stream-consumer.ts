// The consumer-group pattern for the event stream: XREADGROUP for new entries, XACK when done,
// XAUTOCLAIM to take over what a crashed consumer left pending, and a dead-letter stream for
// entries that keep failing.
import type { Redis } from 'ioredis';
import type { CloudEvent } from './cloud-event.js';

/** What a consumer does when not told otherwise (the CLI's option defaults too). */
export const streamConsumerDefaults = { claimIdleMs: 60_000, maxDeliveries: 5 } as const;

export interface StreamConsumerOptions {
  stream: string;
  group: string;
  consumer: string;
  /**
   * Entries pending longer than this (another consumer died holding them) are claimed.
   * @defaultValue 60000
   */
  claimIdleMs?: number;
  /**
   * An entry delivered this many times is moved to `<stream>:dead` instead of handled again.
   * @defaultValue 5
   */
  maxDeliveries?: number;
}

export interface StreamEntry {
  streamId: string;
  event: CloudEvent;
  /** How many times the group has delivered it, this time included. */
  deliveries: number;
}

type RawEntry = [string, string[]];

function parse(entry: RawEntry): { streamId: string; fields: string[]; event: CloudEvent } {
  const [streamId, fields] = entry;
  return { streamId, fields, event: JSON.parse(fields[fields.indexOf('event') + 1] ?? 'null') as CloudEvent };
}

export class StreamConsumer {
  readonly deadLetterStream: string;
  private readonly claimIdleMs: number;
  private readonly maxDeliveries: number;
  private claimCursor = '0-0';

  constructor(
    private readonly redis: Redis,
    private readonly options: StreamConsumerOptions,
  ) {
    this.claimIdleMs = options.claimIdleMs ?? streamConsumerDefaults.claimIdleMs;
    this.maxDeliveries = options.maxDeliveries ?? streamConsumerDefaults.maxDeliveries;
    this.deadLetterStream = `${options.stream}:dead`;
  }

  /** Create the group (reading from the stream's start) if it does not exist. */
  async ensureGroup(): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.options.stream, this.options.group, '0', 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
  }

  /**
   * The next entries to handle: first those abandoned by crashed consumers, then new ones.
   * Entries over the delivery limit are moved to the dead-letter stream and not returned.
   */
  async next(count = 100, blockMs?: number): Promise<StreamEntry[]> {
    const { stream, group, consumer } = this.options;
    const [cursor, claimed] = (await this.redis.xautoclaim(
      stream,
      group,
      consumer,
      this.claimIdleMs,
      this.claimCursor,
      'COUNT',
      count,
    )) as [string, RawEntry[]];
    this.claimCursor = cursor;
    if (claimed.length > 0) return this.withDeliveries(claimed);
    const args: Array<string | number> = ['GROUP', group, consumer, 'COUNT', count];
    if (blockMs !== undefined) args.push('BLOCK', blockMs);
    const result = (await (this.redis.xreadgroup as (...a: Array<string | number>) => Promise<unknown>)(
      ...args,
      'STREAMS',
      stream,
      '>',
    )) as Array<[string, RawEntry[]]> | null;
    const entries = result?.[0]?.[1] ?? [];
    return entries.map((raw) => {
      const { streamId, event } = parse(raw);
      return { streamId, event, deliveries: 1 };
    });
  }

  async ack(streamId: string): Promise<void> {
    await this.redis.xack(this.options.stream, this.options.group, streamId);
  }

  /** Entries delivered but not acknowledged, across the group. */
  async pendingCount(): Promise<number> {
    const summary = (await this.redis.xpending(this.options.stream, this.options.group)) as [number, ...unknown[]];
    return Number(summary[0]);
  }

  private async withDeliveries(entries: RawEntry[]): Promise<StreamEntry[]> {
    const out: StreamEntry[] = [];
    for (const raw of entries) {
      const { streamId, fields, event } = parse(raw);
      const info = (await this.redis.xpending(this.options.stream, this.options.group, streamId, streamId, 1)) as Array<
        [string, string, number, number]
      >;
      const deliveries = Number(info[0]?.[3] ?? 1);
      if (deliveries > this.maxDeliveries) {
        await this.redis.xadd(this.deadLetterStream, '*', ...fields, 'deliveries', String(deliveries), 'group', this.options.group);
        await this.ack(streamId);
        continue;
      }
      out.push({ streamId, event, deliveries });
    }
    return out;
  }
}
