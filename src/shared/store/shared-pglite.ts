// Reading an embedded store another process holds. PGlite is one process's database: the process
// that locks a data directory also listens on a Unix socket in it (only its user may connect),
// and runs what other processes send there as read-only transactions. So while `newsline start`
// runs, `newsline articles …` or `sources list` in another terminal read through it; a write
// from there is refused in one line naming the holder.
//
// The protocol is one JSON line per request (`{"sql","params"}`) and per answer (`{"rows"}` or
// `{"error"}`), answered in order. Values JSON has no type for (timestamps, bigints, bytes) travel
// tagged, so the reader gets the same rows the holder's driver returned.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { UnavailableError, describeError } from '../errors.js';
import type { Database, SqlClient } from './database.js';

export const SOCKET_NAME = 'newsline.sock';

/** A request longer than this (a statement and its parameters) closes the connection. */
const MAX_REQUEST_BYTES = 1 << 20;

export function socketPath(dataDir: string): string {
  return path.join(path.resolve(dataDir), SOCKET_NAME);
}

function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = key === '' ? value : this[key];
    if (raw instanceof Date) return { $date: Number.isNaN(raw.getTime()) ? null : raw.toISOString() };
    if (typeof raw === 'bigint') return { $bigint: raw.toString() };
    if (raw instanceof Uint8Array) return { $bytes: Buffer.from(raw).toString('base64') };
    return v;
  });
}

function decode(line: string): unknown {
  return JSON.parse(line, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const keys = Object.keys(v);
    if (keys.length !== 1) return v;
    const t = v as Partial<Record<'$date' | '$bigint' | '$bytes', string | null>>;
    if ('$date' in t) return t.$date === null ? new Date(Number.NaN) : new Date(t.$date as string);
    if ('$bigint' in t) return BigInt(t.$bigint as string);
    if ('$bytes' in t) return new Uint8Array(Buffer.from(t.$bytes as string, 'base64'));
    return v;
  });
}

/** Split a stream into lines, refusing one longer than `max` bytes. */
function lines(socket: net.Socket, max: number, onLine: (line: string) => void, onTooLong: () => void): void {
  let pending = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    pending += chunk;
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      onLine(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
    }
    if (Buffer.byteLength(pending) > max) onTooLong();
  });
}

export interface ReadServer {
  close(): Promise<void>;
}

/**
 * Serve read-only queries on `<dataDir>/newsline.sock` for as long as this process holds the
 * data directory. `db` is the holder's own database (its statements queue behind the workers').
 */
export async function serveReads(dataDir: string, db: Pick<Database, 'transaction'>): Promise<ReadServer> {
  const file = socketPath(dataDir);
  fs.rmSync(file, { force: true }); // left by a holder that died; the lock says this process owns the directory now
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let queue = Promise.resolve();
    lines(
      socket,
      MAX_REQUEST_BYTES,
      (line) => {
        queue = queue.then(async () => {
          let answer: string;
          try {
            const { sql, params } = JSON.parse(line) as { sql: unknown; params: unknown };
            if (typeof sql !== 'string' || (params !== undefined && !Array.isArray(params))) throw new Error('expected {"sql","params"}');
            const rows = await db.transaction(async (tx) => {
              await tx.query('SET TRANSACTION READ ONLY');
              return (await tx.query(sql, params as unknown[] | undefined)).rows;
            });
            answer = encode({ rows });
          } catch (err) {
            answer = JSON.stringify({ error: describeError(err) });
          }
          if (!socket.destroyed) socket.write(`${answer}\n`);
        });
      },
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => {
      server.off('error', reject);
      resolve();
    });
  });
  fs.chmodSync(file, 0o600);
  return {
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(file, { force: true });
    },
  };
}

/**
 * The store of the process holding `dataDir`, read through its socket. Every statement runs
 * read-only there; `transaction` gives the same client (each statement its own snapshot).
 */
export async function connectReads(dataDir: string, holder: number): Promise<Database> {
  const file = socketPath(dataDir);
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.createConnection(file, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
  const waiting: Array<{ resolve: (v: { rows: unknown[] }) => void; reject: (e: Error) => void }> = [];
  let closed: Error | null = null;
  const fail = (err: Error) => {
    closed ??= err;
    for (const w of waiting.splice(0)) w.reject(err);
  };
  socket.on('error', (err) => fail(new UnavailableError('database_unavailable', `lost the store of process ${holder}: ${err.message}`)));
  socket.on('close', () => fail(new UnavailableError('database_unavailable', `process ${holder} closed the store`)));
  lines(
    socket,
    Number.POSITIVE_INFINITY,
    (line) => {
      const answer = decode(line) as { rows?: unknown[]; error?: string };
      const w = waiting.shift();
      if (!w) return;
      if (answer.error !== undefined) w.reject(new Error(readOnlyHint(answer.error, dataDir, holder)));
      else w.resolve({ rows: answer.rows ?? [] });
    },
    () => {},
  );
  const client: SqlClient = {
    query: (sql, params) =>
      new Promise((resolve, reject) => {
        if (closed) return reject(closed);
        waiting.push({ resolve: resolve as never, reject });
        socket.write(`${encode({ sql, params: params ?? [] })}\n`);
      }),
  };
  return {
    kind: 'pglite',
    readOnly: true,
    query: client.query,
    transaction: (fn) => fn(client),
    async close() {
      socket.end();
      socket.destroy();
    },
  };
}

function readOnlyHint(error: string, dataDir: string, holder: number): string {
  if (!/read-only transaction/i.test(error)) return error;
  return (
    `process ${holder} holds the PGlite data directory ${dataDir}: other commands may read through it, not write; ` +
    'stop it first, or set DATABASE_URL to share a PostgreSQL database between processes'
  );
}
