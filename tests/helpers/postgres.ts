// PostgreSQL for tests: DATABASE_URL (a server we may create databases on), else the local
// server on 127.0.0.1:5432, else a testcontainer; `null` (tests skip, saying why) when none.
// Each caller gets a fresh database, dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../../src/shared/store/database.js';

let resolved: Promise<string | null> | null = null;
export let postgresUnavailableReason = '';

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_500 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function resolveAdminUrl(): Promise<string | null> {
  const candidates = [process.env['DATABASE_URL'], 'postgres://postgres@127.0.0.1:5432/postgres'].filter(Boolean) as string[];
  for (const url of candidates) if (await answers(url)) return url;
  try {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    return container.getConnectionUri();
  } catch (err) {
    postgresUnavailableReason = `no PostgreSQL at ${candidates.join(' or ')} and no Docker for testcontainers (${(err as Error).message.split('\n')[0]})`;
    return null;
  }
}

export function postgresAdminUrl(): Promise<string | null> {
  return (resolved ??= resolveAdminUrl());
}

/** A new, empty database; returns its URL and a function that drops it. */
export async function freshDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `nltest_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface StoreUnderTest {
  name: string;
  open: () => Promise<{ db: Database; drop: () => Promise<void> }>;
}

/** PGlite always; PostgreSQL too when one answers (a fresh database each time), else a printed skip. */
export async function storesUnderTest(what: string): Promise<StoreUnderTest[]> {
  const adminUrl = await postgresAdminUrl();
  const stores: StoreUnderTest[] = [{ name: 'PGlite', open: async () => ({ db: await openPglite(null), drop: async () => {} }) }];
  if (!adminUrl) {
    console.warn(`skipping the PostgreSQL run of ${what}: ${postgresUnavailableReason}`);
    return stores;
  }
  stores.push({
    name: 'PostgreSQL',
    open: async () => {
      const fresh = await freshDatabase(adminUrl);
      return { db: await openPostgres(fresh.url), drop: fresh.drop };
    },
  });
  return stores;
}
