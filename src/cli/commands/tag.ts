// `newsline tag [FILE.jsonl]`: the tagger on documents, NDJSON in and out (stdin without a file).
import fs from 'node:fs';
import readline from 'node:readline';
import type { Command } from 'commander';
import { loadConfig } from '../../shared/config.js';
import { describeError } from '../../shared/errors.js';
import { loadGazetteer } from '../../shared/tag/gazetteer.js';
import { resolveLanguage } from '../../shared/tag/languages/detect-language.js';
import { MultilingualMatcher } from '../../shared/tag/languages/tagger.js';
import { tagArticle } from '../../shared/tag/tag-article.js';
import { action, printJson } from '../output.js';

export function registerTag(program: Command): void {
  program
    .command('tag')
    .description(
      'tag documents (JSON lines {"id","title"?,"body","dateline"?,"language"?}) → {"id","language","entities","countries","named","focus"}',
    )
    .argument('[file]', 'JSON-lines file; standard input when absent')
    .action(
      action(async (file?: string) => {
        const config = loadConfig();
        const matchers = new MultilingualMatcher(loadGazetteer(config.NEWSLINE_GAZETTEER_EXTRA));
        const input = file ? fs.createReadStream(file) : process.stdin;
        let n = 0;
        let failed = false;
        for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
          n++;
          if (!line.trim()) continue;
          try {
            const doc = JSON.parse(line) as { id?: unknown; title?: unknown; body?: unknown; dateline?: unknown; language?: unknown };
            if (typeof doc.body !== 'string') throw new Error('needs a "body" string');
            const title = typeof doc.title === 'string' ? doc.title : null;
            const language = resolveLanguage(typeof doc.language === 'string' ? doc.language : null, `${title ?? ''}\n${doc.body}`);
            const result = tagArticle(matchers.for(language), {
              title,
              body: doc.body,
              dateline: typeof doc.dateline === 'string' ? doc.dateline : null,
            });
            printJson({ id: doc.id ?? null, language, ...result });
          } catch (err) {
            failed = true;
            printJson({ line: n, error: describeError(err) });
          }
        }
        if (failed) process.exitCode = 1;
      }),
    );
}
