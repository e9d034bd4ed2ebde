#!/usr/bin/env node
// Runs the compiled CLI (`npm run build` → dist/) when it is at least as new as every source file,
// else the TypeScript sources through tsx: in a checkout, what runs is always what the sources say.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const sources = fileURLToPath(new URL('../src', import.meta.url));

/** Modification time of the newest file below `dir` (ms), 0 when there is none. */
function newestBelow(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestBelow(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const builtIsCurrent = existsSync(built) && (!existsSync(sources) || statSync(built).mtimeMs >= newestBelow(sources));
if (builtIsCurrent) {
  await import(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
