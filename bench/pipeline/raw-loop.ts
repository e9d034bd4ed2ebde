// The ceiling: the same fetcher, extractor and tagger in one process with no queues, N requests in
// flight, no dedup and no store.
import { loadGazetteer } from '../../src/shared/tag/gazetteer.js';
import { EntityMatcher } from '../../src/shared/tag/matcher.js';
import { tagArticle } from '../../src/shared/tag/tag-article.js';
import { extractArticle } from '../../src/shared/extract/extract-article.js';
import { decodeHtml } from '../../src/shared/text/decode.js';
import { HttpClient } from '../../src/shared/fetch/fetch-page.js';

export interface LoopResult {
  seconds: number;
  done: number;
  failed: number;
  /** ms since start at which each article finished. */
  doneAt: number[];
  cpuMs: number;
}

export async function rawLoop(urls: string[], concurrency: number, userAgent: string): Promise<LoopResult> {
  const http = new HttpClient({ userAgent, allowPrivate: true });
  const matcher = new EntityMatcher(loadGazetteer());
  const doneAt: number[] = [];
  let failed = 0;
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const lane = async () => {
    while (next < urls.length) {
      const url = urls[next++]!;
      try {
        const page = await http.fetchPage(url);
        if (page.kind !== 'fetched') throw new Error(page.kind);
        const article = extractArticle(decodeHtml(page.body, page.contentType), page.finalUrl);
        tagArticle(matcher, article);
        doneAt.push(performance.now() - t0);
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - t0) / 1_000;
  const cpu = process.cpuUsage(cpu0);
  await http.close();
  return { seconds, done: doneAt.length, failed, doneAt, cpuMs: (cpu.user + cpu.system) / 1_000 };
}
