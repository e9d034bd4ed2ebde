// `newsline articles get|list`: stored records as JSON.
import type { Command } from 'commander';
import { loadConfig } from '../../shared/config.js';
import { action, parsePositiveInt, printJson } from '../output.js';
import { withArticleStore } from '../stores.js';

export function registerArticles(program: Command): void {
  const articles = program.command('articles').description('read stored articles');
  articles
    .command('get')
    .description('one article as JSON, by id or URL')
    .option('--id <id>', 'article id')
    .option('--url <url>', 'article URL (as submitted, final or canonical)')
    .action(
      action(async (opts: { id?: string; url?: string }) => {
        if (!opts.id === !opts.url) throw new Error('give exactly one of --id or --url');
        const record = await withArticleStore(loadConfig(), (store) => (opts.id ? store.getById(opts.id) : store.getByUrl(opts.url!)));
        if (!record) throw new Error(`no article with ${opts.id ? `id ${opts.id}` : `URL ${opts.url}`}`);
        printJson(record);
      }),
    );
  articles
    .command('search')
    .description('full-text search over titles and bodies, best matches first, one JSON object per line')
    .argument('[text]', 'words, "quoted phrases", -excluded words', '')
    .option('--entity <id>', 'only articles tagged with this entity (RU, person:vladimir-putin, org:nato)')
    .option('--since <date>', 'published on or after (ISO date or time)')
    .option('--until <date>', 'published before (ISO date or time)')
    .option('--limit <n>', 'how many', parsePositiveInt('--limit'), 20)
    .option('--full', 'print whole records (with body), not summaries')
    .action(
      action(async (text: string, opts: { entity?: string; since?: string; until?: string; limit: number; full?: boolean }) => {
        for (const date of [opts.since, opts.until]) {
          if (date !== undefined && Number.isNaN(Date.parse(date))) throw new Error(`not a date: ${JSON.stringify(date)}`);
        }
        const found = await withArticleStore(loadConfig(), (store) =>
          store.search({ text, entity: opts.entity, since: opts.since, until: opts.until, limit: opts.limit }),
        );
        for (const r of found) {
          printJson(
            opts.full
              ? r
              : {
                  id: r.id,
                  rank: r.rank,
                  title: r.title,
                  url: r.canonicalUrl,
                  publishedAt: r.publishedAt,
                  focus: r.focus,
                  entities: r.entities.slice(0, 8).map((e) => e.id),
                },
          );
        }
      }),
    );
  articles
    .command('list')
    .description('the most recently stored articles, one JSON object per line')
    .option('--limit <n>', 'how many', parsePositiveInt('--limit'), 20)
    .action(
      action(async (opts: { limit: number }) => {
        const records = await withArticleStore(loadConfig(), (store) => store.list({ limit: opts.limit }));
        for (const r of records) printJson(r);
      }),
    );
}
