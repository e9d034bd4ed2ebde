// Where events go: a Redis Stream that downstream services read with XREAD / XREADGROUP.
import type { Redis } from 'ioredis';
import type { CloudEvent } from './cloud-event.js';
import { settingDefault } from '../settings.js';

export interface EventSink {
  publish(event: CloudEvent): Promise<void>;
}

export interface RedisStreamSinkOptions {
  /** Stream key. @defaultValue `<prefix>:events` */
  key: string;
  /** Approximate cap on stream length (XADD MAXLEN ~). @defaultValue NEWSLINE_EVENTS_MAXLEN */
  maxLen?: number;
}

export function eventsStreamKey(prefix: string): string {
  return `${prefix}:events`;
}

export class RedisStreamSink implements EventSink {
  constructor(
    private readonly redis: Redis,
    private readonly options: RedisStreamSinkOptions,
  ) {}

  async publish(event: CloudEvent): Promise<void> {
    await this.redis.xadd(
      this.options.key,
      'MAXLEN',
      '~',
      String(this.options.maxLen ?? settingDefault('NEWSLINE_EVENTS_MAXLEN')),
      '*',
      'id',
      event.id,
      'type',
      event.type,
      'event',
      JSON.stringify(event),
    );
  }
}

/** Read events from the stream, oldest first, starting after stream id `after` ("0" = from the start). */
export async function readEvents(
  redis: Redis,
  key: string,
  options: { after?: string; count?: number; blockMs?: number } = {},
): Promise<Array<{ streamId: string; event: CloudEvent }>> {
  const args: (string | number)[] = ['COUNT', options.count ?? 100];
  if (options.blockMs !== undefined) args.push('BLOCK', options.blockMs);
  const result = (await redis.xread(...(args as ['COUNT', number]), 'STREAMS', key, options.after ?? '0')) as Array<
    [string, Array<[string, string[]]>]
  > | null;
  const entries = result?.[0]?.[1] ?? [];
  return entries.map(([streamId, fields]) => {
    const idx = fields.indexOf('event');
    return { streamId, event: JSON.parse(fields[idx + 1]!) as CloudEvent };
  });
}
