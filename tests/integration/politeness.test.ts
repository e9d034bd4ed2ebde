// Per-host politeness across workers: one host's requests are spaced by the interval even with
// two fetch workers, while another host's requests are not held back behind them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite, type Database } from '../../src/shared/store/database.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { testPrefix } from '../helpers/redis.js';
import { articleHtml, html, startTestServer, type TestServer } from '../helpers/test-server.js';

const INTERVAL = 250;

describe('per-host politeness', () => {
  let busy: TestServer;
  let other: TestServer;
  let db: Database;
  let main: TestPipeline;
  let extra: TestPipeline;

  beforeAll(async () => {
    busy = await startTestServer('127.0.0.1');
    other = await startTestServer('127.0.0.2');
    for (let i = 0; i < 20; i++) busy.route(`/a/${i}`, html(articleHtml(`Harbour report number ${i} from the busy host`)));
    for (let i = 0; i < 5; i++) other.route(`/b/${i}`, html(articleHtml(`Weather bulletin number ${i} from the other host`)));
    db = await openPglite(null);
    const env = { NEWSLINE_PREFIX: testPrefix(), FETCH_HOST_INTERVAL_MS: String(INTERVAL), FETCH_HOST_CONCURRENCY: '2' };
    main = await startTestPipeline(db, env);
    // A second fetch worker on the same queues, as another process would be.
    extra = await startTestPipeline(db, env, { stages: ['fetch'] });
  });

  afterAll(async () => {
    await extra?.close();
    await main?.close();
    await db?.close();
    await busy?.close();
    await other?.close();
  });

  it('spaces requests to one host by the interval and lets another host through', async () => {
    const started = Date.now();
    const urls = [
      ...Array.from({ length: 20 }, (_, i) => `${busy.origin}/a/${i}`),
      ...Array.from({ length: 5 }, (_, i) => `${other.origin}/b/${i}`),
    ];
    const outcomes = await main.run(urls, 60_000);
    // The pages share one template, so dedup may call some of them copies: both are fine here.
    expect(outcomes.every((o) => o.outcome === 'stored' || o.outcome === 'duplicate')).toBe(true);

    const times = busy.requests
      .filter((r) => r.path.startsWith('/a/'))
      .map((r) => r.at)
      .sort((a, b) => a - b);
    expect(times).toHaveLength(20);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // Slots are granted by Redis' clock ≥ INTERVAL apart; arrival at the server adds the jitter of a
    // busy 2-core machine (tens of ms). Without politeness these gaps would be a few ms.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(INTERVAL - 60);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(19 * (INTERVAL - 5));

    const otherTimes = other.requests.filter((r) => r.path.startsWith('/b/')).map((r) => r.at);
    expect(otherTimes).toHaveLength(5);
    // The other host needs only its own four intervals, not the busy host's nineteen.
    expect(Math.max(...otherTimes) - started).toBeLessThan(4 * INTERVAL + 1_500);
    expect(Math.max(...otherTimes)).toBeLessThan(times.at(-1)!);
  });
});
