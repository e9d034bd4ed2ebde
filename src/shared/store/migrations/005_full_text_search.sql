-- Full-text search over title (weight A) and body (weight B), stemmed by the article's language.
ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector(CASE language
      WHEN 'en' THEN 'english'::regconfig WHEN 'de' THEN 'german'::regconfig WHEN 'fr' THEN 'french'::regconfig
      WHEN 'es' THEN 'spanish'::regconfig WHEN 'it' THEN 'italian'::regconfig WHEN 'pt' THEN 'portuguese'::regconfig
      WHEN 'nl' THEN 'dutch'::regconfig WHEN 'ru' THEN 'russian'::regconfig ELSE 'simple'::regconfig END,
    coalesce(title, '')), 'A') ||
  setweight(to_tsvector(CASE language
      WHEN 'en' THEN 'english'::regconfig WHEN 'de' THEN 'german'::regconfig WHEN 'fr' THEN 'french'::regconfig
      WHEN 'es' THEN 'spanish'::regconfig WHEN 'it' THEN 'italian'::regconfig WHEN 'pt' THEN 'portuguese'::regconfig
      WHEN 'nl' THEN 'dutch'::regconfig WHEN 'ru' THEN 'russian'::regconfig ELSE 'simple'::regconfig END,
    body), 'B')
) STORED;
CREATE INDEX articles_search_idx ON articles USING gin (search);
CREATE INDEX articles_published_at_idx ON articles (published_at DESC);
