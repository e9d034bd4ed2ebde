// The fetch settings every outgoing request (pages, robots.txt, feeds, webhooks) obeys, from config.
import type { Config } from '../config.js';
import type { HttpClientOptions } from './fetch-page.js';

export function httpOptions(config: Config): HttpClientOptions {
  return {
    userAgent: config.NEWSLINE_USER_AGENT,
    timeoutMs: config.FETCH_TIMEOUT_MS,
    maxBytes: config.FETCH_MAX_BYTES,
    maxRedirects: config.FETCH_MAX_REDIRECTS,
    allowPrivate: config.FETCH_ALLOW_PRIVATE,
    allowHosts: config.FETCH_ALLOW_HOSTS,
  };
}
