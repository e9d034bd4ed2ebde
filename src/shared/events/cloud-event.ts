// CloudEvents 1.0 structured JSON envelopes for what downstream services consume.
import { createHash } from 'node:crypto';

export type EventType =
  | 'news.article.stored'
  | 'news.article.updated'
  | 'news.article.duplicate'
  | 'news.newsletter.item'
  | 'news.newsletter.digest';

export interface CloudEvent<Data = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: EventType;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** The JSON Schema of `data` (schemas/<type>.json in the repository). */
  dataschema: string;
  data: Data;
}

/** A UUID-shaped id derived from `parts`: the same record gives the same id on every retry. */
export function stableEventId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Where a type's schema is published: `<base><type>.json`. */
export function schemaUri(base: string, type: EventType): string {
  return `${base}${type}.json`;
}

export function cloudEvent<Data>(fields: {
  id: string;
  source: string;
  type: EventType;
  subject: string;
  time: string;
  /** Prefix of the schema URIs (NEWSLINE_SCHEMA_BASE). */
  schemaBase: string;
  data: Data;
}): CloudEvent<Data> {
  const { schemaBase, ...rest } = fields;
  return { specversion: '1.0', datacontenttype: 'application/json', dataschema: schemaUri(schemaBase, fields.type), ...rest };
}
