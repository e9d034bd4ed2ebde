// A digest as a reader sees it, in headless Chromium: at desktop and phone widths and in dark
// mode, every story's headline, site, date, countries and people are there, nothing runs off the
// side of a phone's screen, and the lead image shows. Screenshots go to test-output/.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDigestHtml, renderDigestText, type DigestView } from '../../src/shared/newsletters/render-digest.js';
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const executablePath = chromiumPath();
if (!executablePath) console.warn("skipping the digest browser test: no Chromium (install Debian's `chromium` or set CHROMIUM_PATH)");

/** A 640×320 PNG of one colour, made here (no image is fetched from elsewhere). */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, Buffer.from(rgb))]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe.skipIf(!executablePath)('a digest in a browser', () => {
  let browser: Browser;
  let site: TestServer;
  let view: DigestView;
  const out = path.resolve('test-output');

  beforeAll(async () => {
    site = await startTestServer();
    site.route('/img/harbour.png', (_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(png(640, 320, [40, 90, 140]));
    });
    view = {
      publication: 'The Morning Wire',
      title: 'China and Russia',
      periodStart: '2024-06-19T07:00:00Z',
      periodEnd: '2024-06-20T07:00:00Z',
      items: [
        {
          title: 'Xi Jinping receives Sergey Lavrov as Beijing and Moscow tighten ties',
          url: 'https://globe-dispatch.example/2024/06/20/xi-lavrov',
          siteName: 'Globe Dispatch',
          publishedAt: '2024-06-20T09:30:00+08:00',
          summary: 'The two sides discussed trade, energy and the war in Ukraine, and agreed to meet again in Moscow in the autumn.',
          focus: ['CN', 'RU'],
          people: ['Xi Jinping', 'Sergey Lavrov', 'Wang Yi'],
          image: `${site.origin}/img/harbour.png`,
        },
        {
          title: 'Pipeline talks stall over price as winter approaches',
          url: 'https://northgate.example/markets/pipeline-talks',
          siteName: null,
          publishedAt: '2024-06-19T16:00:00Z',
          summary: 'Negotiators failed to agree a price for gas through the new pipeline, officials from both countries said.',
          focus: ['RU', 'CN'],
          people: [],
          image: null,
        },
      ],
    };
    fs.mkdirSync(out, { recursive: true });
    browser = await chromium.launch({ executablePath: executablePath!, headless: true, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('reads as a newsletter at desktop and phone widths, and in dark mode', async () => {
    const html = await renderDigestHtml(view);
    site.route('/digest.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    });
    for (const [name, viewport, colorScheme] of [
      ['desktop', { width: 1200, height: 1000 }, 'light'],
      ['mobile', { width: 375, height: 900 }, 'light'],
      ['mobile-dark', { width: 375, height: 900 }, 'dark'],
    ] as const) {
      const page = await browser.newPage({ viewport, colorScheme });
      await page.goto(`${site.origin}/digest.html`);
      // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node; innerText is what a reader sees
      const text = await page.locator('body').innerText();
      for (const shown of [
        'The Morning Wire'.toUpperCase(),
        'China and Russia',
        'Xi Jinping receives Sergey Lavrov as Beijing and Moscow tighten ties',
        'GLOBE DISPATCH',
        '20 JUNE 2024',
        'NORTHGATE.EXAMPLE',
        'China, Russia',
        'Xi Jinping, Sergey Lavrov, Wang Yi',
      ]) {
        expect(text.toUpperCase(), `${name}: ${shown}`).toContain(shown.toUpperCase());
      }
      // Nothing wider than the screen: no sideways scrolling on a phone.
      // (Evaluated in the page: written as source text, since these tests are not typed for the DOM.)
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect(width, name).toBeLessThanOrEqual(viewport.width);
      // The lead image loaded, within the screen.
      const image = await page.evaluate<{ loaded: boolean; width: number } | null>(
        `(() => { const img = document.querySelector('img'); return img ? { loaded: img.complete && img.naturalWidth > 0, width: img.getBoundingClientRect().width } : null; })()`,
      );
      expect(image?.loaded, name).toBe(true);
      expect(image!.width).toBeLessThanOrEqual(viewport.width);
      if (colorScheme === 'dark') {
        const background = await page.evaluate<string>(`getComputedStyle(document.querySelector('.nl-card')).backgroundColor`);
        expect(background).toBe('rgb(22, 24, 29)');
      }
      await page.screenshot({ path: path.join(out, `digest-${name}.png`), fullPage: true });
      await page.close();
    }
  });

  it('has a plain-text part that reads on its own', () => {
    const text = renderDigestText(view);
    expect(text.split('\n').slice(0, 3)).toEqual(['The Morning Wire · China and Russia', '='.repeat(35), '19 June 2024 – 20 June 2024']);
    expect(text).toContain('1. Xi Jinping receives Sergey Lavrov as Beijing and Moscow tighten ties\n   Globe Dispatch, 20 June 2024\n');
    expect(text).toContain('   About: China, Russia · Xi Jinping, Sergey Lavrov, Wang Yi\n');
    expect(text).toContain('2. Pipeline talks stall over price as winter approaches\n   northgate.example, 19 June 2024\n');
  });
});
