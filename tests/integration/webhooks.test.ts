// Webhooks: signed Standard Webhooks deliveries, retried after a 500, filtered by type and
// entity, and refused for addresses the fetch guard refuses.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleSite, type SampleSite } from '../../src/demo/site/sample-site.js';
import { WebhookStore } from '../../src/shared/events/webhooks.js';
import { openPglite, type Database } from '../../src/shared/store/database.js';
import { migrate } from '../../src/shared/store/migrate.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { listFailed } from '../../src/queues/dead-letter.js';
import { createWebhookQueue } from '../../src/queues/webhooks.js';
import { until } from '../helpers/wait.js';

const SECRET = `whsec_${Buffer.from('a secret known to the receiver only').toString('base64')}`;

describe('webhooks', () => {
  let site: SampleSite;
  let receiver: TestServer;
  let canary: TestServer;
  let db: Database;
  let t: TestPipeline;
  const deliveries: Array<{ path: string; headers: Record<string, string | string[] | undefined>; body: string; at: number }> = [];
  const failedOnce = new Set<string>();

  beforeAll(async () => {
    site = await startSampleSite();
    receiver = await startTestServer('127.0.0.1');
    canary = await startTestServer('127.0.0.2');
    for (const path of ['/all', '/india', '/china']) {
      receiver.route(path, (req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          deliveries.push({ path, headers: req.headers, body, at: Date.now() });
          const id = String(req.headers['webhook-id']);
          // The first attempt of every event to /all fails: the retry must come.
          if (path === '/all' && !failedOnce.has(id)) {
            failedOnce.add(id);
            res.writeHead(500);
            return res.end();
          }
          res.writeHead(204);
          res.end();
        });
      });
    }
    db = await openPglite(null);
    await migrate(db);
    const store = new WebhookStore(db);
    await store.add({ url: `${receiver.origin}/all`, secret: SECRET, eventTypes: [], entityFilter: [] });
    await store.add({ url: `${receiver.origin}/india`, secret: SECRET, eventTypes: ['news.article.stored'], entityFilter: ['IN'] });
    await store.add({ url: `http://127.0.0.2:${canary.port}/steal`, secret: SECRET, eventTypes: [], entityFilter: [] });
    await store.add({ url: `${receiver.origin}/china`, secret: SECRET, eventTypes: [], entityFilter: ['CN'] });
    t = await startTestPipeline(db, {
      FETCH_ALLOW_PRIVATE: 'false',
      FETCH_ALLOW_HOSTS: '127.0.0.1',
      FETCH_HOST_INTERVAL_MS: '0',
      NEWSLINE_BACKOFF_MS: '100',
    });
  });

  afterAll(async () => {
    await t?.close();
    await db?.close();
    await Promise.all([site?.close(), receiver?.close(), canary?.close()]);
  });

  it('delivers every event signed, retries after a 500, filters by entity, and never reaches a forbidden address', async () => {
    const outcomes = await t.run([...site.articleUrls, site.syndicatedUrl]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['stored', 'stored', 'stored', 'duplicate']);
    const india = outcomes[2]!.articleId;

    // 4 events to /all, each twice (500, then 204); one to /india.
    const deadline = Date.now() + 20_000;
    while (
      (deliveries.filter((d) => d.path === '/all').length < 8 || deliveries.filter((d) => d.path === '/india').length < 2) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const all = deliveries.filter((d) => d.path === '/all');
    expect(all).toHaveLength(8);
    const byId = new Map<string, number>();
    for (const d of all) byId.set(String(d.headers['webhook-id']), (byId.get(String(d.headers['webhook-id'])) ?? 0) + 1);
    expect([...byId.values()]).toEqual([2, 2, 2, 2]);

    for (const d of deliveries) {
      const id = String(d.headers['webhook-id']);
      const timestamp = String(d.headers['webhook-timestamp']);
      expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(60);
      const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
      const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${d.body}`).digest('base64');
      expect(d.headers['webhook-signature']).toBe(`v1,${expected}`);
      expect(JSON.parse(d.body)).toMatchObject({ specversion: '1.0', id });
    }

    // Both stories that mention India (the monsoon story, and the summit story in passing); not the gas story.
    const toIndia = deliveries.filter((d) => d.path === '/india').map((d) => JSON.parse(d.body));
    expect(toIndia.map((e) => e.subject).sort()).toEqual([outcomes[0]!.articleId, india].sort());
    expect(toIndia.every((e) => e.type === 'news.article.stored')).toBe(true);
    expect(canary.requests).toEqual([]);
    // An entity subscription gets the copies of a story about its entity too: a copy's event carries the canonical's entities.
    const toChina = await until(async () => {
      const types = deliveries.filter((d) => d.path === '/china').map((d) => (JSON.parse(d.body) as { type: string }).type);
      return types.includes('news.article.duplicate') ? types : null;
    });
    expect(toChina.sort()).toEqual(['news.article.duplicate', 'news.article.stored']);
    const duplicate = deliveries
      .map((d) => JSON.parse(d.body) as { type: string; data: { focus: string[]; entities: Array<{ id: string }> } })
      .find((e) => e.type === 'news.article.duplicate')!;
    expect(duplicate.data.focus).toEqual(expect.arrayContaining(['CN', 'RU']));
    expect(duplicate.data.entities.map((e) => e.id)).toContain('person:xi-jinping');
    // A refused delivery is said on its subscription, and listed with the failed jobs.
    const subs = await until(async () => {
      const list = await new WebhookStore(db).list();
      return list.find((s) => s.url.endsWith('/steal'))?.lastStatus ? list : null;
    });
    expect(Object.fromEntries(subs.map((s) => [new URL(s.url).pathname, [s.lastStatus, s.lastError]]))).toEqual({
      '/all': ['204', null],
      '/india': ['204', null],
      '/steal': ['error', expect.stringMatching(/^forbidden_address: refusing to connect to 127\.0\.0\.2/)],
      '/china': ['204', null],
    });
    const webhookQueue = createWebhookQueue(t.redis, { prefix: t.config.NEWSLINE_PREFIX });
    try {
      const failed = await until(async () => {
        const list = await listFailed({ webhooks: webhookQueue }, { stage: 'webhooks' });
        return list.length >= 4 ? list : null;
      });
      expect(failed.every((f) => f.stage === 'webhooks' && /^forbidden_address/.test(f.failedReason))).toBe(true);
    } finally {
      await webhookQueue.close();
    }
  });
});
