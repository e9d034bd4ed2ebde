// What is generated from the contracts written once in the code, as (file, content) pairs: the
// JSON Schema of each event type's data, and the tables in docs/ between `<!-- name:start -->`
// and `<!-- name:end -->` markers.
import fs from 'node:fs';
import path from 'node:path';
import { eventJsonSchema, eventTypes } from '../../src/shared/events/event-data.js';
import { reasonsTable } from '../../src/shared/outcomes/reasons.js';
import { limitsTable } from '../../src/shared/store/limits.js';
import { settingDefault, settingsTable } from '../../src/shared/settings.js';

export interface GeneratedFile {
  file: string;
  content: string;
}

/** `text` with what stands between the `name` markers replaced by `body`. */
export function replaceBetweenMarkers(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`no ${start} … ${end} markers`);
  return `${text.slice(0, i + start.length)}\n${body}${text.slice(j)}`;
}

export function generatedFiles(root: string): GeneratedFile[] {
  const base = settingDefault('NEWSLINE_SCHEMA_BASE');
  const schemas = eventTypes.map((type) => ({
    file: path.join(root, 'schemas', `${type}.json`),
    content: `${JSON.stringify(eventJsonSchema(type, base), null, 2)}\n`,
  }));
  const tables: Array<[string, string, string]> = [
    ['docs/configuration.md', 'settings', settingsTable()],
    ['docs/operations.md', 'reasons', reasonsTable()],
    ['docs/operations.md', 'limits', limitsTable()],
  ];
  // One file may hold several tables: each replaced in turn, from the file as it stands.
  const docs: GeneratedFile[] = [];
  for (const [file, name, table] of tables) {
    const full = path.join(root, file);
    const current = docs.find((d) => d.file === full);
    const text = current?.content ?? fs.readFileSync(full, 'utf8');
    const content = replaceBetweenMarkers(text, name, table);
    if (current) current.content = content;
    else docs.push({ file: full, content });
  }
  return [...schemas, ...docs];
}
