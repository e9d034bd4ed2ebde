// Benchmark output: an aligned table on stdout, JSON and a Markdown section in bench-results/, and —
// only when the run is given --update-docs — that section in docs/benchmarks.md, between markers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function table(rows: Array<Array<string | number>>): string {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function markdownTable(rows: Array<Array<string | number>>): string {
  const [head, ...body] = rows.map((r) => r.map(String));
  return [`| ${head!.join(' | ')} |`, `|${head!.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export function writeJson(name: string, data: unknown): string {
  const dir = path.resolve('bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** Whether this run may rewrite the tracked docs (`--update-docs`). */
export const updatingDocs = process.argv.includes('--update-docs');

/**
 * Write a benchmark's Markdown section to bench-results/<name>.md and, with --update-docs, put it
 * between `<!-- name:start -->` and `<!-- name:end -->` in docs/benchmarks.md.
 */
export function updateBenchmarksDoc(name: string, markdown: string): void {
  const dir = path.resolve('bench-results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.md`), `${markdown.trim()}\n`);
  if (!updatingDocs) {
    console.log(`\nbench-results/${name}.md written; docs/benchmarks.md unchanged (--update-docs to replace its section)`);
    return;
  }
  const file = path.resolve('docs/benchmarks.md');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, doc);
}

export const fmt = (x: number, digits = 3) => x.toFixed(digits);

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
