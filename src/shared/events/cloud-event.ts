// CloudEvents 1.0 structured JSON envelopes for what downstream services consume.
import { createHash } from 'node:crypto';
import { schemaUri, type EventData, type EventType } from './event-data.js';

export type { EventType } from './event-data.js';

export interface CloudEvent<Data = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: EventType;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** The JSON Schema of `data`: `<NEWSLINE_SCHEMA_BASE><type>.json`, the `$id` of schemas/<type>.json. */
  dataschema: string;
  data: Data;
}

/** A UUID-shaped id derived from `parts`: the same record gives the same id on every retry. */
export function stableEventId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function cloudEvent<T extends EventType>(fields: {
  id: string;
  source: string;
  type: T;
  subject: string;
  time: string;
  /** Prefix of the schema URIs (NEWSLINE_SCHEMA_BASE). */
  schemaBase: string;
  data: EventData[T];
}): CloudEvent<EventData[T]> {
  const { schemaBase, ...rest } = fields;
  return { specversion: '1.0', datacontenttype: 'application/json', dataschema: schemaUri(schemaBase, fields.type), ...rest };
}
