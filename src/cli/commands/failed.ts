// `newsline failed list|retry`: the dead-letter view of every stage.
import type { Command } from 'commander';
import { retryFailed, listFailed } from '../../queues/dead-letter.js';
import { parseStages, type Stage } from '../../queues/names.js';
import { loadConfig } from '../../shared/config.js';
import { action, parsePositiveInt, printJson } from '../output.js';
import { withQueues } from '../stores.js';

const oneStage = (value: string): Stage => {
  const [stage, ...rest] = parseStages(value);
  if (!stage || rest.length > 0) throw new Error(`--stage takes one stage, got "${value}"`);
  return stage;
};

export function registerFailed(program: Command): void {
  const failed = program.command('failed').description('jobs that failed after all their attempts (the dead-letter view)');
  failed
    .command('list')
    .description('failed jobs, newest first, one JSON object per line: stage, jobId, requestId, url, attemptsMade, failedReason, failedAt')
    .option('--stage <stage>', 'only this stage', oneStage)
    .option('--limit <n>', 'at most this many per stage', parsePositiveInt('--limit'), 100)
    .action(
      action(async (opts: { stage?: Stage; limit: number }) => {
        for (const job of await withQueues(loadConfig(), (q) => listFailed(q, opts))) printJson(job);
      }),
    );
  failed
    .command('retry')
    .description('send failed jobs round again with fresh attempts: the given job ids, or --all')
    .argument('[jobIds...]', 'job ids from `failed list`')
    .option('--stage <stage>', 'only this stage', oneStage)
    .option('--all', 'every failed job (of --stage, or of every stage)')
    .action(
      action(async (jobIds: string[], opts: { stage?: Stage; all?: boolean }) => {
        if (!opts.all && jobIds.length === 0) throw new Error('give job ids or --all');
        if (opts.all && jobIds.length > 0) throw new Error('give job ids or --all, not both');
        const result = await withQueues(loadConfig(), (q) => retryFailed(q, { stage: opts.stage, jobIds, all: opts.all }));
        for (const r of result.retried) printJson({ ...r, retried: true });
        if (result.notFound.length > 0) throw new Error(`not failed (or not found): ${result.notFound.join(', ')}`);
        process.stderr.write(`retried ${result.retried.length} job(s)\n`);
      }),
    );
}
