// A small news site on loopback for the demo and the tests: article pages, a syndicated copy on
// another path, a redirect, a PDF and a 404.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderStory } from './page-template.js';
import { stories } from './stories.js';

export interface SampleSite {
  origin: string;
  /** One URL per original story. */
  articleUrls: string[];
  /** A copy of the first story under another headline and site name. */
  syndicatedUrl: string;
  /** An old URL that redirects (301) to the second story. */
  redirectUrl: string;
  pdfUrl: string;
  missingUrl: string;
  /** Requests served, by path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startSampleSite(host = '127.0.0.1'): Promise<SampleSite> {
  const hits = new Map<string, number>();
  let origin = '';
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const html = (body: string) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(body);
    };
    const bySlug = (slug: string | undefined) => stories.find((s) => s.slug === slug);
    const [, section, slug] = path.split('/');
    const story = bySlug(slug);
    if (section === 'news' && story) {
      return html(
        renderStory(story, {
          canonicalUrl: `${origin}/news/${story.slug}`,
          siteName: 'The Daily Meridian',
          related: stories.filter((s) => s !== story),
        }),
      );
    }
    if (section === 'wire' && story) {
      return html(
        renderStory(story, {
          canonicalUrl: `${origin}/wire/${story.slug}`,
          siteName: 'Northgate Wire',
          related: stories.filter((s) => s !== story).slice(0, 1),
          headlineOverride: `WIRE: ${story.headline}`,
        }),
      );
    }
    if (section === 'old' && story) {
      res.writeHead(301, { location: `/news/${story.slug}` });
      return res.end();
    }
    if (path === '/files/annual-report.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      return res.end('%PDF-1.4\n% sample\n');
    }
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<h1>Not found</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://${host}:${port}`;
  return {
    origin,
    articleUrls: stories.map((s) => `${origin}/news/${s.slug}`),
    syndicatedUrl: `${origin}/wire/${stories[0]!.slug}?utm_source=partner`,
    redirectUrl: `${origin}/old/${stories[1]!.slug}`,
    pdfUrl: `${origin}/files/annual-report.pdf`,
    missingUrl: `${origin}/news/no-such-story`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
