// `newsline demo`: the whole pipeline on the bundled sample site, in one process, then a report.
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { startSampleSite } from '../../demo/site/sample-site.js';
import { createQueues, closeQueues } from '../../queues/queues.js';
import { enqueueUrls } from '../../queues/producer.js';
import { loadConfig, type Config } from '../../shared/config.js';
import { eventsStreamKey, readEvents } from '../../shared/events/event-sink.js';
import { createLogger } from '../../shared/log.js';
import { RedisOutcomeStore, waitForOutcomes, type Outcome } from '../../shared/outcomes/outcome.js';
import { connectRedis, deleteKeys, redisTarget } from '../../shared/redis.js';
import { SqlArticleStore } from '../../shared/store/article-store.js';
import { openDatabase } from '../../shared/store/database.js';
import { startPipeline } from '../../workers/pipeline.js';
import { action } from '../output.js';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the pipeline on a bundled sample news site (no internet needed) and print what it stored')
    .option('--keep', 'keep the demo keys in Redis afterwards')
    .action(
      action(async (opts: { keep?: boolean }) => {
        const base = loadConfig(undefined, { LOG_LEVEL: 'error', FETCH_HOST_INTERVAL_MS: '100' });
        // Its own key prefix and an in-memory store, whatever DATABASE_URL says: a demo run next to
        // production never writes into its database or calls its webhooks (an empty store has none).
        const config: Config = {
          ...base,
          DATABASE_URL: undefined,
          NEWSLINE_TOPICS_FILE: undefined,
          NEWSLINE_PREFIX: `newsline-demo-${randomBytes(4).toString('hex')}`,
          FETCH_ALLOW_PRIVATE: true,
        };
        const log = createLogger(config.LOG_LEVEL, { app: 'newsline-demo' });
        const redis = await connectRedis(redisTarget(config), 'producer');
        const site = await startSampleSite();
        const database = await openDatabase({ databaseUrl: undefined, dataDir: null });
        const pipeline = await startPipeline(config, log, { database });
        const queues = createQueues(redis, { prefix: config.NEWSLINE_PREFIX, attempts: config.NEWSLINE_JOB_ATTEMPTS });
        const outcomes = new RedisOutcomeStore(redis, config.NEWSLINE_PREFIX);
        try {
          console.log(`Sample site at ${site.origin} · Redis ${config.REDIS_URL} · store: ${database.kind}\n`);
          const results: Outcome[] = [];
          // Originals first, copies after, so the originals are the canonicals.
          const waves = [
            [...site.articleUrls, site.pdfUrl, site.missingUrl],
            [site.syndicatedUrl, site.articleUrls[0]!, site.redirectUrl],
          ];
          for (const wave of waves) {
            const enqueued = await enqueueUrls(queues.fetch, wave);
            const timedOut = await waitForOutcomes(
              outcomes,
              enqueued.map((e) => e.requestId),
              {
                timeoutMs: 60_000,
                onOutcome: (o) => results.push(o),
              },
            );
            if (timedOut.length > 0) throw new Error(`${timedOut.length} URL(s) did not finish within 60 s; is a worker stuck?`);
          }
          const store = new SqlArticleStore(database);
          const rows = [['OUTCOME', 'URL', 'TITLE / REASON', 'FOCUS', 'COUNTRIES', 'PEOPLE AND ORGANISATIONS']];
          for (const o of results) {
            const path = new URL(o.url).pathname + new URL(o.url).search;
            if (o.outcome === 'stored') {
              const record = await store.getById(o.articleId!);
              const others = record!.entities.filter((e) => e.type === 'person' || e.type === 'organization');
              rows.push([
                'stored',
                path,
                (record!.title ?? '').slice(0, 48),
                record!.focus.join(' '),
                record!.countries.join(' '),
                others
                  .slice(0, 4)
                  .map((e) => e.name)
                  .join(', ') + (others.length > 4 ? ', …' : ''),
              ]);
            } else if (o.outcome === 'duplicate') {
              const original = await store.getById(o.duplicateOf!);
              rows.push([`duplicate (${o.method})`, path, `of ${new URL(original!.url).pathname}`, '', '', '']);
            } else {
              rows.push([o.outcome, path, o.reason ?? '', '', '', '']);
            }
          }
          console.log(table(rows));
          const events = await readEvents(redis, eventsStreamKey(config.NEWSLINE_PREFIX), { count: 1000 });
          console.log(`\nEvents on ${eventsStreamKey(config.NEWSLINE_PREFIX)} (CloudEvents 1.0):`);
          for (const { event } of events) console.log(`  ${event.type.padEnd(24)} subject=${event.subject}  id=${event.id}`);
          const sample = events[0]?.event;
          if (sample) console.log(`\nFirst event in full:\n${JSON.stringify(sample, null, 2)}`);
        } finally {
          await closeQueues(queues);
          await pipeline.close();
          await database.close();
          await site.close();
          if (!opts.keep) await deleteKeys(redis, `${config.NEWSLINE_PREFIX}:*`);
          await redis.quit();
        }
      }),
    );
}
