// Every reason code a job can end with or an error can carry, written once. Outcome reasons are
// public (the API, the CLI, metrics labels), so a code is added here or not at all.

export const reasons = {
  // Refused where they enter
  invalid_url: 'the submitted URL is not an absolute http(s) URL',
  invalid_document: 'an imported line is not a valid document',
  invalid_payload: 'a queued job does not match its stage’s schema',
  invalid_schedule: 'a source’s crawl schedule is not valid',
  source_exists: 'the URL is a registered source already',
  invalid_duration: 'a duration argument is not valid (30s, 10m, 2h, 1d)',
  unknown_topic: 'a digest job names a topic that is not in NEWSLINE_TOPICS_FILE',
  config: 'the settings are not valid; the process cannot start',
  // Fetching
  forbidden_address: 'the URL (or a redirect) leads to an address the guard refuses',
  bad_scheme: 'the URL is not http or https',
  bad_redirect: 'a redirect without a usable Location',
  redirect_loop: 'redirects come back to a URL already visited',
  too_many_redirects: 'more redirects than FETCH_MAX_REDIRECTS',
  robots: 'robots.txt disallows the URL for our user agent',
  robots_unavailable: 'robots.txt could not be read (5xx or no answer); the site counts as disallowed for a while',
  host_busy: 'the host’s politeness interval or concurrency says wait',
  timeout: 'the request did not finish within FETCH_TIMEOUT_MS',
  dns: 'the host name does not resolve',
  connection: 'the connection failed or was reset',
  bad_encoding: 'the body’s compression is corrupt',
  content_type: 'the response is not HTML',
  too_large: 'the body is larger than FETCH_MAX_BYTES',
  page_expired: 'the raw page was no longer in Redis when extraction ran',
  // Extraction and later
  no_article: 'no article text was found on the page',
  canonical_pending: 'the article this one repeats is not stored yet',
  store_no_row: 'an article write returned no row',
  invalid_content: 'the database refuses the article’s content (after the store’s own cleaning and limits)',
  stalled: 'the job’s workers kept stopping under it (more than NEWSLINE_MAX_STALLED times)',
  internal: 'an unexpected error, after every attempt',
  wait_timeout: 'still pending when `--wait` stopped waiting (the CLI’s own report; the job goes on)',
  // Backing services
  redis_unavailable: 'Redis cannot be reached',
  database_unavailable: 'PostgreSQL cannot be reached',
  database_locked: 'the embedded store’s data directory is in use by another process',
} as const satisfies Record<string, string>;

/** A code with a fixed meaning. */
export type FixedReason = keyof typeof reasons;
/** Every reason: the fixed ones, and `http_<status>` for a response status that ends a job. */
export type ReasonCode = FixedReason | `http_${number}`;

export function httpReason(status: number): ReasonCode {
  return `http_${status}`;
}

/** The table in docs/operations.md, one row a reason. */
export function reasonsTable(): string {
  const lines = ['| reason | meaning |', '|---|---|'];
  for (const [code, meaning] of Object.entries(reasons)) lines.push(`| \`${code}\` | ${meaning} |`);
  lines.push('| `http_<status>` | the server answered with this status (4xx: given up; 408, 429 and 5xx: retried first) |');
  return `${lines.join('\n')}\n`;
}
