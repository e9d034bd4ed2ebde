// The `newsline` command line.
import { Command } from 'commander';
import { registerArticles } from './commands/articles.js';
import { registerDemo } from './commands/demo.js';
import { registerDigest } from './commands/digest.js';
import { registerEnqueue } from './commands/enqueue.js';
import { registerEvents } from './commands/events.js';
import { registerExtract } from './commands/extract.js';
import { registerFailed } from './commands/failed.js';
import { registerImport } from './commands/import.js';
import { registerSources } from './commands/sources.js';
import { registerStart } from './commands/start.js';
import { registerTag } from './commands/tag.js';
import { registerWebhooks } from './commands/webhooks.js';
import { fail } from './output.js';

export function buildProgram(): Command {
  const program = new Command('newsline')
    .description('news ingestion pipeline: fetch → extract → dedup → tag → store → events')
    .version('0.1.0')
    .showHelpAfterError();
  registerStart(program);
  registerEnqueue(program);
  registerArticles(program);
  registerEvents(program);
  registerSources(program);
  registerFailed(program);
  registerImport(program);
  registerWebhooks(program);
  registerExtract(program);
  registerTag(program);
  registerDemo(program);
  registerDigest(program);
  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => fail(err));
