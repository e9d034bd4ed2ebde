// `newsline enqueue URL... [--wait]`: put URLs into the pipeline, optionally wait for outcomes.
import fs from 'node:fs';
import type { Command } from 'commander';
import { enqueueUrls, parseSubmittedUrl } from '../../queues/producer.js';
import { loadConfig } from '../../shared/config.js';
import { describeError } from '../../shared/errors.js';
import { RedisOutcomeStore, waitForOutcomes, type Outcome } from '../../shared/outcomes/outcome.js';
import { action, parsePositiveInt, printJson } from '../output.js';
import { withQueues } from '../stores.js';

/** The line printed per URL once it has an outcome. */
export function outcomeLine(o: Outcome): Record<string, unknown> {
  const { at: _at, ...rest } = o;
  return rest;
}

export function registerEnqueue(program: Command): void {
  program
    .command('enqueue')
    .description('enqueue news URLs; with --wait, print one JSON line per URL when it reaches its outcome')
    .argument('[urls...]', 'absolute http(s) URLs')
    .option('--file <file>', 'also enqueue the URLs in FILE, one per line (# starts a comment; - reads standard input)')
    .option('--wait', 'wait for each URL to reach its outcome (progress and a summary on stderr)')
    .option('--timeout <seconds>', 'how long --wait waits', parsePositiveInt('--timeout'), 120)
    .action(
      action(async (args: string[], opts: { file?: string; wait?: boolean; timeout: number }) => {
        const config = loadConfig();
        const urls = [...args, ...(opts.file ? readUrlFile(opts.file) : [])];
        if (urls.length === 0) throw new Error('give URLs, or --file FILE');
        let failed = false;
        const valid: string[] = [];
        for (const raw of urls) {
          try {
            valid.push(parseSubmittedUrl(raw).toString());
          } catch (err) {
            failed = true;
            // The line names the URL as given, cut short: a refused 10 MB URL is not echoed whole.
            const shown = raw.length > 300 ? `${raw.slice(0, 300)}…` : raw;
            printJson({ url: shown, outcome: 'failed', reason: 'invalid_url', detail: describeError(err) });
          }
        }
        if (valid.length > 0) {
          await withQueues(config, async (queues, redis) => {
            const enqueued = await enqueueUrls(queues.fetch, valid);
            if (!opts.wait) {
              for (const e of enqueued) printJson({ url: e.url, requestId: e.requestId, outcome: 'queued' });
            } else {
              const byId = new Map(enqueued.map((e) => [e.requestId, e.url]));
              const progress = new Progress(enqueued.length);
              const timedOut = await waitForOutcomes(new RedisOutcomeStore(redis, config.NEWSLINE_PREFIX), [...byId.keys()], {
                timeoutMs: opts.timeout * 1000,
                onOutcome: (o) => {
                  if (o.outcome === 'failed') failed = true;
                  printJson(outcomeLine(o));
                  progress.add(o.outcome);
                },
              });
              for (let i = 0; i < timedOut.length; i++) progress.add('pending');
              progress.finish();
              for (const id of timedOut) {
                failed = true;
                printJson({ url: byId.get(id), requestId: id, outcome: 'pending', reason: 'wait_timeout' });
              }
            }
          });
        }
        if (failed) process.exitCode = 1;
      }),
    );
}

function readUrlFile(file: string): string[] {
  return fs
    .readFileSync(file === '-' ? 0 : file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean);
}

/** Progress of a --wait on stderr: a bar on a terminal, a plain line per tenth otherwise, then a summary. */
class Progress {
  private readonly counts = new Map<string, number>();
  private done = 0;
  private lastTenth = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly total: number) {}

  add(outcome: string): void {
    this.done++;
    this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + 1);
    if (this.tty) {
      const width = 30;
      const filled = Math.round((this.done / this.total) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total} ${this.tally()}`);
    } else if (this.total >= 10) {
      const tenth = Math.floor((this.done * 10) / this.total);
      if (tenth > this.lastTenth) {
        this.lastTenth = tenth;
        process.stderr.write(`progress: ${this.done}/${this.total} ${this.tally()}\n`);
      }
    }
  }

  finish(): void {
    if (this.tty) process.stderr.write('\n');
    process.stderr.write(`done: ${this.total} URL${this.total === 1 ? '' : 's'}: ${this.tally()}\n`);
  }

  private tally(): string {
    return [...this.counts.entries()]
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  }
}
