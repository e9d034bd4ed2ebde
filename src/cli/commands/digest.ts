// `newsline digest preview TOPIC [--out FILE]`: the topic's next digest, rendered from what is
// stored now, without compiling it (nothing is marked as sent, no event goes out).
import fs from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../shared/config.js';
import { compileDigest } from '../../shared/newsletters/digest.js';
import { loadTopics } from '../../shared/newsletters/topics.js';
import { action } from '../output.js';
import { withArticleStore } from '../stores.js';

export function registerDigest(program: Command): void {
  const digest = program.command('digest').description('newsletter digests');
  digest
    .command('preview')
    .description("render a topic's next digest from what is stored (HTML to --out or stdout; the text part with --text)")
    .argument('<topic>', 'a topic name from NEWSLINE_TOPICS_FILE')
    .option('--out <file>', 'write the HTML here (and the text part beside it, .txt)')
    .option('--text', 'print the plain-text part instead of the HTML')
    .action(
      action(async (name: string, opts: { out?: string; text?: boolean }) => {
        const config = loadConfig();
        const topics = loadTopics(config.NEWSLINE_TOPICS_FILE);
        const topic = topics.find((t) => t.name === name);
        if (!topic)
          throw new Error(`no topic "${name}" in NEWSLINE_TOPICS_FILE (topics: ${topics.map((t) => t.name).join(', ') || 'none'})`);
        const preview = await withArticleStore(config, (_store, db) =>
          compileDigest(db, topic, {
            now: new Date(),
            source: config.NEWSLINE_EVENT_SOURCE,
            schemaBase: config.NEWSLINE_SCHEMA_BASE,
            publication: config.NEWSLINE_PUBLICATION_NAME,
            preview: true,
          }),
        );
        if (!preview) {
          process.stderr.write(`no new items for "${name}" since its last digest\n`);
          return;
        }
        if (opts.out) {
          fs.writeFileSync(opts.out, preview.html);
          fs.writeFileSync(`${opts.out.replace(/\.html?$/, '')}.txt`, preview.text);
          process.stderr.write(`${preview.items.length} item(s): ${opts.out} and its .txt\n`);
        } else process.stdout.write(opts.text ? preview.text : preview.html);
      }),
    );
}
