// The bull-board dashboard at /admin/queues, loaded in headless Chromium (Debian's `chromium`,
// driven by playwright-core): it needs the token, and once in shows every newsline queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { RunningApi } from '../../src/api/server.js';
import { openPglite, type Database } from '../../src/shared/store/database.js';
import { migrate } from '../../src/shared/store/migrate.js';
import { TEST_TOKEN, startTestApi } from '../helpers/api.js';
import { chromiumPath } from '../helpers/browser.js';
import { startTestPipeline, type TestPipeline } from '../helpers/pipeline.js';

const executablePath = chromiumPath();
if (!executablePath) console.warn("skipping the dashboard browser test: no Chromium (install Debian's `chromium` or set CHROMIUM_PATH)");

describe.skipIf(!executablePath)('dashboard in a browser', () => {
  let db: Database;
  let t: TestPipeline;
  let api: RunningApi;
  let browser: Browser;

  beforeAll(async () => {
    db = await openPglite(null);
    await migrate(db);
    t = await startTestPipeline(db, {}, { stages: [] });
    api = await startTestApi(t, db);
    browser = await chromium.launch({
      executablePath: executablePath!,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await t?.close();
    await db?.close();
  });

  it('asks for the token, refuses a wrong one, and shows the queues with the right one', async () => {
    // Without credentials the browser gets a Basic challenge (it would prompt a person for the token).
    const anonymous = await browser.newContext();
    const refused = await anonymous.request.get(`${api.url}/admin/queues`);
    expect(refused.status()).toBe(401);
    expect(refused.headers()['www-authenticate']).toMatch(/^Basic realm="newsline"/);
    const basic = (password: string) => `Basic ${Buffer.from(`ops:${password}`).toString('base64')}`;
    expect(
      (await anonymous.request.get(`${api.url}/admin/queues`, { headers: { authorization: basic('not-the-token-at-all') } })).status(),
    ).toBe(403);
    expect(
      (
        await anonymous.request.get(`${api.url}/admin/queues/api/queues`, { headers: { authorization: 'Bearer not-the-token-at-all' } })
      ).status(),
    ).toBe(403);
    await anonymous.close();

    const operator = await browser.newContext({ httpCredentials: { username: 'ops', password: TEST_TOKEN } });
    const page = await operator.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    // Offline: everything the board loads comes from the API itself (no web fonts, no CDN).
    const elsewhere: string[] = [];
    await page.route(
      (url) => url.origin !== new URL(api.url).origin,
      (route) => {
        elsewhere.push(route.request().url());
        return route.abort();
      },
    );
    const res = await page.goto(`${api.url}/admin/queues`);
    expect(res?.status()).toBe(200);
    // The board is a single-page app: its queue list comes from its API after load.
    for (const queue of ['{fetch}', '{extract}', '{dedup}', '{tag}', '{store}', '{discover}']) {
      await page.getByText(queue, { exact: true }).first().waitFor({ timeout: 20_000 });
    }
    expect(await page.title()).toContain('newsline');
    expect(elsewhere).toEqual([]);
    // Stages are fused by default: a queue that stays empty says why, instead of reading as idle.
    await page.getByText('{tag}', { exact: true }).first().click();
    await page
      .getByText(/Stages are fused \(NEWSLINE_FUSE_STAGES\)/)
      .first()
      .waitFor({ timeout: 20_000 });
    expect(await page.getByText('newsline_stage_job_duration_seconds_count{stage="tag"}', { exact: false }).count()).toBe(1);
    expect(errors).toEqual([]);
    await operator.close();
  }, 60_000);
});
