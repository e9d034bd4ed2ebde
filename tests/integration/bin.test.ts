// bin/newsline.js picks the compiled CLI only when it is current: a checkout whose sources changed
// after the last build runs the sources.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

let dir: string;

/** A package laid out like newsline's, whose "CLI" only says which copy ran. */
function fakePackage(): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsline-bin-'));
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.copyFileSync('bin/newsline.js', path.join(dir, 'bin', 'newsline.js'));
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
  fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
  fs.mkdirSync(path.join(dir, 'src', 'cli'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src', 'cli', 'main.ts'), "const ran: string = 'sources';\nconsole.log(ran);\n");
  fs.mkdirSync(path.join(dir, 'dist', 'cli'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'dist', 'cli', 'main.js'), "console.log('dist');\n");
  return dir;
}

const run = () => execFileSync(process.execPath, [path.join(dir, 'bin', 'newsline.js')], { encoding: 'utf8' }).trim();
const touch = (file: string, secondsAgo: number) => {
  const t = new Date(Date.now() - secondsAgo * 1_000);
  fs.utimesSync(path.join(dir, file), t, t);
};

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('bin/newsline.js', () => {
  it('runs dist/ when it was built after the last change to the sources', () => {
    fakePackage();
    touch('src/cli/main.ts', 60);
    touch('dist/cli/main.js', 10);
    expect(run()).toBe('dist');
  });

  it('runs the sources when one changed after the build', () => {
    fakePackage();
    touch('dist/cli/main.js', 60);
    touch('src/cli/main.ts', 10);
    expect(run()).toBe('sources');
  });

  it('runs the sources when nothing is built', () => {
    fakePackage();
    fs.rmSync(path.join(dir, 'dist'), { recursive: true });
    expect(run()).toBe('sources');
  });
});
