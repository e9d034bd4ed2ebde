// The one place that reads the environment: parsed and validated once, at start, against the
// settings table (src/shared/settings.ts).
import { ConfigError } from './errors.js';
import { settingsSchema, settings, type Settings } from './settings.js';

export type Config = Settings;

/** Keys read from the environment; other variables are ignored unless they look like ours. */
const knownKeys = new Set(Object.keys(settings));
const ourNamespace = /^(NEWSLINE_|FETCH_)/;
const schema = settingsSchema();

/**
 * Parse settings from an environment-like object. Unknown `NEWSLINE_*`/`FETCH_*` keys are
 * rejected so that a typo fails loudly instead of silently running with a default.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  /** Defaults a command prefers over the global ones (the demo logs less); the environment still wins. */
  commandDefaults: Record<string, string> = {},
): Config {
  const picked: Record<string, string> = { ...commandDefaults };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    if (knownKeys.has(key) || ourNamespace.test(key)) picked[key] = value;
  }
  const result = schema.safeParse(picked);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.join('.') || (issue as { keys?: string[] }).keys?.join(', ') || '?';
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown setting ${(issue as { keys: string[] }).keys.join(', ')} (see docs/configuration.md)`
        : `${key}: ${issue.message}`;
    throw new ConfigError(`invalid configuration: ${message}`);
  }
  return result.data;
}

/** Whether NEWSLINE_DEBUG asks for stack traces (read on its own: an error may come before the rest parses). */
export function debugEnabled(env: Record<string, string | undefined> = process.env): boolean {
  const parsed = settings.NEWSLINE_DEBUG.schema.safeParse(env['NEWSLINE_DEBUG'] ?? 'false');
  return parsed.success && parsed.data === true;
}
