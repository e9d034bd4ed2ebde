// A local HTTP server whose routes each test defines, recording every request it receives.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  at: number;
  headers: http.IncomingHttpHeaders;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface TestServer {
  origin: string;
  host: string;
  port: number;
  requests: RecordedRequest[];
  route(path: string, handler: Handler): void;
  hits(path: string): number;
  close(): Promise<void>;
}

export async function startTestServer(host = '127.0.0.1'): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, at: Date.now(), headers: req.headers });
    const handler = routes.get(path) ?? routes.get(path.split('?')[0]!);
    if (handler) return handler(req, res);
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<h1>Not found</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    host,
    port,
    requests,
    route: (path, handler) => void routes.set(path, handler),
    hits: (path) => requests.filter((r) => r.path === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A plausible article page, different for every `title`. */
export function articleHtml(title: string, options: { charset?: string; lang?: string; paragraphs?: string[] } = {}): string {
  const paragraphs = options.paragraphs ?? [
    `${title}: officials met on Monday to discuss the matter in detail, according to people familiar with the talks.`,
    `The meeting about ${title.toLowerCase()} lasted three hours and ended without a joint statement, though both sides said progress had been made.`,
    `Analysts said the outcome of ${title.toLowerCase()} would depend on decisions expected later in the month.`,
  ];
  const meta = options.charset ? `<meta charset="${options.charset}">` : '';
  return `<!doctype html><html lang="${options.lang ?? 'en'}"><head>${meta}<title>${title}</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article>
<footer>© Test News</footer></body></html>`;
}

export const html =
  (body: string, headers: http.OutgoingHttpHeaders = {}): Handler =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(body);
  };

export const redirect =
  (location: string, status = 302): Handler =>
  (_req, res) => {
    res.writeHead(status, { location });
    res.end();
  };
