// Contracts written once in the code, and the files generated from them: the committed copies
// must match what the code says now (run `npm run contracts` after changing a contract).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../scripts/lib/generated-files.js';
import { loadConfig } from '../../src/shared/config.js';
import { eventTypes } from '../../src/shared/events/event-data.js';
import { settings } from '../../src/shared/settings.js';

describe('generated contracts', () => {
  it.each(generatedFiles(process.cwd()).map((g) => [path.relative(process.cwd(), g.file), g] as const))(
    '%s is what the code generates',
    (_name, generated) => {
      expect(fs.readFileSync(generated.file, 'utf8')).toBe(generated.content);
    },
  );

  it('has one schema file per event type, whose $id is the dataschema its events carry', () => {
    const files = fs.readdirSync('schemas').filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(eventTypes.map((t) => `${t}.json`).sort());
    for (const type of eventTypes) {
      const schema = JSON.parse(fs.readFileSync(path.join('schemas', `${type}.json`), 'utf8')) as { $id: string };
      expect(schema.$id).toBe(`${loadConfig({}).NEWSLINE_SCHEMA_BASE}${type}.json`);
    }
  });

  it('documents every setting in docs/configuration.md', () => {
    const doc = fs.readFileSync('docs/configuration.md', 'utf8');
    for (const name of Object.keys(settings)) expect(doc).toContain(`| \`${name}\` |`);
  });
});
