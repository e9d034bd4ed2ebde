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
