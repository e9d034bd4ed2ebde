// The dead-letter view: a page that failed for good is listed with its reason, and once the
// site is fixed `newsline failed retry` sends it round again to be stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFailed } from '../../src/queues/dead-letter.js';
import { RedisOutcomeStore } from '../../src/shared/outcomes/outcome.js';
import { openPglite, type Database } from '../../src/shared/store/database.js';
import { migrate } from '../../src/shared/store/migrate.js';
import { jsonLines, runCli } from '../helpers/cli.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';
import { articleHtml, html, startTestServer, type TestServer } from '../helpers/test-server.js';
import { until } from '../helpers/wait.js';

describe('failed jobs', () => {
  let site: TestServer;
  let db: Database;
  let t: TestPipeline;

  beforeAll(async () => {
    site = await startTestServer('127.0.0.1');
    db = await openPglite(null);
    await migrate(db);
    t = await startTestPipeline(db, { FETCH_HOST_INTERVAL_MS: '0' });
  });

  afterAll(async () => {
    await t?.close();
    await db?.close();
    await site?.close();
  });

  it('lists a failed page with its reason and retries it once the page is there', async () => {
    const url = `${site.origin}/news/late-edition-story`;
    const [first] = await t.run([url]);
    expect(first).toMatchObject({ outcome: 'failed', reason: 'http_404' });
    const env = { REDIS_URL: t.config.REDIS_URL, NEWSLINE_PREFIX: t.config.NEWSLINE_PREFIX };

    const listed = await runCli(['failed', 'list'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(jsonLines(listed.stdout)).toEqual([
      expect.objectContaining({ stage: 'fetch', jobId: first!.requestId, url, failedReason: expect.stringMatching(/^http_404: /) }),
    ]);
    const wrong = await runCli(['failed', 'retry', 'no-such-job'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim()).toBe('newsline: not failed (or not found): no-such-job');

    site.route('/news/late-edition-story', html(articleHtml('Late edition story')));
    const retried = await runCli(['failed', 'retry', '--all'], env);
    expect(retried.code, retried.stderr).toBe(0);
    expect(jsonLines(retried.stdout)).toEqual([{ stage: 'fetch', jobId: first!.requestId, retried: true }]);
    const outcomes = new RedisOutcomeStore(t.redis, t.config.NEWSLINE_PREFIX);
    const after = await until(async () => {
      const o = await outcomes.get(first!.requestId);
      return o?.outcome === 'stored' ? o : null;
    });
    expect(after.articleId).toBe(first!.requestId);
    expect(await listFailed(t.queues)).toEqual([]);
  });
});
