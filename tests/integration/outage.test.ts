// While Redis is down: the API answers 503 with Retry-After (never 500) and /readyz says what is
// missing; a worker process logs one JSON line per reconnect attempt, backing off, and says when
// Redis is back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApi } from '../../src/api/server.js';
import { loadConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/log.js';
import { openPglite } from '../../src/shared/store/database.js';
import { exitOf } from '../helpers/cli.js';
import { hasRedisServer, startOwnRedis, startWorkerProcess } from '../helpers/processes.js';
import { testPrefix } from '../helpers/redis.js';
import { until } from '../helpers/wait.js';

const reason = hasRedisServer() ? null : 'no redis-server binary to start and stop a Redis of the test’s own';
if (reason) console.warn(`skipping the Redis outage tests: ${reason}`);

describe.skipIf(reason !== null)('with Redis down', () => {
  it('the API answers 503 with Retry-After on routes that need Redis, and /readyz says which check fails', async () => {
    const redis = await startOwnRedis({ appendfsync: 'everysec' });
    const db = await openPglite(null);
    const config = loadConfig({ REDIS_URL: redis.url, NEWSLINE_PREFIX: testPrefix(), NEWSLINE_API_PORT: '0', LOG_LEVEL: 'silent' });
    const api = await startApi(config, createLogger('silent'), { database: db });
    try {
      await redis.kill();
      const submit = await fetch(`${api.url}/v1/urls`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'https://news.example/a' }),
      });
      expect(submit.status).toBe(503);
      expect(submit.headers.get('retry-after')).toBe('5');
      expect(await submit.json()).toEqual({ error: 'unavailable', message: 'Redis is unavailable; retry in a few seconds' });
      const metrics = await fetch(`${api.url}/metrics`);
      expect(metrics.status).toBe(503);
      const ready = await fetch(`${api.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).toBe('5');
      const body = (await ready.json()) as { checks: { redis: string; database: string } };
      expect(body.checks.database).toBe('ok');
      expect(body.checks.redis).not.toBe('ok');
      expect((await fetch(`${api.url}/healthz`)).status).toBe(200);

      await redis.start();
      await until(async () => ((await fetch(`${api.url}/readyz`)).status === 200 ? true : null), 15_000);
    } finally {
      await api.close();
      await db.close();
      await redis.stop();
    }
  }, 60_000);

  it('a worker process logs one JSON line per reconnect attempt, backing off, and when Redis is back', async () => {
    const redis = await startOwnRedis({ appendfsync: 'everysec' });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsline-outage-'));
    const worker = await startWorkerProcess({
      REDIS_URL: redis.url,
      NEWSLINE_PREFIX: testPrefix(),
      NEWSLINE_DATA_DIR: dataDir,
      NEWSLINE_SHUTDOWN_TIMEOUT_MS: '2000',
    });
    try {
      const before = worker.output().length;
      await redis.kill();
      await new Promise((r) => setTimeout(r, 6_000));
      const during = worker.output().slice(before).trim().split('\n');
      for (const line of during) expect(() => JSON.parse(line), line).not.toThrow();
      const attempts = during
        .map((l) => JSON.parse(l) as { msg: string; attempt?: number })
        .filter((l) => l.msg === 'Redis unreachable; reconnecting');
      expect(attempts.length).toBeGreaterThanOrEqual(3);
      expect(attempts.length).toBeLessThanOrEqual(15);
      expect(during.length).toBeLessThanOrEqual(attempts.length + 2);
      await redis.start();
      await until(async () => (worker.output().includes('Redis reachable again') ? true : null), 20_000);
    } finally {
      worker.child.kill('SIGTERM');
      await exitOf(worker.child);
      await redis.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
