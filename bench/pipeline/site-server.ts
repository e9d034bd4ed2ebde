// The benchmark's news site, in a process of its own so that serving pages does not share a
// core with whatever is being measured. Usage: tsx site-server.ts COUNT URL_FILE full|light|DATA_DIR
// (synthetic pages with real-sized furniture or light furniture, or the real pages of a folder).
// Prints the origin and the pages' mean size in bytes on stdout once listening; writes one URL per
// line to URL_FILE.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { syntheticArticle } from '../../tests/fixtures/synthetic-news.js';

const [countArg, urlFile, source] = process.argv.slice(2);
const count = Number(countArg);
if (!Number.isInteger(count) || count <= 0 || !urlFile || !source) {
  console.error('usage: site-server.ts COUNT URL_FILE full|light|DATA_DIR');
  process.exit(2);
}

function realPages(dir: string): Buffer[] {
  const out: Buffer[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.html?(\.gz)?$/.test(e.name)) out.push(e.name.endsWith('.gz') ? zlib.gunzipSync(fs.readFileSync(p)) : fs.readFileSync(p));
    }
  };
  walk(dir);
  if (out.length === 0) throw new Error(`no .html or .html.gz pages under ${dir}`);
  return out;
}

const pages = new Map<string, Buffer>();
if (source !== 'full' && source !== 'light') {
  // Real pages, each served under several URLs; copies after the first are duplicates to the pipeline.
  const real = realPages(source);
  for (let i = 0; i < count; i++) pages.set(`/p/${Math.floor(i / real.length)}/story-${i % real.length}`, real[i % real.length]!);
} else {
  for (let i = 0; i < count; i++) {
    const a = syntheticArticle(i, { furniture: source });
    pages.set(a.path, Buffer.from(a.html));
  }
}

const server = http.createServer((req, res) => {
  const body = pages.get((req.url ?? '/').split('?')[0]!);
  if (req.url === '/robots.txt') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end('User-agent: *\nAllow: /\n');
  }
  if (!body) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    return res.end('not found');
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fs.writeFileSync(urlFile, [...pages.keys()].map((p) => `${origin}${p}`).join('\n'));
  const meanBytes = Math.round([...pages.values()].reduce((sum, page) => sum + page.length, 0) / pages.size);
  process.stdout.write(`${origin} ${meanBytes}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
