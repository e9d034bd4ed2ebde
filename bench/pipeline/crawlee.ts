// What a user would otherwise build: Crawlee's CheerioCrawler fetching the pages, with
// @mozilla/readability (on linkedom) extracting each article. In memory, same concurrency.
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { LoopResult } from './raw-loop.js';

export async function crawleeReadability(urls: string[], concurrency: number): Promise<LoopResult> {
  const { CheerioCrawler, Configuration } = await import('@crawlee/cheerio');
  const config = new Configuration({ persistStorage: false, purgeOnStart: true, logLevel: 3 as never });
  const doneAt: number[] = [];
  let failed = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const crawler = new CheerioCrawler(
    {
      minConcurrency: concurrency,
      maxConcurrency: concurrency,
      maxRequestRetries: 1,
      requestHandler: async ({ body }) => {
        // A page Readability cannot read counts as failed, not retried: throughput, not error handling, is measured.
        try {
          const { document } = parseHTML(String(body));
          const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
          if (article?.textContent) doneAt.push(performance.now() - t0);
          else failed += 1;
        } catch {
          failed += 1;
        }
      },
      failedRequestHandler: async () => {
        failed += 1;
      },
    },
    config,
  );
  await crawler.run(urls);
  const seconds = (performance.now() - t0) / 1_000;
  const cpu = process.cpuUsage(cpu0);
  return { seconds, done: doneAt.length, failed, doneAt, cpuMs: (cpu.user + cpu.system) / 1_000 };
}
