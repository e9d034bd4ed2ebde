// `newsline demo` next to production: with DATABASE_URL set and a webhook subscribed there, the demo
// runs on its own key prefix and an in-memory store — the database gains no row, the webhook no call.
import { describe, expect, it } from 'vitest';
import { WebhookStore } from '../../src/shared/events/webhooks.js';
import { openPostgres } from '../../src/shared/store/database.js';
import { migrate } from '../../src/shared/store/migrate.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase, postgresAdminUrl, postgresUnavailableReason } from '../helpers/postgres.js';
import { redisUrl } from '../helpers/redis.js';
import { startTestServer } from '../helpers/test-server.js';

const adminUrl = await postgresAdminUrl();
if (!adminUrl) console.warn(`skipping the demo isolation test: ${postgresUnavailableReason}`);

describe.skipIf(!adminUrl)('newsline demo', () => {
  it('leaves the configured database and its webhooks untouched', async () => {
    const fresh = await freshDatabase(adminUrl!);
    const hooks = await startTestServer();
    hooks.route('/hook', (_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const db = await openPostgres(fresh.url);
    try {
      await migrate(db);
      await new WebhookStore(db).add({
        url: `${hooks.origin}/hook`,
        secret: 'whsec_dGVzdHRlc3R0ZXN0dGVzdA==',
        eventTypes: [],
        entityFilter: [],
      });
      const r = await runCli(['demo'], { REDIS_URL: await redisUrl(), DATABASE_URL: fresh.url }, 120_000);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^stored\s+\/news\//m);
      expect(r.stdout).toContain('store: pglite');
      const count = async (table: string) => Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n);
      expect([await count('articles'), await count('sightings'), await count('outbox')]).toEqual([0, 0, 0]);
      expect(hooks.requests).toEqual([]);
    } finally {
      await db.close();
      await hooks.close();
      await fresh.drop();
    }
  }, 150_000);
});
