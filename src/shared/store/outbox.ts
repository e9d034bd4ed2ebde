// The outbox: events committed in the same statement or transaction as the records they
// announce, read back in order by the relay, which publishes them and marks them sent.
import type { CloudEvent } from '../events/cloud-event.js';
import type { SqlClient } from './database.js';

/**
 * SQL that queues events in the outbox: `events` selects rows (event jsonb, position). created_at
 * a microsecond apart keeps the relay's order (created_at, id) the order given; an event id already
 * there (a retried job) is left as it is.
 */
export function insertIntoOutbox(events: string): string {
  return `INSERT INTO outbox (id, type, event, created_at)
     SELECT ev->>'id', ev->>'type', ev, clock_timestamp() + n * interval '1 microsecond'
     FROM (${events}) AS x(ev, n)
     ON CONFLICT (id) DO NOTHING`;
}

const ENQUEUE_EVENTS = insertIntoOutbox('SELECT * FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY');

/** Queue events in the outbox, in one statement. The same event id twice (a retried job) is one row. */
export async function enqueueEvents(tx: SqlClient, events: CloudEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.query(ENQUEUE_EVENTS, [JSON.stringify(events)]);
}

/** Pending events, oldest first, locked for this transaction (other relays skip them). */
export async function claimPending(tx: SqlClient, limit: number): Promise<Array<{ id: string; event: CloudEvent }>> {
  const { rows } = await tx.query<{ id: string; event: CloudEvent | string }>(
    `SELECT id, event FROM outbox WHERE published_at IS NULL
     ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows.map((r) => ({ id: r.id, event: typeof r.event === 'string' ? (JSON.parse(r.event) as CloudEvent) : r.event }));
}

export async function markPublished(tx: SqlClient, ids: string[]): Promise<void> {
  if (ids.length > 0) await tx.query('UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY($1)', [ids]);
}

/** Delete published rows older than `retainDays`. */
export async function prunePublished(db: SqlClient, retainDays: number): Promise<void> {
  await db.query(`DELETE FROM outbox WHERE published_at < now() - make_interval(days => $1)`, [retainDays]);
}
