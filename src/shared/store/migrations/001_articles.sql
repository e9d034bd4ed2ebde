-- Articles, their entities, and sightings of copies.
CREATE TABLE articles (
  id            text PRIMARY KEY,
  url           text NOT NULL,
  canonical_url text NOT NULL UNIQUE,
  final_url     text NOT NULL,
  title         text,
  authors       jsonb NOT NULL DEFAULT '[]',
  published_at  timestamptz,
  modified_at   timestamptz,
  description   text,
  language      text,
  site_name     text,
  image         text,
  body          text NOT NULL,
  word_count    integer NOT NULL,
  content_hash  text NOT NULL,
  fetched_at    timestamptz NOT NULL,
  stored_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX articles_content_hash_idx ON articles (content_hash);
CREATE INDEX articles_stored_at_idx ON articles (stored_at DESC);

CREATE TABLE article_entities (
  article_id   text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  entity_id    text NOT NULL,
  qid          text NOT NULL,
  type         text NOT NULL,
  name         text NOT NULL,
  mentions     integer NOT NULL,
  first_offset integer NOT NULL,
  PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX article_entities_entity_idx ON article_entities (entity_id);

-- A submission found to repeat a stored article: its own id is the request id.
CREATE TABLE sightings (
  id         text PRIMARY KEY,
  article_id text NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  url        text NOT NULL,
  final_url  text NOT NULL,
  method     text NOT NULL CHECK (method IN ('url', 'exact', 'near')),
  similarity real NOT NULL,
  seen_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sightings_article_idx ON sightings (article_id);
