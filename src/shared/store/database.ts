// One small SQL interface over PostgreSQL (pg) and embedded PGlite, so both run the same
// statements and migrations.
import fs from 'node:fs';
import path from 'node:path';
import { UnavailableError, describeError } from '../errors.js';
import { redactUrl } from '../redis.js';
import { connectReads, serveReads, type ReadServer } from './shared-pglite.js';

export interface SqlClient {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

export interface Database extends SqlClient {
  readonly kind: 'postgres' | 'pglite';
  /** Another process's embedded store, read through it (see shared-pglite.ts): no writes, no migrations. */
  readonly readOnly?: boolean;
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openPostgres(url: string): Promise<Database> {
  const { default: pg } = await import('pg');
  // Room for a stage's concurrent store jobs plus the outbox relay and the digest worker, so the
  // relay is never starved of a connection under load.
  const pool = new pg.Pool({ connectionString: url, max: 24, connectionTimeoutMillis: 5_000 });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw new UnavailableError(
      'database_unavailable',
      `cannot reach PostgreSQL at ${redactUrl(url)} (${describeError(err)}); check DATABASE_URL, ` +
        'start one with `docker compose up -d postgres`, or unset DATABASE_URL to use the embedded PGlite store',
      { cause: err },
    );
  }
  // Statements with parameters run as named prepared statements: parsed and planned once per
  // connection instead of on every call (the article upsert is a large statement, run per article).
  // Parameterless text — migrations hold several statements — runs as it is.
  const names = new Map<string, string>();
  const statement = (sql: string, params?: unknown[]) => {
    if (!params || params.length === 0) return sql;
    let name = names.get(sql);
    if (!name) names.set(sql, (name = `newsline_${names.size}`));
    return { name, text: sql, values: params };
  };
  return {
    kind: 'postgres',
    query: (sql, params) => pool.query(statement(sql, params) as never) as never,
    async transaction(fn) {
      const client = await pool.connect();
      // The server may go away between two statements (while the caller awaits something else):
      // the next query reports it; without a listener the 'error' event would end the process.
      const onError = () => {};
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (sql, params) => client.query(statement(sql, params) as never) as never });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.off('error', onError);
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/**
 * Embedded PostgreSQL (WASM) in `dataDir`. One process at a time may hold a data directory: a
 * lock file says which, and a second process gets a clear error instead of corrupting it.
 */
export async function openPglite(dataDir: string | null): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  let release = () => {};
  if (dataDir !== null) {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      release = lockDataDir(dataDir);
    } catch (err) {
      const holder = err instanceof LockedError ? err.holder : 0;
      if (!holder) throw err;
      // Held by a running newsline: read through it.
      return await connectReads(dataDir, holder).catch(() => {
        throw err;
      });
    }
  }
  let db: InstanceType<typeof PGlite>;
  try {
    db = dataDir === null ? new PGlite() : new PGlite(path.resolve(dataDir));
    await db.waitReady;
  } catch (err) {
    release();
    throw new UnavailableError('database_unavailable', `cannot open PGlite in ${dataDir}: ${describeError(err)}`);
  }
  let reads: ReadServer | null = null;
  const database: Database = {
    kind: 'pglite',
    query: (sql, params) => db.query(sql, params as unknown[]) as never,
    transaction: (fn) => db.transaction((tx) => fn({ query: (sql, params) => tx.query(sql, params as unknown[]) as never })),
    async close() {
      await reads?.close();
      await db.close();
      release();
    },
  };
  // Other processes read through this one while it holds the directory. Without the socket (a
  // path too long for one, say) they are told the directory is in use, as before.
  if (dataDir !== null) reads = await serveReads(dataDir, database).catch(() => null);
  return database;
}

/** The data directory is locked by a live process. */
class LockedError extends UnavailableError {
  constructor(
    message: string,
    readonly holder: number,
  ) {
    super('database_locked', message);
  }
}

function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'newsline.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(fs.readFileSync(lockPath, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new LockedError(
          `the PGlite data directory ${dataDir} is in use by process ${holder}; stop it, or set DATABASE_URL ` +
            'to share a PostgreSQL database between processes',
          holder,
        );
      }
      fs.rmSync(lockPath, { force: true }); // stale lock from a process that died
    }
  }
  throw new UnavailableError('database_locked', `cannot lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; when absent the embedded PGlite store is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `null` keeps it in memory. */
  dataDir: string | null;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}
