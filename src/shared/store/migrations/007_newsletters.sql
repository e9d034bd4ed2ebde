-- Newsletter topics: the articles each topic collected, and the digests that sent them.
CREATE TABLE newsletter_digests (
  id           text PRIMARY KEY,
  topic        text NOT NULL,
  period_start timestamptz NOT NULL,
  period_end   timestamptz NOT NULL,
  item_count   integer NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE newsletter_items (
  topic      text NOT NULL,
  article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  digest_id  text REFERENCES newsletter_digests (id),
  PRIMARY KEY (topic, article_id)
);
CREATE INDEX newsletter_items_pending_idx ON newsletter_items (topic, created_at) WHERE digest_id IS NULL;
