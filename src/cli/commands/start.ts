// `newsline start` (workers, optionally with the API) and `newsline serve` (the API alone): run
// until SIGINT/SIGTERM, then drain and exit 0.
import type { Command } from 'commander';
import { startApi, type RunningApi } from '../../api/server.js';
import { parseStages } from '../../queues/names.js';
import { loadConfig } from '../../shared/config.js';
import { createLogger, type Logger } from '../../shared/log.js';
import { startPipeline } from '../../workers/pipeline.js';
import { action, parsePositiveInt } from '../output.js';

function untilSignal(log: Logger): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function announce(api: RunningApi): void {
  process.stderr.write(`newsline: API on ${api.url} (OpenAPI at ${api.url}/openapi.json, dashboard at ${api.url}/admin/queues)\n`);
}

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the pipeline workers until interrupted')
    .option('--stages <list>', 'comma-separated stages to run (fetch,extract,dedup,tag,store)', parseStages)
    .option('--concurrency <n>', 'jobs per stage at once', parsePositiveInt('--concurrency'), 4)
    .option('--api', 'also serve the HTTP API in this process (needed with the embedded database, which one process owns)')
    .action(
      action(async (opts: { stages?: ReturnType<typeof parseStages>; concurrency: number; api?: boolean }) => {
        const config = loadConfig();
        const log = createLogger(config.LOG_LEVEL, { app: 'newsline' });
        const pipeline = await startPipeline(config, log, { stages: opts.stages, concurrency: opts.concurrency });
        let api: RunningApi | null = null;
        try {
          if (opts.api) {
            api = await startApi(config, log, pipeline.database ? { database: pipeline.database } : {});
            announce(api);
          }
        } catch (err) {
          await pipeline.close();
          throw err;
        }
        await untilSignal(log);
        await api?.close();
        await pipeline.close();
        log.info('stopped');
        // Whatever a library still holds open (a blocking read mid-reconnect) does not keep the process alive.
        process.exit(0);
      }),
    );

  program
    .command('serve')
    .description('serve the HTTP API, dashboard and metrics until interrupted (NEWSLINE_API_HOST/PORT/TOKEN)')
    .action(
      action(async () => {
        const config = loadConfig();
        const log = createLogger(config.LOG_LEVEL, { app: 'newsline' });
        const api = await startApi(config, log);
        announce(api);
        await untilSignal(log);
        await api.close();
        log.info('stopped');
        // Whatever a library still holds open (a blocking read mid-reconnect) does not keep the process alive.
        process.exit(0);
      }),
    );
}
