// `newsline extract FILE... | --manifest FILE.jsonl`: run the extractor on saved pages, NDJSON out.
import fs from 'node:fs';
import zlib from 'node:zlib';
import type { Command } from 'commander';
import { describeError } from '../../shared/errors.js';
import { extractArticle } from '../../shared/extract/extract-article.js';
import { decodeHtml } from '../../shared/text/decode.js';
import { parseSubmittedUrl } from '../../queues/producer.js';
import { settingDefault } from '../../shared/settings.js';
import { action, printJson } from '../output.js';

interface Input {
  file: string;
  url?: string;
}

/** The largest saved page read (compressed or not): what a fetch accepts by default. */
const MAX_PAGE_BYTES = settingDefault('FETCH_MAX_BYTES');

/** A saved page's bytes: a regular file of bounded size, decompressed to the same bound. */
function readPage(file: string): Buffer {
  const stat = fs.statSync(file);
  if (!stat.isFile()) throw new Error(`not a regular file: ${file}`);
  if (stat.size > MAX_PAGE_BYTES) throw new Error(`larger than ${MAX_PAGE_BYTES} bytes: ${file}`);
  const bytes = fs.readFileSync(file);
  if (!file.endsWith('.gz')) return bytes;
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: MAX_PAGE_BYTES });
  } catch (err) {
    throw new Error(`cannot decompress ${file} within ${MAX_PAGE_BYTES} bytes (${describeError(err)})`);
  }
}

/** The page's URL, when given: an absolute http(s) URL. */
function pageUrl(raw: string, where: string): string {
  try {
    return parseSubmittedUrl(raw).href;
  } catch (err) {
    throw new Error(`${where}: ${describeError(err)}`);
  }
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
      return { file: v.file, ...(typeof v.url === 'string' ? { url: pageUrl(v.url, `${path}:${n}`) } : {}) };
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
        const url = opts.url === undefined ? undefined : pageUrl(opts.url, '--url');
        const inputs: Input[] = [
          ...files.map((file) => ({ file, ...(url ? { url } : {}) })),
          ...(opts.manifest ? readManifest(opts.manifest) : []),
        ];
        if (inputs.length === 0) throw new Error('give HTML files, or --manifest FILE.jsonl');
        let failed = 0;
        for (const input of inputs) {
          try {
            const html = decodeHtml(readPage(input.file));
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
