// The CLI contract, through the real binary: start, enqueue --wait, events tail, articles get,
// and the one-line errors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { CloudEvent } from 'cloudevents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleSite, type SampleSite } from '../../src/demo/site/sample-site.js';
import { bodyOf, differentStory, original, spun } from '../fixtures/copies.js';
import { exitOf, jsonLines, runCli, startCli } from '../helpers/cli.js';
import { cleanupPrefix, redisUrl, testPrefix } from '../helpers/redis.js';

describe('newsline CLI', () => {
  let site: SampleSite;
  let env: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    site = await startSampleSite();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsline-cli-'));
    env = {
      REDIS_URL: await redisUrl(),
      NEWSLINE_PREFIX: testPrefix(),
      NEWSLINE_DATA_DIR: dataDir,
      FETCH_ALLOW_PRIVATE: 'true',
      FETCH_HOST_INTERVAL_MS: '20',
    };
  });

  afterAll(async () => {
    await site?.close();
    await cleanupPrefix(env['NEWSLINE_PREFIX']!);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores a page, then calls the same page a duplicate; events tail shows both as CloudEvents', async () => {
    const worker = await startCli(['start', '--concurrency', '2'], env, /pipeline started/);
    try {
      const url = site.articleUrls[0]!;
      const first = await runCli(['enqueue', '--wait', '--timeout', '30', url], env);
      expect(first.code, first.stderr).toBe(0);
      const [stored] = jsonLines(first.stdout);
      expect(stored).toMatchObject({ url, outcome: 'stored', articleId: expect.any(String) });

      const second = await runCli(['enqueue', '--wait', url], env);
      expect(second.code).toBe(0);
      expect(jsonLines(second.stdout)[0]).toMatchObject({ url, outcome: 'duplicate', duplicateOf: stored!['articleId'] });

      // While `start` holds the embedded store, read commands in another terminal read through it
      // (timestamps and all), and a write there is refused in one line naming the holder.
      const listed = await runCli(['articles', 'list'], env);
      expect(listed.code, listed.stderr).toBe(0);
      const [record] = jsonLines(listed.stdout);
      expect(record).toMatchObject({ id: stored!['articleId'], url });
      expect(Date.parse(String(record!['storedAt']))).toBeGreaterThan(Date.now() - 120_000);
      const got = await runCli(['articles', 'get', '--id', String(stored!['articleId'])], env);
      expect(got.code, got.stderr).toBe(0);
      expect(JSON.parse(got.stdout)).toMatchObject({ id: stored!['articleId'], title: record!['title'] });
      const word = String(record!['title'])
        .split(/\s+/)
        .find((w) => w.length > 4)!;
      const searched = await runCli(['articles', 'search', word], env);
      expect(searched.code, searched.stderr).toBe(0);
      expect(jsonLines(searched.stdout).map((r) => r['id'])).toContain(stored!['articleId']);
      const sources = await runCli(['sources', 'list'], env);
      expect(sources.code, sources.stderr).toBe(0);
      const write = await runCli(['webhooks', 'add', `${site.origin}/hook`], env);
      expect(write.code).toBe(1);
      expect(write.stderr).toMatch(
        /^newsline: process \d+ holds the PGlite data directory .*: other commands may read through it, not write;/,
      );
      expect(write.stderr.trim().split('\n')).toHaveLength(1);

      // Events arrive through the outbox relay a moment after the outcome.
      let events: Array<Record<string, unknown>> = [];
      for (let i = 0; i < 20 && events.length < 2; i++) {
        events = jsonLines((await runCli(['events', 'tail', '--from-start'], env)).stdout);
        if (events.length < 2) await new Promise((r) => setTimeout(r, 250));
      }
      expect(events.map((e) => e['type'])).toEqual(['news.article.stored', 'news.article.duplicate']);
      for (const e of events) expect(new CloudEvent(e as never, true).validate()).toBe(true);
      expect(events[0]!['subject']).toBe(stored!['articleId']);

      const limited = await runCli(['events', 'tail', '--count', '1'], env);
      expect(jsonLines(limited.stdout).map((e) => e['type'])).toEqual(['news.article.duplicate']);

      // Bulk: a file of URLs, comments and blank lines; progress and a summary on stderr.
      const urlFile = path.join(dataDir, 'urls.txt');
      const bulk = [
        ...site.articleUrls,
        site.pdfUrl,
        site.missingUrl,
        site.redirectUrl,
        ...[1, 2, 3, 4, 5, 6].map((i) => `${site.articleUrls[1]}?page=${i}`),
      ];
      fs.writeFileSync(urlFile, `# today's list\n${bulk.join('\n')}\n\n`);
      const many = await runCli(['enqueue', '--file', urlFile, '--wait', '--timeout', '60'], env);
      expect(many.code).toBe(1); // the missing page failed
      expect(jsonLines(many.stdout)).toHaveLength(12);
      expect(many.stderr).toMatch(/^progress: \d+\/12 /m);
      expect(many.stderr).toMatch(/^done: 12 URLs: duplicate \d+, failed 1, skipped 1, stored \d+$/m);
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect(await exitOf(worker.child)).toBe(0);
    expect(worker.output()).toMatch(/"msg":"stopped"/);

    const got = await runCli(['articles', 'get', '--url', site.articleUrls[0]!], env);
    expect(got.code, got.stderr).toBe(0);
    const record = JSON.parse(got.stdout);
    expect(record.title).toBe('Xi Jinping receives Sergey Lavrov as Beijing and Moscow tighten ties');
    expect(record.entities.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining(['CN', 'RU', 'UA', 'US']));
    const search = await runCli(['articles', 'search', 'Lavrov talks', '--entity', 'CN', '--since', '2024-06-01'], env);
    expect(jsonLines(search.stdout)).toEqual([expect.objectContaining({ id: record.id, focus: ['CN', 'RU'], rank: expect.any(Number) })]);
    const bad = await runCli(['articles', 'search', 'x', '--since', 'yesterday-ish'], env);
    expect(bad.stderr.trim()).toBe('newsline: not a date: "yesterday-ish"');
    const list = await runCli(['articles', 'list', '--limit', '5'], env);
    expect(jsonLines(list.stdout)).toHaveLength(3); // the first story, and the two the bulk file added
  });

  it('imports extracted documents through dedup, tag and store, and reports each one', async () => {
    const worker = await startCli(['start', '--stages', 'dedup,tag,store'], env, /pipeline started/);
    try {
      const file = path.join(dataDir, 'import.jsonl');
      const lines = [
        { id: 'orig', url: 'https://archive.example/grain', title: original.title, body: bodyOf(original), publishedAt: '2024-03-06' },
        { id: 'spun', url: 'https://farm.example/cereal', title: spun.title, body: bodyOf(spun) },
        { id: 'other', url: 'https://archive.example/exports', title: differentStory.title, body: bodyOf(differentStory) },
        { id: 'broken', url: 'not a url', body: 'x' },
      ];
      fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
      const r = await runCli(['import', file, '--wait', '--timeout', '60'], env);
      const byId = new Map(jsonLines(r.stdout).map((o) => [o['id'], o]));
      expect(byId.get('broken')).toMatchObject({ outcome: 'failed', reason: 'invalid_document', line: 4 });
      expect(r.code).toBe(1); // because of the broken line
      const orig = byId.get('orig')!;
      expect(orig).toMatchObject({ outcome: 'stored', articleId: expect.any(String) });
      expect(byId.get('spun')).toMatchObject({
        outcome: 'duplicate',
        duplicateOf: orig['articleId'],
        articleId: orig['articleId'],
        similarity: expect.any(Number),
      });
      expect(byId.get('other')).toMatchObject({ outcome: 'stored' });
    } finally {
      worker.child.kill('SIGTERM');
      await exitOf(worker.child);
    }
  });

  it('extracts saved pages, gzipped or not, from arguments and a manifest', async () => {
    const fixture = path.resolve('tests/fixtures/pages/summit-story.html');
    const gz = path.join(dataDir, 'story.html.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(fixture)));
    const manifest = path.join(dataDir, 'pages.jsonl');
    fs.writeFileSync(
      manifest,
      `${JSON.stringify({ file: gz, url: 'https://globe-dispatch.example/2024/06/20/x' })}\n{"file":"missing.html"}\n`,
    );
    const r = await runCli(['extract', fixture, '--manifest', manifest], env);
    expect(r.code).toBe(1); // one input was missing
    const [plain, gzipped, missing] = jsonLines(r.stdout);
    expect(plain).toMatchObject({
      file: fixture,
      title: 'Xi Hosts Russian Envoy as Ukraine War Grinds On',
      authors: ['Lena Okafor', 'Daniel Brook'],
    });
    expect(gzipped).toMatchObject({ file: gz, title: plain!['title'], body: plain!['body'], wordCount: plain!['wordCount'] });
    expect(missing).toMatchObject({ file: 'missing.html', error: expect.stringMatching(/ENOENT/) });
  });

  it('reads only regular files of bounded size, and only a valid --url', async () => {
    const fixture = path.resolve('tests/fixtures/pages/summit-story.html');
    const zero = await runCli(['extract', '/dev/zero'], env, 10_000);
    expect(zero.code).toBe(1);
    expect(jsonLines(zero.stdout)).toEqual([{ file: '/dev/zero', error: 'not a regular file: /dev/zero' }]);
    const huge = path.join(dataDir, 'huge.html');
    fs.writeFileSync(huge, Buffer.alloc(6 * 1024 * 1024, 0x61));
    const big = await runCli(['extract', huge], env);
    expect(jsonLines(big.stdout)[0]).toMatchObject({ error: expect.stringMatching(/^larger than 5242880 bytes/) });
    const bomb = path.join(dataDir, 'bomb.html.gz');
    fs.writeFileSync(bomb, zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x61)));
    const inflated = await runCli(['extract', bomb], env);
    expect(jsonLines(inflated.stdout)[0]).toMatchObject({ error: expect.stringMatching(/^cannot decompress .* within 5242880 bytes/) });
    const badUrl = await runCli(['extract', fixture, '--url', 'notaurl'], env);
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr.trim()).toBe('newsline: --url: not a URL: "notaurl"');
  });

  it('refuses a 10 MB URL, a Redis database the server does not have, and a weak or spaced API token, each in one line', async () => {
    const urls = path.join(dataDir, 'long-url.txt');
    fs.writeFileSync(urls, `https://news.example/${'a'.repeat(10 * 1024 * 1024)}\n`);
    const long = await runCli(['enqueue', '--file', urls], env);
    expect(long.code).toBe(1);
    expect(jsonLines(long.stdout)[0]).toMatchObject({
      outcome: 'failed',
      reason: 'invalid_url',
      detail: expect.stringMatching(/longer than 4096/),
    });
    expect(long.stdout.length).toBeLessThan(1_000);

    const db99 = await runCli(['enqueue', site.articleUrls[1]!], { ...env, REDIS_URL: `${env['REDIS_URL']!.replace(/\/\d*$/, '')}/99` });
    expect(db99.code).toBe(1);
    expect(db99.stderr.trim()).toMatch(/^newsline: invalid configuration: REDIS_URL: database 99 cannot be used \(.*\)$/);
    const notNumber = await runCli(['enqueue', site.articleUrls[1]!], { ...env, REDIS_URL: 'redis://127.0.0.1:6379/zero' });
    expect(notNumber.stderr.trim()).toBe(
      'newsline: invalid configuration: REDIS_URL: the path must be a database number (redis://host:6379/2)',
    );

    for (const token of [' '.repeat(16), 'aaaaaaaaaaaaaaaaaaaa', 'two words token here']) {
      const r = await runCli(['articles', 'list'], { ...env, NEWSLINE_API_TOKEN: token });
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toMatch(/^newsline: invalid configuration: NEWSLINE_API_TOKEN: (must be 16 to 1,024 printable|is too weak)/);
    }
  });

  it('refuses a webhook the address guard would refuse, names resolved, and lists failed webhook jobs', async () => {
    const guarded = { ...env, FETCH_ALLOW_PRIVATE: 'false' };
    for (const url of ['http://127.0.0.1:9/hook', 'http://localhost:9/hook', 'http://[::ffff:10.0.0.1]/hook']) {
      const r = await runCli(['webhooks', 'add', url], guarded);
      expect([url, r.code]).toEqual([url, 1]);
      expect(r.stderr.trim()).toMatch(/^newsline: webhook refusing to connect to /);
    }
    const listed = await runCli(['webhooks', 'list'], guarded);
    expect(listed.stdout).toBe('');
    const failed = await runCli(['failed', 'list', '--stage', 'webhooks'], env);
    expect(failed.code).toBe(0);
    const unknown = await runCli(['failed', 'list', '--stage', 'hooks'], env);
    expect(unknown.stderr).toMatch(/unknown stage "hooks" \(stages: fetch, extract, dedup, tag, store, discover, digests, webhooks\)/);
  });

  it('reports an invalid URL as a failed outcome without enqueueing it', async () => {
    const r = await runCli(['enqueue', 'notaurl', 'ftp://files.example/x'], env);
    expect(r.code).toBe(1);
    expect(jsonLines(r.stdout)).toEqual([
      expect.objectContaining({ url: 'notaurl', outcome: 'failed', reason: 'invalid_url' }),
      expect.objectContaining({ url: 'ftp://files.example/x', outcome: 'failed', reason: 'invalid_url' }),
    ]);
  });

  it('says in one line where it looked when Redis is unreachable', async () => {
    const r = await runCli(['enqueue', site.articleUrls[1]!], { ...env, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^newsline: cannot reach Redis at redis:\/\/127\.0\.0\.1:1 .*redis-server/);
  });

  it('says in one line what is wrong with a bad setting or a bad DATABASE_URL', async () => {
    // NEWSLINE_DEBUG, which the docs name, is a setting like the others.
    expect((await runCli(['articles', 'list'], { ...env, NEWSLINE_DEBUG: '1' })).code).toBe(0);
    const typo = await runCli(['articles', 'list'], { ...env, NEWSLINE_PREFX: 'x' });
    expect(typo.stderr.trim()).toBe('newsline: invalid configuration: unknown setting NEWSLINE_PREFX (see docs/configuration.md)');
    const db = await runCli(['articles', 'list'], { ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x' });
    expect(db.code).toBe(1);
    expect(db.stderr.trim().split('\n')).toHaveLength(1);
    expect(db.stderr).toMatch(/^newsline: cannot reach PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/x/);
  });
  it('start --api runs the workers and the API over one embedded store; serve refuses the network without a token', async () => {
    const ownDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsline-api-'));
    const apiEnv = { ...env, NEWSLINE_DATA_DIR: ownDir, NEWSLINE_API_PORT: '0', NEWSLINE_PREFIX: testPrefix() };
    const running = await startCli(['start', '--api'], apiEnv, /API on (http:\S+)/);
    try {
      const base = /API on (http:\S+)/.exec(running.output())![1]!;
      const res = await fetch(`${base}/v1/urls`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: site.articleUrls[2] }),
      });
      expect(res.status).toBe(202); // loopback without a token: writes are open
      const { accepted } = (await res.json()) as { accepted: Array<{ requestId: string }> };
      let outcome: Record<string, unknown> = {};
      for (let i = 0; i < 100 && outcome['outcome'] !== 'stored'; i++) {
        outcome = (await (await fetch(`${base}/v1/urls/${accepted[0]!.requestId}`)).json()) as Record<string, unknown>;
        if (outcome['outcome'] !== 'stored') await new Promise((r) => setTimeout(r, 200));
      }
      expect(outcome).toMatchObject({ outcome: 'stored', articleId: expect.any(String) });
      const article = (await (await fetch(`${base}/v1/articles/${String(outcome['articleId'])}`)).json()) as Record<string, unknown>;
      expect(article['url']).toBe(site.articleUrls[2]);
    } finally {
      running.child.kill('SIGTERM');
    }
    expect(await exitOf(running.child)).toBe(0);
    const refused = await runCli(['serve'], { ...apiEnv, NEWSLINE_API_HOST: '0.0.0.0' });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      'newsline: refusing to listen on 0.0.0.0 without NEWSLINE_API_TOKEN (only loopback addresses may run without one)',
    );
    await cleanupPrefix(apiEnv.NEWSLINE_PREFIX);
    fs.rmSync(ownDir, { recursive: true, force: true });
  });
});
