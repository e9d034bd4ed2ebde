// A source crawl over sitemaps as sites serve them: a child that fails does not hide the others,
// indexes nest, a cut-off sitemap keeps its complete entries, a crawl takes a bounded number of
// URLs, children are asked for conditionally, and a disallowed source is not read.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { FetchPageOptions } from '../../src/shared/fetch/fetch-page.js';
import type { PoliteFetchOutcome } from '../../src/shared/fetch/polite-fetch.js';
import type { SourceEntry } from '../../src/shared/sources/parse-source.js';
import type { Source, SourceRun } from '../../src/shared/sources/source-store.js';
import { processDiscover } from '../../src/workers/discover/processor.js';

const ORIGIN = 'https://news.example';
const index = (...locs: string[]) =>
  `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${locs.map((l) => `<sitemap><loc>${ORIGIN}${l}</loc></sitemap>`).join('')}</sitemapindex>`;
const urlset = (...paths: string[]) =>
  `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths.map((p) => `<url><loc>${ORIGIN}${p}</loc></url>`).join('')}</urlset>`;

type Served = { body: string | Buffer; type?: string; etag?: string } | { status: number } | 'robots';

function crawl(served: Record<string, Served>, options: { maxUrls?: number; known?: Record<string, string> } = {}) {
  const requests: Array<{ url: string; options: FetchPageOptions }> = [];
  const enqueued: SourceEntry[] = [];
  const runs: SourceRun[] = [];
  const remembered = new Map(Object.entries(options.known ?? {}).map(([u, etag]) => [u, { etag }]));
  const source: Source = {
    id: 'src_1',
    url: `${ORIGIN}/sitemap.xml`,
    name: 'n',
    kind: 'sitemap-index',
    everyMs: 600_000,
    cron: null,
    tz: 'UTC',
    etag: null,
    lastModified: null,
    lastRunAt: null,
    lastStatus: null,
    lastNewUrls: 0,
    totalNewUrls: 0,
    runs: 0,
    errors: 0,
    lastError: null,
    lastDocuments: 0,
    lastFailedDocuments: 0,
    detectedVia: 'given',
  };
  const fetch = async (url: string, opts: FetchPageOptions): Promise<PoliteFetchOutcome> => {
    requests.push({ url, options: opts });
    const s = served[url.slice(ORIGIN.length)];
    if (s === 'robots') return { kind: 'robots', finalUrl: url };
    if (!s) throw new Error(`${url} answered 404`);
    if ('status' in s) throw new Error(`${url} answered ${s.status}`);
    if (s.etag && opts.validators?.etag === s.etag) return { kind: 'not_modified', finalUrl: url };
    const body = Buffer.isBuffer(s.body) ? s.body : Buffer.from(s.body);
    return {
      kind: 'fetched',
      finalUrl: url,
      status: 200,
      contentType: s.type ?? 'application/xml',
      body,
      redirects: [],
      validators: { etag: s.etag },
    };
  };
  const run = processDiscover(
    { sourceId: 'src_1' },
    {
      source: async () => source,
      fetch,
      documents: { get: async (u) => remembered.get(u) ?? null, set: async (u, v) => void remembered.set(u, { etag: v.etag! }) },
      seenBefore: async () => false,
      enqueue: async (entries) => void enqueued.push(...entries),
      recordRun: async (_id, r) => void runs.push(r),
      ...(options.maxUrls ? { maxUrls: options.maxUrls } : {}),
    },
  );
  return { run, requests, enqueued, runs, remembered };
}

describe('source crawls', () => {
  it('counts a child sitemap that answers 404 as failed while the others still count', async () => {
    const c = crawl({
      '/sitemap.xml': { body: index('/a.xml', '/gone.xml', '/b.xml') },
      '/a.xml': { body: urlset('/news/a1', '/news/a2') },
      '/b.xml': { body: urlset('/news/b1') },
    });
    const run = await c.run;
    expect(c.enqueued.map((e) => e.url)).toEqual([`${ORIGIN}/news/a1`, `${ORIGIN}/news/a2`, `${ORIGIN}/news/b1`]);
    expect(run).toMatchObject({
      status: 'partial',
      newUrls: 3,
      documents: 4,
      failedDocuments: 1,
      error: expect.stringContaining('/gone.xml answered 404'),
    });
  });

  it('follows indexes inside indexes, three levels below the source and no further', async () => {
    const c = crawl({
      '/sitemap.xml': { body: index('/level1.xml') },
      '/level1.xml': { body: index('/level2.xml') },
      '/level2.xml': { body: index('/level3.xml') },
      '/level3.xml': {
        body: `${index('/level4.xml').replace('</sitemapindex>', '')}</sitemapindex>`.replace(
          '<sitemap>',
          `<sitemap><loc>${ORIGIN}/deep.xml</loc></sitemap><sitemap>`,
        ),
      },
      '/deep.xml': { body: urlset('/news/deep') },
      '/level4.xml': { body: urlset('/news/too-deep') },
    });
    await c.run;
    expect(c.requests.map((r) => r.url.slice(ORIGIN.length))).toEqual(['/sitemap.xml', '/level1.xml', '/level2.xml', '/level3.xml']);
  });

  it('keeps every complete entry of a sitemap cut off mid-tag, and says partial', async () => {
    const whole = urlset('/news/1', '/news/2', '/news/3');
    const cut = whole.slice(0, whole.indexOf('/news/3') - 10);
    const c = crawl({ '/sitemap.xml': { body: index('/cut.xml') }, '/cut.xml': { body: cut } });
    const run = await c.run;
    expect(c.enqueued.map((e) => e.url)).toEqual([`${ORIGIN}/news/1`, `${ORIGIN}/news/2`]);
    expect(run).toMatchObject({ status: 'partial', error: expect.stringContaining('cut off or malformed') });
  });

  it('reads text sitemaps, plain and gzipped', async () => {
    const text = `${ORIGIN}/news/t1\n\n  ${ORIGIN}/news/t2  \nnot a url\nftp://files.example/x\n`;
    const c = crawl({
      '/sitemap.xml': { body: index('/list.txt', '/list.txt.gz') },
      '/list.txt': { body: text, type: 'text/plain' },
      '/list.txt.gz': { body: zlib.gzipSync(`${ORIGIN}/news/t3\n`), type: 'application/octet-stream' },
    });
    expect(await c.run).toMatchObject({ status: 'ok', newUrls: 3 });
    expect(c.enqueued.map((e) => e.url)).toEqual([`${ORIGIN}/news/t1`, `${ORIGIN}/news/t2`, `${ORIGIN}/news/t3`]);
  });

  it('takes at most NEWSLINE_SOURCE_MAX_URLS URLs a crawl, and says so', async () => {
    const many = Array.from({ length: 30 }, (_, i) => `/news/${i}`);
    const c = crawl({ '/sitemap.xml': { body: urlset(...many) } }, { maxUrls: 10 });
    const run = await c.run;
    expect(c.enqueued).toHaveLength(10);
    expect(run).toMatchObject({ status: 'partial', error: expect.stringContaining('only the first 10 of 30 URLs') });
  });

  it('asks for a child sitemap conditionally once it has been read whole', async () => {
    const served = { '/sitemap.xml': { body: index('/a.xml') }, '/a.xml': { body: urlset('/news/a1'), etag: '"a-1"' } };
    const first = crawl(served);
    await first.run;
    expect(first.remembered.get(`${ORIGIN}/a.xml`)).toEqual({ etag: '"a-1"' });
    const second = crawl(served, { known: { [`${ORIGIN}/a.xml`]: '"a-1"' } });
    expect(await second.run).toMatchObject({ status: 'ok', newUrls: 0 });
    expect(second.requests.find((r) => r.url.endsWith('/a.xml'))!.options.validators).toEqual({ etag: '"a-1"' });
  });

  it('ends with status robots, reading nothing, when robots.txt disallows the source', async () => {
    const c = crawl({ '/sitemap.xml': 'robots' });
    expect(await c.run).toMatchObject({ status: 'robots', newUrls: 0 });
    expect(c.enqueued).toEqual([]);
  });
});
