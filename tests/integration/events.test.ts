// Durable events: the outbox survives a crash between commit and publish, consumer groups
// survive a crashed consumer, poison entries go to a dead-letter stream, and every event is a
// valid CloudEvent whose data matches its JSON Schema.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { CloudEvent } from 'cloudevents';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleSite, type SampleSite } from '../../src/demo/site/sample-site.js';
import { StreamConsumer } from '../../src/shared/events/stream-consumer.js';
import { cloudEvent } from '../../src/shared/events/cloud-event.js';
import { RedisStreamSink, eventsStreamKey, readEvents } from '../../src/shared/events/event-sink.js';
import { OutboxRelay } from '../../src/shared/events/outbox-relay.js';
import { createLogger } from '../../src/shared/log.js';
import { enqueueEvents } from '../../src/shared/store/outbox.js';
import { openPglite, type Database } from '../../src/shared/store/database.js';
import { migrate } from '../../src/shared/store/migrate.js';
import { exitOf, jsonLines, runCli, startCli } from '../helpers/cli.js';
import { startTestPipeline, waitForEvents } from '../helpers/pipeline.js';
import { cleanupPrefix, redisUrl, testPrefix } from '../helpers/redis.js';
import { until } from '../helpers/wait.js';

/** The smallest valid data of a stored event. */
const storedData = (id: string) => ({
  id,
  url: `https://news.example/${id}`,
  canonicalUrl: `https://news.example/${id}`,
  title: null,
  publishedAt: null,
  language: null,
  entities: [],
  countries: [],
  focus: [],
});

let site: SampleSite;
let redis: Redis;

beforeAll(async () => {
  site = await startSampleSite();
  redis = new Redis(await redisUrl());
});

afterAll(async () => {
  redis?.disconnect();
  await site?.close();
});

describe('transactional outbox', () => {
  it('publishes, after a restart, an event committed by a process killed before it could publish', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsline-outbox-'));
    const env = {
      REDIS_URL: await redisUrl(),
      NEWSLINE_PREFIX: testPrefix(),
      NEWSLINE_DATA_DIR: dataDir,
      FETCH_ALLOW_PRIVATE: 'true',
      FETCH_HOST_INTERVAL_MS: '0',
    };
    const stream = eventsStreamKey(env.NEWSLINE_PREFIX);
    try {
      // A worker whose relay is off: it commits the record and its event row, and publishes nothing.
      const first = await startCli(['start'], { ...env, NEWSLINE_OUTBOX_RELAY: 'false' }, /pipeline started/);
      const r = await runCli(['enqueue', '--wait', site.articleUrls[2]!], env);
      const [outcome] = jsonLines(r.stdout);
      expect(outcome).toMatchObject({ outcome: 'stored' });
      expect(await redis.xlen(stream)).toBe(0);
      first.child.kill('SIGKILL');
      await exitOf(first.child);

      // After the crash, a restarted worker's relay finds the pending row and publishes it once.
      const second = await startCli(['start'], env, /pipeline started/);
      try {
        await until(async () => (await redis.xlen(stream)) >= 1);
        await new Promise((r) => setTimeout(r, 1_500)); // a second relay pass must not send it again
        const events = await readEvents(redis, stream);
        expect(events).toHaveLength(1);
        expect(events[0]!.event).toMatchObject({ type: 'news.article.stored', subject: outcome!['articleId'] });
      } finally {
        second.child.kill('SIGTERM');
        expect(await exitOf(second.child)).toBe(0);
      }
    } finally {
      await cleanupPrefix(env.NEWSLINE_PREFIX);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
  it('gathers events committed while a pass is due into one pass, and publishes each once', async () => {
    const db = await openPglite(null);
    await migrate(db);
    let passes = 0;
    const counted: Database = {
      ...db,
      transaction: (fn) => {
        passes += 1;
        return db.transaction(fn);
      },
    };
    const prefix = testPrefix();
    const stream = eventsStreamKey(prefix);
    const relay = new OutboxRelay(counted, new RedisStreamSink(redis, { key: stream, maxLen: 1_000 }), createLogger('silent'), {
      batchWindowMs: 1_000,
      intervalMs: 60_000,
    });
    try {
      relay.start();
      await until(async () => passes >= 1); // the pass at start (nothing pending)
      const before = passes;
      // Twenty commits 10 ms apart, each followed by a nudge, as store jobs under load would.
      const started = Date.now();
      for (let i = 0; i < 20; i++) {
        await enqueueEvents(db, [
          cloudEvent({
            id: `ev-${i}`,
            source: 'test',
            type: 'news.article.stored',
            subject: `a-${i}`,
            time: new Date().toISOString(),
            schemaBase: 'urn:test',
            data: storedData(`a-${i}`),
          }),
        ]);
        relay.nudge();
        await new Promise((r) => setTimeout(r, 10));
      }
      const committing = Date.now() - started;
      await until(async () => (await redis.xlen(stream)) >= 20);
      // At most one pass per window the commits spanned, and one more (without the window: one per event).
      expect(passes - before).toBeLessThanOrEqual(Math.ceil(committing / 1_000) + 1);
      const events = await readEvents(redis, stream);
      expect(events.map((e) => e.event.id)).toEqual(Array.from({ length: 20 }, (_, i) => `ev-${i}`));
    } finally {
      await relay.stop();
      await db.close();
      await cleanupPrefix(prefix);
    }
  });
});

describe('consumer groups', () => {
  const stream = `${testPrefix()}:events`;
  const publish = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const event = { specversion: '1.0', id: `e${i}`, type: 'news.article.stored', source: 'urn:test', subject: `a${i}` };
      await redis.xadd(stream, '*', 'id', event.id, 'type', event.type, 'event', JSON.stringify(event));
    }
  };

  afterAll(async () => {
    await redis.del(stream, `${stream}:dead`);
  });

  it("lets another consumer take over a crashed consumer's pending entries (XAUTOCLAIM)", async () => {
    await publish(3);
    const a = new StreamConsumer(redis, { stream, group: 'search', consumer: 'a' });
    await a.ensureGroup();
    const taken = await a.next(2); // …and "crashes" before acknowledging
    expect(taken.map((e) => e.event.id)).toEqual(['e0', 'e1']);
    expect(await a.pendingCount()).toBe(2);

    const b = new StreamConsumer(redis, { stream, group: 'search', consumer: 'b', claimIdleMs: 0 });
    const claimed = await b.next();
    expect(claimed.map((e) => [e.event.id, e.deliveries])).toEqual([
      ['e0', 2],
      ['e1', 2],
    ]);
    for (const e of claimed) await b.ack(e.streamId);
    const fresh = await b.next();
    expect(fresh.map((e) => e.event.id)).toEqual(['e2']);
    for (const e of fresh) await b.ack(e.streamId);
    expect(await b.pendingCount()).toBe(0);
  });

  it('moves an entry that keeps failing to the dead-letter stream', async () => {
    const c = new StreamConsumer(redis, { stream, group: 'alerts', consumer: 'c', claimIdleMs: 0, maxDeliveries: 2 });
    await c.ensureGroup();
    const first = await c.next(1); // delivered once, never acknowledged: the handler keeps failing
    expect(first.map((e) => e.event.id)).toEqual(['e0']);
    expect((await c.next(1)).map((e) => e.deliveries)).toEqual([2]);
    expect(await c.next(1)).toEqual([]); // third delivery: dead-lettered instead
    const dead = await redis.xrange(c.deadLetterStream, '-', '+');
    expect(dead).toHaveLength(1);
    expect(dead[0]![1]).toEqual(expect.arrayContaining(['id', 'e0', 'deliveries', '3', 'group', 'alerts']));
  });
});

describe('event envelopes', () => {
  it('are CloudEvents 1.0 whose data validates against the committed JSON Schemas', async () => {
    const db = await openPglite(null);
    const t = await startTestPipeline(db);
    try {
      await t.run([...site.articleUrls, site.syndicatedUrl]);
      const events = await waitForEvents(t, 4);
      expect(new Set(events.map((e) => e.type))).toEqual(new Set(['news.article.stored', 'news.article.duplicate']));
      const ajv = new Ajv({ allErrors: true, strict: true });
      addFormats.default(ajv);
      for (const event of events) {
        expect(new CloudEvent(event as never, true).validate()).toBe(true);
        expect(event.dataschema).toBe(`urn:newsline:schema:${event.type}.json`);
        const schema = JSON.parse(fs.readFileSync(path.resolve('schemas', `${event.type}.json`), 'utf8'));
        const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
        expect(validate(event.data), JSON.stringify(validate.errors)).toBe(true);
      }
    } finally {
      await t.close();
      await db.close();
    }
  });

  it('are read once per group by `newsline events tail --group`, which acknowledges them', async () => {
    const prefix = testPrefix();
    const env = { REDIS_URL: await redisUrl(), NEWSLINE_PREFIX: prefix };
    const stream = eventsStreamKey(prefix);
    try {
      for (let i = 0; i < 3; i++) {
        const event = { specversion: '1.0', id: `g${i}`, type: 'news.article.stored', source: 'urn:test', subject: `a${i}` };
        await redis.xadd(stream, '*', 'id', event.id, 'type', event.type, 'event', JSON.stringify(event));
      }
      const first = await runCli(['events', 'tail', '--group', 'mailer', '--consumer', 'm1'], env);
      expect(jsonLines(first.stdout).map((e) => e['id'])).toEqual(['g0', 'g1', 'g2']);
      const again = await runCli(['events', 'tail', '--group', 'mailer', '--consumer', 'm1'], env);
      expect(jsonLines(again.stdout)).toEqual([]);
      const other = await runCli(['events', 'tail', '--group', 'search', '--count', '2'], env);
      expect(jsonLines(other.stdout).map((e) => e['id'])).toEqual(['g0', 'g1']);
      expect(Number(((await redis.xpending(stream, 'mailer')) as [number])[0])).toBe(0);
    } finally {
      await cleanupPrefix(prefix);
    }
  });
});
