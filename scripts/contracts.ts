// npm run contracts: writes what is generated from the contracts written once in the code —
// schemas/*.json from the event data schemas, and the settings and reason tables in docs/.
// `--check` writes nothing and fails when a committed file is stale (the contracts test does the same).
import fs from 'node:fs';
import path from 'node:path';
import { generatedFiles } from './lib/generated-files.js';

const check = process.argv.includes('--check');
let stale = 0;
for (const { file, content } of generatedFiles(process.cwd())) {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (current === content) continue;
  stale++;
  if (check) console.error(`stale: ${path.relative(process.cwd(), file)}`);
  else {
    fs.writeFileSync(file, content);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
if (check && stale > 0) process.exit(1);
if (!check && stale === 0) console.log('every generated file is current');
