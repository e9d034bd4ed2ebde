// The HTTP API on an ephemeral loopback port, over a test pipeline's Redis prefix and database.
import { startApi, type RunningApi } from '../../src/api/server.js';
import { loadConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/log.js';
import type { Database } from '../../src/shared/store/database.js';
import type { TestPipeline } from './pipeline.js';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

export async function startTestApi(t: TestPipeline, database: Database, env: Record<string, string> = {}): Promise<RunningApi> {
  const config = loadConfig({
    REDIS_URL: t.config.REDIS_URL,
    NEWSLINE_PREFIX: t.config.NEWSLINE_PREFIX,
    FETCH_ALLOW_PRIVATE: 'true',
    NEWSLINE_API_PORT: '0',
    NEWSLINE_API_TOKEN: TEST_TOKEN,
    LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'silent',
    ...env,
  });
  return startApi(config, createLogger(config.LOG_LEVEL), { database });
}

/** Read a server-sent-event stream until `enough` says so (or `timeoutMs`), then hang up. */
export async function readSse(
  url: string,
  headers: Record<string, string>,
  enough: (events: Array<{ id: string; event: string; data: string }>) => boolean,
  timeoutMs = 20_000,
): Promise<Array<{ id: string; event: string; data: string }>> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  const events: Array<{ id: string; event: string; data: string }> = [];
  try {
    const res = await fetch(url, { headers, signal: abort.signal });
    if (res.status !== 200) throw new Error(`event stream answered ${res.status}: ${await res.text()}`);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const field = (name: string) =>
          block
            .split('\n')
            .find((l) => l.startsWith(`${name}: `))
            ?.slice(name.length + 2) ?? '';
        if (field('data')) events.push({ id: field('id'), event: field('event'), data: field('data') });
      }
      if (enough(events)) break;
    }
  } catch (err) {
    if (!abort.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return events;
}
