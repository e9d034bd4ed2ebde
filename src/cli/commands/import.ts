// `newsline import FILE.jsonl [--wait]`: already-extracted documents through dedup → tag → store → events.
import fs from 'node:fs';
import type { Command } from 'commander';
import { enqueueDocuments, parseImportDocument, type ImportDocument } from '../../queues/producer.js';
import { loadConfig } from '../../shared/config.js';
import { describeError } from '../../shared/errors.js';
import { RedisOutcomeStore, waitForOutcomes } from '../../shared/outcomes/outcome.js';
import { action, parsePositiveInt, printJson } from '../output.js';
import { withQueues } from '../stores.js';

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('ingest extracted documents (JSON lines {"id"?,"url","title","body","publishedAt"?}) through dedup, tag, store and events')
    .argument('<file>', 'JSON-lines file, or - for standard input')
    .option('--wait', 'wait for each document and print {"id","outcome","articleId","duplicateOf"?,"similarity"?}')
    .option('--timeout <seconds>', 'how long --wait waits', parsePositiveInt('--timeout'), 600)
    .action(
      action(async (file: string, opts: { wait?: boolean; timeout: number }) => {
        const config = loadConfig();
        const text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
        let failed = false;
        const docs: ImportDocument[] = [];
        text.split('\n').forEach((line, i) => {
          if (!line.trim()) return;
          let id: unknown;
          try {
            const value = JSON.parse(line) as { id?: unknown };
            id = value?.id;
            docs.push(parseImportDocument(value));
          } catch (err) {
            failed = true;
            printJson({ id: id ?? null, line: i + 1, outcome: 'failed', reason: 'invalid_document', detail: describeError(err) });
          }
        });
        if (docs.length > 0) {
          await withQueues(config, async (queues, redis) => {
            const enqueued = await enqueueDocuments(queues.dedup, docs);
            const idOf = new Map(enqueued.map((e) => [e.requestId, e.doc.id ?? e.requestId]));
            if (!opts.wait) {
              for (const e of enqueued) printJson({ id: idOf.get(e.requestId), requestId: e.requestId, outcome: 'queued' });
            } else {
              const pending = await waitForOutcomes(new RedisOutcomeStore(redis, config.NEWSLINE_PREFIX), [...idOf.keys()], {
                timeoutMs: opts.timeout * 1000,
                onOutcome: (o) => {
                  if (o.outcome === 'failed') failed = true;
                  printJson({
                    id: idOf.get(o.requestId),
                    outcome: o.outcome,
                    articleId: o.outcome === 'duplicate' ? o.duplicateOf : o.articleId,
                    ...(o.duplicateOf ? { duplicateOf: o.duplicateOf, method: o.method, similarity: o.similarity } : {}),
                    ...(o.reason ? { reason: o.reason, detail: o.detail } : {}),
                  });
                },
              });
              for (const requestId of pending) {
                failed = true;
                printJson({ id: idOf.get(requestId), requestId, outcome: 'pending', reason: 'wait_timeout' });
              }
            }
          });
        }
        if (failed) process.exitCode = 1;
      }),
    );
}
