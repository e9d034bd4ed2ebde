// `newsline failed list|retry`: the dead-letter view of every stage and side queue.
import type { Command } from 'commander';
import { deadLetterQueues, isDeadLetterQueue, listFailed, retryFailed, type DeadLetterQueue } from '../../queues/dead-letter.js';
import { loadConfig } from '../../shared/config.js';
import { action, parsePositiveInt, printJson } from '../output.js';
import { withDeadLetterQueues } from '../stores.js';

const oneStage = (value: string): DeadLetterQueue => {
  if (!isDeadLetterQueue(value.trim())) throw new Error(`unknown stage "${value}" (stages: ${deadLetterQueues.join(', ')})`);
  return value.trim() as DeadLetterQueue;
};

export function registerFailed(program: Command): void {
  const failed = program.command('failed').description('jobs that failed after all their attempts (the dead-letter view)');
  failed
    .command('list')
    .description('failed jobs, newest first, one JSON object per line: stage, jobId, requestId, url, attemptsMade, failedReason, failedAt')
    .option('--stage <stage>', `only this stage or side queue (${deadLetterQueues.join(', ')})`, oneStage)
    .option('--limit <n>', 'at most this many per stage', parsePositiveInt('--limit'), 100)
    .action(
      action(async (opts: { stage?: DeadLetterQueue; limit: number }) => {
        for (const job of await withDeadLetterQueues(loadConfig(), (q) => listFailed(q, opts))) printJson(job);
      }),
    );
  failed
    .command('retry')
    .description('send failed jobs round again with fresh attempts: the given job ids, or --all')
    .argument('[jobIds...]', 'job ids from `failed list`')
    .option('--stage <stage>', `only this stage or side queue (${deadLetterQueues.join(', ')})`, oneStage)
    .option('--all', 'every failed job (of --stage, or of every stage)')
    .action(
      action(async (jobIds: string[], opts: { stage?: DeadLetterQueue; all?: boolean }) => {
        if (!opts.all && jobIds.length === 0) throw new Error('give job ids or --all');
        if (opts.all && jobIds.length > 0) throw new Error('give job ids or --all, not both');
        const result = await withDeadLetterQueues(loadConfig(), (q) => retryFailed(q, { stage: opts.stage, jobIds, all: opts.all }));
        for (const r of result.retried) printJson({ ...r, retried: true });
        if (result.notFound.length > 0) throw new Error(`not failed (or not found): ${result.notFound.join(', ')}`);
        process.stderr.write(`retried ${result.retried.length} job(s)\n`);
      }),
    );
}
