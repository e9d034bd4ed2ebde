-- Webhook subscriptions: where to POST which events, signed with the subscription's secret.
CREATE TABLE webhooks (
  id               text PRIMARY KEY,
  url              text NOT NULL,
  secret           text NOT NULL,
  event_types      jsonb NOT NULL DEFAULT '[]',
  entity_filter    jsonb NOT NULL DEFAULT '[]',
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_status      text,
  last_delivery_at timestamptz
);
