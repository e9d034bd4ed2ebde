-- News sources crawled on a schedule: feeds, sitemaps and section pages.
CREATE TABLE sources (
  id             text PRIMARY KEY,
  url            text NOT NULL UNIQUE,
  name           text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('feed', 'sitemap', 'sitemap-index', 'page')),
  every_ms       integer,
  cron           text,
  tz             text NOT NULL DEFAULT 'UTC',
  etag           text,
  last_modified  text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_run_at    timestamptz,
  last_status    text,
  last_new_urls  integer NOT NULL DEFAULT 0,
  total_new_urls integer NOT NULL DEFAULT 0,
  runs           integer NOT NULL DEFAULT 0,
  errors         integer NOT NULL DEFAULT 0,
  last_error     text
);
