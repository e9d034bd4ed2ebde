// Notices a stage worker that has started no job for a while although its queue has waiting work
// (BullMQ workers have been seen to hang after a Redis reconnect, or to leave their run loop), and
// replaces it with a fresh one. Jobs it held are not lost: their locks lapse and they stall back.
import type { Queue, Worker } from 'bullmq';
import { describeError } from '../shared/errors.js';
import type { Logger } from '../shared/log.js';
import { settingDefault } from '../shared/settings.js';

export interface WatchedWorker {
  name: string;
  queue: Queue;
  /** Builds a replacement (same processor, same options). */
  create(): Worker;
}

export interface WatchdogOptions {
  /**
   * A worker that has started nothing for this long while its queue has waiting jobs counts as
   * stuck. Keep it above the longest job (FETCH_TIMEOUT_MS).
   * @defaultValue NEWSLINE_WATCHDOG_MS
   */
  idleMs?: number;
  /**
   * How often workers are checked.
   * @defaultValue idleMs / 3
   */
  intervalMs?: number;
  /** Told of each replacement (metrics). */
  onRecovered?: (name: string) => void;
}

interface Slot {
  watched: WatchedWorker;
  worker: Worker;
  lastStart: number;
}

export class WorkerWatchdog {
  private readonly slots: Slot[] = [];
  private timer: NodeJS.Timeout | null = null;
  private checking = false;
  private readonly idleMs: number;

  constructor(
    private readonly log: Logger,
    private readonly options: WatchdogOptions = {},
  ) {
    this.idleMs = options.idleMs ?? settingDefault('NEWSLINE_WATCHDOG_MS');
  }

  /** Start watching a worker; returns it. */
  watch(watched: WatchedWorker): Worker {
    const slot: Slot = { watched, worker: watched.create(), lastStart: Date.now() };
    this.track(slot);
    this.slots.push(slot);
    return slot.worker;
  }

  /** The current workers (replacements included). */
  workers(): Worker[] {
    return this.slots.map((s) => s.worker);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.check(), this.options.intervalMs ?? Math.max(1_000, Math.floor(this.idleMs / 3)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One round: replace every worker that looks stuck. Returns the names replaced. */
  async check(now = Date.now()): Promise<string[]> {
    if (this.checking) return [];
    this.checking = true;
    const replaced: string[] = [];
    try {
      for (const slot of this.slots) {
        if (slot.worker.closing || now - slot.lastStart < this.idleMs) continue;
        const counts = await slot.watched.queue.getJobCounts('waiting', 'prioritized');
        if ((counts['waiting'] ?? 0) + (counts['prioritized'] ?? 0) === 0) {
          slot.lastStart = now; // nothing to take: idle, not stuck
          continue;
        }
        this.log.warn(
          { worker: slot.watched.name, idleMs: now - slot.lastStart, waiting: counts['waiting'] },
          'worker stopped taking jobs; replacing it',
        );
        const old = slot.worker;
        slot.worker = slot.watched.create();
        slot.lastStart = now;
        this.track(slot);
        void old.close(true).catch((err: unknown) => this.log.warn({ err: describeError(err) }, 'closing a stuck worker'));
        this.options.onRecovered?.(slot.watched.name);
        replaced.push(slot.watched.name);
      }
    } catch (err) {
      this.log.warn({ err: describeError(err) }, 'watchdog check failed');
    } finally {
      this.checking = false;
    }
    return replaced;
  }

  private track(slot: Slot): void {
    const worker = slot.worker;
    worker.on('active', () => {
      if (slot.worker === worker) slot.lastStart = Date.now();
    });
  }
}
