// Registered sources and how their crawls went.
import { randomBytes } from 'node:crypto';
import { PermanentError } from '../errors.js';
import type { Database } from '../store/database.js';
import type { SourceKind } from './parse-source.js';

export interface Source {
  id: string;
  url: string;
  name: string;
  kind: SourceKind;
  /** Crawl every N ms, or by `cron` in `tz`. */
  everyMs: number | null;
  cron: string | null;
  tz: string;
  etag: string | null;
  lastModified: string | null;
  lastRunAt: string | null;
  lastStatus: string | null;
  lastNewUrls: number;
  totalNewUrls: number;
  runs: number;
  errors: number;
  lastError: string | null;
  /** How the URL was arrived at when the source was registered (see detectSource). */
  detectedVia: 'given' | 'link-alternate' | 'robots-sitemap';
  /** Documents the last crawl read (the source and its child sitemaps), and how many of them failed. */
  lastDocuments: number;
  lastFailedDocuments: number;
}

/**
 * How a crawl ended: `ok`; `partial` when a child sitemap failed or a document was cut off (what
 * was read still counts); `unchanged` (304); `robots` when robots.txt disallows the source; `error`.
 */
export type SourceRunStatus = 'ok' | 'partial' | 'unchanged' | 'robots' | 'error';

export interface SourceRun {
  status: SourceRunStatus;
  newUrls: number;
  /** Documents read (the source and its child sitemaps) and how many failed. */
  documents?: number;
  failedDocuments?: number;
  /** Why the run failed, or what failed in a partial one. */
  error?: string;
  etag?: string | undefined;
  lastModified?: string | undefined;
}

const toSource = (r: Record<string, unknown>): Source => ({
  id: r['id'] as string,
  url: r['url'] as string,
  name: r['name'] as string,
  kind: r['kind'] as SourceKind,
  everyMs: (r['every_ms'] as number | null) ?? null,
  cron: (r['cron'] as string | null) ?? null,
  tz: r['tz'] as string,
  etag: (r['etag'] as string | null) ?? null,
  lastModified: (r['last_modified'] as string | null) ?? null,
  lastRunAt: r['last_run_at'] ? new Date(r['last_run_at'] as string).toISOString() : null,
  lastStatus: (r['last_status'] as string | null) ?? null,
  lastNewUrls: Number(r['last_new_urls']),
  totalNewUrls: Number(r['total_new_urls']),
  runs: Number(r['runs']),
  errors: Number(r['errors']),
  lastError: (r['last_error'] as string | null) ?? null,
  detectedVia: ((r['detected_via'] as string | null) ?? 'given') as Source['detectedVia'],
  lastDocuments: Number(r['last_documents'] ?? 0),
  lastFailedDocuments: Number(r['last_failed_documents'] ?? 0),
});

/** The URL is a registered source already. */
export class SourceExistsError extends PermanentError {
  constructor(message: string) {
    super('source_exists', message);
  }
}

export class SourceStore {
  constructor(private readonly db: Database) {}

  /**
   * Register a source; a URL registered already is refused (`source_exists`, naming the source that
   * has it) rather than renamed or rescheduled behind the operator's back.
   */
  async add(s: Pick<Source, 'url' | 'name' | 'kind' | 'everyMs' | 'cron' | 'tz'> & Partial<Pick<Source, 'detectedVia'>>): Promise<Source> {
    const id = `src_${randomBytes(6).toString('hex')}`;
    const { rows } = await this.db.query(
      `INSERT INTO sources (id, url, name, kind, every_ms, cron, tz, detected_via) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (url) DO NOTHING
       RETURNING *`,
      [id, s.url, s.name, s.kind, s.everyMs, s.cron, s.tz, s.detectedVia ?? 'given'],
    );
    if (rows[0]) return toSource(rows[0]);
    const existing = (await this.db.query('SELECT * FROM sources WHERE url = $1', [s.url])).rows[0];
    const other = existing ? toSource(existing) : null;
    throw new SourceExistsError(
      `${s.url} is registered already as ${other?.id ?? '?'} ("${other?.name ?? '?'}"); remove it first to register it again`,
    );
  }

  async list(): Promise<Source[]> {
    return (await this.db.query('SELECT * FROM sources ORDER BY created_at, id')).rows.map(toSource);
  }

  async get(id: string): Promise<Source | null> {
    const { rows } = await this.db.query('SELECT * FROM sources WHERE id = $1', [id]);
    return rows[0] ? toSource(rows[0]) : null;
  }

  async remove(id: string): Promise<boolean> {
    return (await this.db.query('DELETE FROM sources WHERE id = $1 RETURNING id', [id])).rows.length > 0;
  }

  async recordRun(id: string, run: SourceRun): Promise<void> {
    await this.db.query(
      `UPDATE sources SET last_run_at = now(), last_status = $2, last_new_urls = $3, total_new_urls = total_new_urls + $3,
         runs = runs + 1, errors = errors + (CASE WHEN $2 IN ('error', 'robots') THEN 1 ELSE 0 END), last_error = $4,
         etag = coalesce($5, etag), last_modified = coalesce($6, last_modified),
         last_documents = $7, last_failed_documents = $8
       WHERE id = $1`,
      [
        id,
        run.status,
        run.newUrls,
        run.error ?? null,
        run.etag ?? null,
        run.lastModified ?? null,
        run.documents ?? 0,
        run.failedDocuments ?? 0,
      ],
    );
  }
}
