// `newsline sources add|list|remove`: feeds, sitemaps and section pages crawled on a schedule.
import type { Command } from 'commander';
import { createDiscoverQueue, upsertSourceScheduler } from '../../queues/discover.js';
import { parseSubmittedUrl } from '../../queues/producer.js';
import { loadConfig, type Config } from '../../shared/config.js';
import { HttpClient } from '../../shared/http/fetch-page.js';
import { httpOptions } from '../../shared/http/from-config.js';
import { connectRedis } from '../../shared/redis.js';
import { parseSourceDocument, type SourceKind } from '../../shared/sources/parse-source.js';
import { SourceStore } from '../../shared/sources/source-store.js';
import { action, printJson } from '../output.js';
import { withArticleStore } from '../stores.js';

/** "30s", "10m", "2h", "1d", "500ms" → milliseconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(value.trim());
  if (!m) throw new Error(`not a duration: ${JSON.stringify(value)} (use 30s, 10m, 2h, 1d)`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/** Fetch the URL once and say what it is; a page that announces a feed is replaced by its feed. */
async function detect(config: Config, url: string): Promise<{ url: string; kind: SourceKind }> {
  const http = new HttpClient(httpOptions(config));
  try {
    const read = async (u: string) => {
      const r = await http.fetchPage(u, { anyType: true });
      if (r.kind !== 'fetched') throw new Error(`cannot read ${u}: ${r.kind === 'skipped' ? r.detail : 'not modified'}`);
      return parseSourceDocument(r.body, r.contentType, r.finalUrl);
    };
    const doc = await read(url);
    if (doc.kind === 'page' && doc.feeds[0]) {
      const feed = await read(doc.feeds[0]);
      if (feed.kind === 'feed') return { url: doc.feeds[0], kind: 'feed' };
    }
    return { url, kind: doc.kind };
  } finally {
    await http.close();
  }
}

export function registerSources(program: Command): void {
  const sources = program.command('sources').description('news sources crawled on a schedule');
  sources
    .command('add')
    .description('register a feed (RSS, RDF, Atom, JSON Feed), sitemap or section page; its type is detected')
    .argument('<url>', 'the source URL (a page that announces a feed is registered as that feed)')
    .option('--name <name>', 'a name for listings (default: the host)')
    .option('--every <duration>', 'crawl interval: 30s, 10m, 2h (default 10m)', parseDuration)
    .option('--cron <pattern>', 'crawl on a cron pattern instead, e.g. "*/15 * * * *"')
    .option('--tz <zone>', 'time zone of --cron', 'UTC')
    .action(
      action(async (raw: string, opts: { name?: string; every?: number; cron?: string; tz: string }) => {
        if (opts.every !== undefined && opts.cron) throw new Error('give --every or --cron, not both');
        const config = loadConfig();
        const found = await detect(config, parseSubmittedUrl(raw).toString());
        const source = await withArticleStore(config, (_store, db) =>
          new SourceStore(db).add({
            url: found.url, name: opts.name ?? new URL(found.url).host, kind: found.kind,
            everyMs: opts.cron ? null : (opts.every ?? 600_000), cron: opts.cron ?? null, tz: opts.tz,
          }),
        );
        const redis = await connectRedis(config.REDIS_URL, 'producer');
        const queue = createDiscoverQueue(redis, config.NEWSLINE_PREFIX);
        try {
          await upsertSourceScheduler(queue, source);
        } finally {
          await queue.close();
          await redis.quit();
        }
        printJson(source);
      }),
    );
  sources
    .command('list')
    .description('sources with their crawl statistics (last run, status, new URLs, errors)')
    .action(
      action(async () => {
        for (const s of await withArticleStore(loadConfig(), (_store, db) => new SourceStore(db).list())) printJson(s);
      }),
    );
  sources
    .command('remove')
    .description('stop crawling a source')
    .argument('<id>', 'source id (src_…)')
    .action(
      action(async (id: string) => {
        const config = loadConfig();
        const removed = await withArticleStore(config, (_store, db) => new SourceStore(db).remove(id));
        if (!removed) throw new Error(`no source ${id}`);
        const redis = await connectRedis(config.REDIS_URL, 'producer');
        const queue = createDiscoverQueue(redis, config.NEWSLINE_PREFIX);
        try {
          await queue.removeJobScheduler(`source:${id}`);
        } finally {
          await queue.close();
          await redis.quit();
        }
        printJson({ id, removed: true });
      }),
    );
}
