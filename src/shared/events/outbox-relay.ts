// The outbox relay: publishes events that were committed with their records, then marks them.
// A crash between commit and publish loses nothing — the rows wait in the outbox until a relay
// (this process after a restart, or another) sends them. A crash between publish and mark sends
// an event twice with the same id, which consumers treat as one.
import type { Logger } from '../log.js';
import { describeError } from '../errors.js';
import type { Database } from '../store/database.js';
import { claimPending, markPublished, prunePublished } from '../store/outbox.js';
import type { CloudEvent } from './cloud-event.js';
import type { EventSink } from './event-sink.js';

export interface OutboxRelayOptions {
  /**
   * How often to look for pending events when nobody nudges.
   * @defaultValue 500
   */
  intervalMs?: number;
  /**
   * Events published per transaction.
   * @defaultValue 100
   */
  batchSize?: number;
  /**
   * Shortest time between two passes when nudged. Under load, commits arrive faster than a pass
   * takes; waiting this long gathers them into one transaction instead of four statements per
   * event. An idle relay nudged after a quiet spell publishes at once.
   * @defaultValue 50
   */
  batchWindowMs?: number;
  /**
   * Published rows are deleted after this many days.
   * @defaultValue 7
   */
  retainDays?: number;
  /** Called with each event once its publication is committed (webhook fan-out). */
  onPublished?: (event: CloudEvent) => Promise<void>;
}

export class OutboxRelay {
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly batchWindowMs: number;
  private lastPass = 0;
  private readonly retainDays: number;
  private timer: NodeJS.Timeout | null = null;
  private timerDue = 0;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private lastCleanup = 0;
  private readonly onPublished: ((event: CloudEvent) => Promise<void>) | undefined;

  constructor(
    private readonly db: Database,
    private readonly sink: EventSink,
    private readonly log: Logger,
    options: OutboxRelayOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 500;
    this.batchSize = options.batchSize ?? 100;
    this.batchWindowMs = options.batchWindowMs ?? 50;
    this.retainDays = options.retainDays ?? 7;
    this.onPublished = options.onPublished;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Publish soon: a record was just committed. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else if (!this.timer || this.timerDue - Date.now() > this.untilNextPass()) this.schedule(this.untilNextPass());
  }

  /** How long until a pass may start: `batchWindowMs` after the last one began. */
  private untilNextPass(): number {
    return Math.max(0, this.lastPass + this.batchWindowMs - Date.now());
  }

  /** Stop the loop after a last pass over what is pending. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.publishPending().catch(() => 0);
  }

  /** One pass: publish every pending event (in batches); returns how many were sent. */
  async publishPending(): Promise<number> {
    let sent = 0;
    for (;;) {
      const published: CloudEvent[] = [];
      const n = await this.db.transaction(async (tx) => {
        const rows = await claimPending(tx, this.batchSize);
        for (const row of rows) published.push(row.event);
        // Sent in order without waiting for each reply (one connection keeps the order).
        await Promise.all(published.map((event) => this.sink.publish(event)));
        await markPublished(
          tx,
          rows.map((r) => r.id),
        );
        return rows.length;
      });
      sent += n;
      if (this.onPublished) for (const event of published) await this.onPublished(event);
      if (n < this.batchSize) break;
    }
    if (Date.now() - this.lastCleanup > 3_600_000) {
      this.lastCleanup = Date.now();
      await prunePublished(this.db, this.retainDays);
    }
    return sent;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = Date.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastPass = Date.now();
      this.running = this.publishPending()
        .then(() => undefined)
        .catch((err: unknown) => this.log.warn({ err: describeError(err) }, 'outbox relay: publish failed; will retry'))
        .finally(() => {
          this.running = null;
          const next = this.again ? this.untilNextPass() : this.intervalMs;
          this.again = false;
          this.schedule(next);
        });
    }, delayMs);
    this.timer.unref();
  }
}
