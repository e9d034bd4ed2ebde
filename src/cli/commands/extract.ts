// `newsline extract FILE... | --manifest FILE.jsonl`: run the extractor on saved pages, NDJSON out.
import fs from 'node:fs';
import zlib from 'node:zlib';
import type { Command } from 'commander';
import { describeError } from '../../shared/errors.js';
import { extractArticle } from '../../shared/extract/extract-article.js';
import { decodeHtml } from '../../shared/extract/html.js';
import { action, printJson } from '../output.js';

interface Input {
  file: string;
  url?: string;
}

function readManifest(path: string): Input[] {
  return fs
    .readFileSync(path, 'utf8')
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, n }) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new Error(`${path}:${n}: not JSON`);
      }
      const v = value as Partial<Input>;
      if (typeof v.file !== 'string') throw new Error(`${path}:${n}: needs a "file" string`);
      return { file: v.file, ...(typeof v.url === 'string' ? { url: v.url } : {}) };
    });
}

export function registerExtract(program: Command): void {
  program
    .command('extract')
    .description('extract articles from saved HTML files (.html or .html.gz); one JSON object per file on stdout')
    .argument('[files...]', 'HTML files')
    .option('--url <url>', 'the URL the pages were fetched from (resolves relative links, dates in the URL)')
    .option('--manifest <file>', 'JSON lines {"file","url"?}; relative paths are taken from the current directory')
    .action(
      action(async (files: string[], opts: { url?: string; manifest?: string }) => {
        const inputs: Input[] = [
          ...files.map((file) => ({ file, ...(opts.url ? { url: opts.url } : {}) })),
          ...(opts.manifest ? readManifest(opts.manifest) : []),
        ];
        if (inputs.length === 0) throw new Error('give HTML files, or --manifest FILE.jsonl');
        let failed = 0;
        for (const input of inputs) {
          try {
            const bytes = fs.readFileSync(input.file);
            const html = decodeHtml(input.file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes);
            printJson({ file: input.file, ...extractArticle(html, input.url ?? `file://${input.file}`) });
          } catch (err) {
            failed++;
            printJson({ file: input.file, error: describeError(err) });
          }
        }
        if (failed > 0) process.exitCode = 1;
      }),
    );
}
