// `newsline start`: run stage workers until SIGINT/SIGTERM, then drain and exit 0.
import type { Command } from 'commander';
import { parseStages } from '../../queues/names.js';
import { loadConfig } from '../../shared/config.js';
import { createLogger } from '../../shared/log.js';
import { startPipeline } from '../../workers/pipeline.js';
import { action, parsePositiveInt } from '../output.js';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the pipeline workers until interrupted')
    .option('--stages <list>', 'comma-separated stages to run (fetch,extract,dedup,tag,store)', parseStages)
    .option('--concurrency <n>', 'jobs per stage at once', parsePositiveInt('--concurrency'), 4)
    .action(
      action(async (opts: { stages?: ReturnType<typeof parseStages>; concurrency: number }) => {
        const config = loadConfig();
        const log = createLogger(config.LOG_LEVEL, { app: 'newsline' });
        const pipeline = await startPipeline(config, log, { stages: opts.stages, concurrency: opts.concurrency });
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            log.info({ signal }, 'shutting down');
            resolve();
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        await pipeline.close();
        log.info('stopped');
      }),
    );
}
