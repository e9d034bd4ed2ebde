// Group commit for the article store: writes submitted while others are gathering go to the database
// in one statement. Under load this halves PostgreSQL's work per article (planning, executor start,
// commit and WAL flush once per batch, one round trip); when idle, a write waits at most `lingerMs`.
import { settingDefault } from '../settings.js';

export interface WriteBatcherOptions {
  /**
   * Writes in one statement at most; 1 turns batching off.
   * @defaultValue 16
   */
  maxSize?: number;
  /**
   * How long the first write of a batch waits for others to join it (ms). 0 gathers the writes
   * submitted in the same turn of the event loop. (The pipeline's is NEWSLINE_STORE_LINGER_MS.)
   * @defaultValue 0
   */
  lingerMs?: number;
  /** Called with the size of every batch sent (a refused batch's items, run alone, count as batches of 1). */
  onBatch?: (size: number) => void;
}

/**
 * Runs a batch: one result per item, in order. A result may be an Error for that item alone; a
 * thrown error fails the batch, whose items are then run one by one, so one bad item fails alone.
 */
export type RunBatch<I, O> = (items: I[]) => Promise<Array<O | Error>>;

interface Pending<I, O> {
  item: I;
  resolve(value: O): void;
  reject(err: unknown): void;
}

export class WriteBatcher<I, O> {
  private readonly maxSize: number;
  private readonly lingerMs: number;
  private readonly onBatch: ((size: number) => void) | undefined;
  private pending: Array<Pending<I, O>> = [];
  /** Keys of the pending items: two writes of one key never share a statement. */
  private keys = new Set<string>();
  /** Cancels the pending flush (a timeout, or an immediate when lingerMs is 0). */
  private cancelFlush: (() => void) | null = null;

  constructor(
    private readonly run: RunBatch<I, O>,
    /** Items with the same key (the row they write) go in different batches. */
    private readonly keyOf: (item: I) => string,
    options: WriteBatcherOptions = {},
  ) {
    this.maxSize = Math.max(1, options.maxSize ?? settingDefault('NEWSLINE_STORE_BATCH'));
    this.lingerMs = Math.max(0, options.lingerMs ?? 0);
    this.onBatch = options.onBatch;
  }

  submit(item: I): Promise<O> {
    const key = this.keyOf(item);
    if (this.keys.has(key)) this.flush();
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.keys.add(key);
      if (this.pending.length >= this.maxSize) this.flush();
      else if (!this.cancelFlush) this.cancelFlush = this.scheduleFlush();
    });
  }

  /** Send what is gathered now (without waiting for it to finish). */
  flush(): void {
    this.cancelFlush?.();
    this.cancelFlush = null;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.keys = new Set();
    void this.send(batch);
  }

  private scheduleFlush(): () => void {
    if (this.lingerMs === 0) {
      const immediate = setImmediate(() => this.flush());
      return () => clearImmediate(immediate);
    }
    const timer = setTimeout(() => this.flush(), this.lingerMs);
    return () => clearTimeout(timer);
  }

  private async send(batch: Array<Pending<I, O>>): Promise<void> {
    let results: Array<O | Error>;
    this.onBatch?.(batch.length);
    try {
      results = await this.run(batch.map((p) => p.item));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      // One item may be what the database refused: each alone, so only that one fails.
      await Promise.all(batch.map((p) => this.send([p])));
      return;
    }
    batch.forEach((p, i) => {
      const result = results[i];
      if (result instanceof Error) p.reject(result);
      else if (result === undefined) p.reject(new Error('the batch returned no result for this write'));
      else p.resolve(result);
    });
  }
}
