-- Transactional outbox: an event row is written in the same transaction as the record it
-- announces; the relay publishes pending rows and marks them.
CREATE TABLE outbox (
  id           text PRIMARY KEY,
  type         text NOT NULL,
  event        jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  published_at timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (created_at) WHERE published_at IS NULL;
