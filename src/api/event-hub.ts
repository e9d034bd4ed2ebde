// The event stream for SSE clients, out of Redis through one blocking reader per API process: the
// reader keeps the latest events in memory and wakes the clients; a client that is caught up writes
// from memory, one that is behind (a replay, or a slow reader) pages through the stream with
// XRANGE. Either way a client is written to only while its socket takes more, so the number of
// clients sets neither the Redis connections nor the memory held for them.
import type { Redis } from 'ioredis';
import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';

/** A stream entry id, `<ms>-<seq>`, as two numbers for comparison. */
export type StreamId = readonly [number, number];

/** Redis' own bound on each part of an entry id. */
const MAX_ID_PART = 18_446_744_073_709_551_615n;

/** Parse `<ms>-<seq>`; null when it is not an id Redis could have issued. */
export function parseStreamId(text: string): StreamId | null {
  const m = /^(\d{1,20})-(\d{1,20})$/.exec(text);
  if (!m) return null;
  const [ms, seq] = [BigInt(m[1]!), BigInt(m[2]!)];
  if (ms > MAX_ID_PART || seq > MAX_ID_PART) return null;
  // Ids are milliseconds since the epoch: any one Redis issued fits a double exactly.
  if (ms > BigInt(Number.MAX_SAFE_INTEGER) || seq > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return [Number(ms), Number(seq)];
}

export const formatStreamId = (id: StreamId) => `${id[0]}-${id[1]}`;
const compareIds = (a: StreamId, b: StreamId) => a[0] - b[0] || a[1] - b[1];
const ZERO: StreamId = [0, 0];

interface Entry {
  id: StreamId;
  streamId: string;
  /** The event's type, from the entry's own field. */
  type: string;
  /** The event as stored: sent as it is, never parsed (a replay of thousands costs no garbage). */
  json: string;
}

export interface EventHubOptions {
  /**
   * Entries the reader keeps for caught-up clients to write from.
   * @defaultValue 1000
   */
  recent?: number;
  /**
   * How long one blocking read waits for new entries (ms); clients get a keep-alive comment
   * when nothing was written for this long.
   * @defaultValue 15000
   */
  blockMs?: number;
  /**
   * Entries fetched per XRANGE page for a client that is behind. Small pages keep each page's text
   * in the young generation, collected at once: a replay pushes megabytes through every client's
   * socket buffers, and large pages went to the old generation and grew the heap with them.
   * @defaultValue 25
   */
  pageSize?: number;
}

/** What a client reads from: entries after its cursor, in order. */
export interface EventPage {
  entries: Entry[];
}

function toEntries(raw: Array<[string, string[]]>): Entry[] {
  const out: Entry[] = [];
  for (const [streamId, fields] of raw) {
    const id = parseStreamId(streamId);
    const at = fields.indexOf('event');
    const typeAt = fields.indexOf('type');
    // An entry that is not an event (written by hand) is skipped, not fatal to every client.
    if (!id || at < 0 || typeAt < 0) continue;
    out.push({ id, streamId, type: fields[typeAt + 1]!, json: fields[at + 1]! });
  }
  return out;
}

export class EventHub {
  private readonly recentLimit: number;
  private readonly blockMs: number;
  private readonly pageSize: number;
  /** Latest entries, oldest first; every entry after `floor` is here. */
  private recent: Entry[] = [];
  private floor: StreamId = ZERO;
  /** The newest id the reader has seen (or the stream's last when it started). */
  private head: StreamId = ZERO;
  private reader: Redis | null = null;
  private starting: Promise<void> | null = null;
  private readonly waiters = new Set<() => void>();
  private stopped = false;

  constructor(
    /** For XRANGE pages and the head lookup: non-blocking commands share the API's connection. */
    private readonly redis: Redis,
    private readonly key: string,
    private readonly log: Logger,
    options: EventHubOptions = {},
  ) {
    this.recentLimit = options.recent ?? 1_000;
    this.blockMs = options.blockMs ?? 15_000;
    this.pageSize = options.pageSize ?? 25;
  }

  /** The newest entry id on the stream (reads it the first time). */
  async latest(): Promise<StreamId> {
    await this.start();
    return this.head;
  }

  /** Start the one reader (idempotent). */
  start(): Promise<void> {
    this.starting ??= (async () => {
      const last = (await this.redis.xrevrange(this.key, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
      this.head = (last[0] && parseStreamId(last[0][0])) || ZERO;
      this.floor = this.head;
      // A blocking reader waits out an outage (commands queue while it reconnects) instead of failing fast.
      const reader = this.redis.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true });
      reader.on('error', () => {}); // the read loop reports and retries
      this.reader = reader;
      if (reader.status === 'wait') await reader.connect().catch(() => {});
      void this.readLoop(reader);
    })();
    return this.starting;
  }

  private async readLoop(reader: Redis): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const result = (await reader.xread(
          'COUNT',
          this.pageSize,
          'BLOCK',
          this.blockMs,
          'STREAMS',
          this.key,
          formatStreamId(this.head),
        )) as Array<[string, Array<[string, string[]]>]> | null;
        failures = 0;
        const entries = toEntries(result?.[0]?.[1] ?? []);
        if (entries.length > 0) this.append(entries);
        this.wake();
      } catch (err) {
        if (this.stopped) break;
        failures++;
        if (failures === 1) this.log.warn({ err: describeError(err) }, 'event hub: reading the stream failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** failures)));
      }
    }
  }

  private append(entries: Entry[]): void {
    this.recent.push(...entries);
    this.head = entries.at(-1)!.id;
    const excess = this.recent.length - this.recentLimit;
    if (excess > 0) {
      this.floor = this.recent[excess - 1]!.id;
      this.recent = this.recent.slice(excess);
    }
  }

  private wake(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const w of waiting) w();
  }

  /** Resolves after the reader's next read (new entries, or its block timed out), or on `signal`. */
  waitForMore(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted || this.stopped) return resolve();
      const done = () => {
        this.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * Entries after `cursor`, at most a page: from memory when the cursor is within what the reader
   * keeps, else from the stream. Empty when the cursor is at the head.
   */
  async after(cursor: StreamId): Promise<Entry[]> {
    if (compareIds(cursor, this.head) >= 0) return [];
    if (compareIds(cursor, this.floor) >= 0) {
      const out: Entry[] = [];
      for (const e of this.recent) {
        if (compareIds(e.id, cursor) > 0) out.push(e);
        if (out.length >= this.pageSize) break;
      }
      return out;
    }
    const raw = (await this.redis.xrange(this.key, `(${formatStreamId(cursor)}`, '+', 'COUNT', this.pageSize)) as Array<[string, string[]]>;
    return toEntries(raw);
  }

  /** Stop the reader; waiting clients wake and see `stopped`. */
  stop(): void {
    this.stopped = true;
    this.wake();
    this.reader?.disconnect();
  }

  get isStopped(): boolean {
    return this.stopped;
  }
}
