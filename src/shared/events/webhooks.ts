// Webhook subscriptions and Standard Webhooks signatures.
import { createHmac, randomBytes } from 'node:crypto';
import type { Database } from '../store/database.js';
import type { CloudEvent } from './cloud-event.js';

export interface WebhookSubscription {
  id: string;
  url: string;
  /** `whsec_` + base64 key, as Standard Webhooks prints it. */
  secret: string;
  /** Event types delivered; empty: all. */
  eventTypes: string[];
  /** Entity ids: only events about at least one of them (entities, countries or focus); empty: all. */
  entityFilter: string[];
  /** The last delivery's HTTP status, or `error` when none came back. */
  lastStatus: string | null;
  /** Why the last delivery failed (null when it succeeded). */
  lastError: string | null;
  lastDeliveryAt: string | null;
}

export function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** Standard Webhooks: base64 HMAC-SHA256, keyed by the secret's bytes, of `${id}.${timestamp}.${body}`. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** Whether a subscription wants an event. */
export function wants(sub: Pick<WebhookSubscription, 'eventTypes' | 'entityFilter'>, event: CloudEvent): boolean {
  if (sub.eventTypes.length > 0 && !sub.eventTypes.includes(event.type)) return false;
  if (sub.entityFilter.length === 0) return true;
  // Articles carry entity objects; newsletter items and digests carry entity ids.
  const data = (event.data ?? {}) as { entities?: Array<{ id: string } | string>; countries?: string[]; focus?: string[] };
  const entityIds = (data.entities ?? []).map((e) => (typeof e === 'string' ? e : e.id));
  const ids = new Set([...entityIds, ...(data.countries ?? []), ...(data.focus ?? [])]);
  return sub.entityFilter.some((id) => ids.has(id));
}

interface Row {
  id: string;
  url: string;
  secret: string;
  event_types: string[] | string;
  entity_filter: string[] | string;
  last_status: string | null;
  last_error: string | null;
  last_delivery_at: unknown;
}

const list = (v: string[] | string): string[] => (typeof v === 'string' ? (JSON.parse(v) as string[]) : v);

export class WebhookStore {
  constructor(private readonly db: Database) {}

  async add(sub: { url: string; secret: string; eventTypes: string[]; entityFilter: string[] }): Promise<WebhookSubscription> {
    const id = `wh_${randomBytes(6).toString('hex')}`;
    await this.db.query('INSERT INTO webhooks (id, url, secret, event_types, entity_filter) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)', [
      id,
      sub.url,
      sub.secret,
      JSON.stringify(sub.eventTypes),
      JSON.stringify(sub.entityFilter),
    ]);
    return { id, ...sub, lastStatus: null, lastError: null, lastDeliveryAt: null };
  }

  async remove(id: string): Promise<boolean> {
    const { rows } = await this.db.query<{ id: string }>('DELETE FROM webhooks WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  }

  async list(): Promise<WebhookSubscription[]> {
    const { rows } = await this.db.query<Row>('SELECT * FROM webhooks ORDER BY created_at, id');
    return rows.map((r) => ({
      id: r.id,
      url: r.url,
      secret: r.secret,
      eventTypes: list(r.event_types),
      entityFilter: list(r.entity_filter),
      lastStatus: r.last_status,
      lastError: r.last_error ?? null,
      lastDeliveryAt: r.last_delivery_at ? new Date(r.last_delivery_at as string).toISOString() : null,
    }));
  }

  async get(id: string): Promise<WebhookSubscription | null> {
    return (await this.list()).find((s) => s.id === id) ?? null;
  }

  /** Record a delivery's outcome: its status (or `error`), and why it failed. */
  async recordDelivery(id: string, status: string, error: string | null = null): Promise<void> {
    await this.db.query('UPDATE webhooks SET last_status = $2, last_error = $3, last_delivery_at = now() WHERE id = $1', [
      id,
      status,
      error,
    ]);
  }
}

/**
 * Hands each published event to every subscription that wants it. Subscriptions are re-read at
 * most every `refreshMs`, so a busy relay does not query them per event.
 */
export class WebhookFanOut {
  private cached: { at: number; subs: WebhookSubscription[] } = { at: 0, subs: [] };

  constructor(
    private readonly store: Pick<WebhookStore, 'list'>,
    private readonly deliver: (subscriptionId: string, event: CloudEvent) => Promise<void>,
    private readonly refreshMs = 5_000,
  ) {}

  async publish(event: CloudEvent): Promise<void> {
    if (Date.now() - this.cached.at > this.refreshMs) this.cached = { at: Date.now(), subs: await this.store.list() };
    for (const sub of this.cached.subs) if (wants(sub, event)) await this.deliver(sub.id, event);
  }
}
