// `newsline sources add|list|remove`: feeds, sitemaps and section pages crawled on a schedule.
import type { Command } from 'commander';
import { createDiscoverQueue, registerSource, unregisterSource } from '../../queues/discover.js';
import { parseSubmittedUrl } from '../../queues/producer.js';
import { loadConfig, type Config } from '../../shared/config.js';
import { parseDuration } from '../../shared/duration.js';
import { HttpClient } from '../../shared/fetch/fetch-page.js';
import { httpOptions } from '../../shared/fetch/from-config.js';
import { connectRedis, redisTarget } from '../../shared/redis.js';
import { detectSource } from '../../shared/sources/detect-source.js';
import { SourceStore } from '../../shared/sources/source-store.js';
import { action, printJson } from '../output.js';
import { withArticleStore } from '../stores.js';

/** The source table and the discover queue (whose schedulers follow it), opened for one command. */
async function withSources<T>(
  config: Config,
  fn: (store: SourceStore, queue: ReturnType<typeof createDiscoverQueue>) => Promise<T>,
): Promise<T> {
  const redis = await connectRedis(redisTarget(config), 'producer');
  const queue = createDiscoverQueue(redis, config.NEWSLINE_PREFIX);
  try {
    return await withArticleStore(config, (_store, db) => fn(new SourceStore(db), queue));
  } finally {
    await queue.close();
    await redis.quit();
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
    .option('--no-discover', 'crawl the URL as given, even when it is a page that announces a feed')
    .action(
      action(async (raw: string, opts: { name?: string; every?: number; cron?: string; tz: string; discover: boolean }) => {
        if (opts.every !== undefined && opts.cron) throw new Error('give --every or --cron, not both');
        const config = loadConfig();
        const http = new HttpClient(httpOptions(config));
        const found = await detectSource((u, o) => http.fetchPage(u, o), parseSubmittedUrl(raw).toString(), {
          discover: opts.discover,
        }).finally(() => http.close());
        const source = await withSources(config, (store, queue) =>
          registerSource(store, queue, found, { name: opts.name, everyMs: opts.every, cron: opts.cron, tz: opts.tz }),
        );
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
        if (!(await withSources(config, (store, queue) => unregisterSource(store, queue, id)))) throw new Error(`no source ${id}`);
        printJson({ id, removed: true });
      }),
    );
}
