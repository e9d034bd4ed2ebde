// How commands speak: results on stdout (JSON lines where scripts read them), one-line errors on
// stderr.
import { debugEnabled } from '../shared/config.js';
import { describeError, isNewslineError } from '../shared/errors.js';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Print `newsline: <message>` and exit non-zero, without a stack trace for known errors. */
export function fail(err: unknown): never {
  const message = isNewslineError(err) ? err.message : describeError(err);
  process.stderr.write(`newsline: ${message}\n`);
  if (!isNewslineError(err) && debugEnabled()) console.error(err);
  process.exit(1);
}

/** Run an async command body, turning any error into one line and exit code 1. */
export function action<Args extends unknown[]>(fn: (...args: Args) => Promise<void>): (...args: Args) => Promise<void> {
  return async (...args: Args) => {
    try {
      await fn(...args);
    } catch (err) {
      fail(err);
    }
  };
}

export function parsePositiveInt(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, got "${value}"`);
    return n;
  };
}
