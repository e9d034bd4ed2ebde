// Group commit: which writes share a statement, and what a refused one does to the others.
import { describe, expect, it } from 'vitest';
import { WriteBatcher, type RunBatch } from '../../src/shared/store/write-batcher.js';

interface Write {
  key: string;
  value: number;
}

/** A batch runner that records every batch it ran; values below 0 are refused by "the database". */
function recorder(options: { failWhole?: boolean } = {}) {
  const batches: string[][] = [];
  const run: RunBatch<Write, string> = async (items) => {
    batches.push(items.map((w) => w.key));
    await new Promise((r) => setTimeout(r, 1));
    if (items.some((w) => w.value < 0) && (options.failWhole ?? true)) throw new Error(`refused ${items.length} rows`);
    return items.map((w) => (w.value < 0 ? new Error(`bad ${w.key}`) : `${w.key}=${w.value}`));
  };
  return { batches, run };
}

const settle = (p: Promise<string>) =>
  p.then(
    (v) => v,
    (e: Error) => `error: ${e.message}`,
  );

describe('write batcher', () => {
  it('gathers the writes of one event-loop turn into one batch, and returns each its own result', async () => {
    const { batches, run } = recorder();
    const batcher = new WriteBatcher(run, (w: Write) => w.key, { lingerMs: 0 });
    const results = await Promise.all(['a', 'b', 'c'].map((key, i) => batcher.submit({ key, value: i })));
    expect(results).toEqual(['a=0', 'b=1', 'c=2']);
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  it('waits up to lingerMs for later writes, and sends a full batch at once', async () => {
    const { batches, run } = recorder();
    const batcher = new WriteBatcher(run, (w: Write) => w.key, { lingerMs: 40, maxSize: 3 });
    const first = batcher.submit({ key: 'a', value: 1 });
    await new Promise((r) => setTimeout(r, 10));
    const second = batcher.submit({ key: 'b', value: 2 });
    await Promise.all([first, second]);
    expect(batches).toEqual([['a', 'b']]);
    // Three at once fill a batch: sent without waiting out the (here long) linger.
    const patient = new WriteBatcher(run, (w: Write) => w.key, { lingerMs: 60_000, maxSize: 3 });
    await Promise.all(['c', 'd', 'e'].map((key) => patient.submit({ key, value: 0 })));
    expect(batches.slice(1)).toEqual([['c', 'd', 'e']]);
  });

  it('never puts two writes of one key in the same batch', async () => {
    const { batches, run } = recorder();
    const batcher = new WriteBatcher(run, (w: Write) => w.key, { lingerMs: 0 });
    const results = await Promise.all([
      batcher.submit({ key: 'a', value: 1 }),
      batcher.submit({ key: 'b', value: 1 }),
      batcher.submit({ key: 'a', value: 2 }),
    ]);
    expect(results).toEqual(['a=1', 'b=1', 'a=2']);
    expect(batches).toEqual([['a', 'b'], ['a']]);
  });

  it('runs the writes of a refused batch one by one, so only the bad one fails', async () => {
    const { batches, run } = recorder();
    const batcher = new WriteBatcher(run, (w: Write) => w.key, { lingerMs: 0 });
    const results = await Promise.all([
      settle(batcher.submit({ key: 'a', value: 1 })),
      settle(batcher.submit({ key: 'bad', value: -1 })),
      settle(batcher.submit({ key: 'c', value: 3 })),
    ]);
    expect(results).toEqual(['a=1', 'error: refused 1 rows', 'c=3']);
    expect(batches).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });

  it('fails only the write a batch reports an error for', async () => {
    const { batches, run } = recorder({ failWhole: false });
    const batcher = new WriteBatcher(run, (w: Write) => w.key, { lingerMs: 0 });
    const results = await Promise.all([settle(batcher.submit({ key: 'a', value: 1 })), settle(batcher.submit({ key: 'bad', value: -1 }))]);
    expect(results).toEqual(['a=1', 'error: bad bad']);
    expect(batches).toEqual([['a', 'bad']]);
  });

  it('sends each write alone with maxSize 1', async () => {
    const { batches, run } = recorder();
    const batcher = new WriteBatcher(run, (w: Write) => w.key, { maxSize: 1, lingerMs: 60_000 });
    await Promise.all(['a', 'b'].map((key) => batcher.submit({ key, value: 0 })));
    expect(batches).toEqual([['a'], ['b']]);
  });
});
