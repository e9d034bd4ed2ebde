-- The search vector reads the title and the first 100,000 characters of the body, so no article can
-- exceed PostgreSQL's 1 MB tsvector limit (100,000 characters are at most 400 KB of lexemes, and a
-- lexeme keeps at most 256 positions); the stored body itself is capped by the store.
DROP INDEX IF EXISTS articles_search_idx;
ALTER TABLE articles DROP COLUMN search;
ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector(CASE language
      WHEN 'en' THEN 'english'::regconfig WHEN 'de' THEN 'german'::regconfig WHEN 'fr' THEN 'french'::regconfig
      WHEN 'es' THEN 'spanish'::regconfig WHEN 'it' THEN 'italian'::regconfig WHEN 'pt' THEN 'portuguese'::regconfig
      WHEN 'nl' THEN 'dutch'::regconfig WHEN 'ru' THEN 'russian'::regconfig ELSE 'simple'::regconfig END,
    left(coalesce(title, ''), 1000)), 'A') ||
  setweight(to_tsvector(CASE language
      WHEN 'en' THEN 'english'::regconfig WHEN 'de' THEN 'german'::regconfig WHEN 'fr' THEN 'french'::regconfig
      WHEN 'es' THEN 'spanish'::regconfig WHEN 'it' THEN 'italian'::regconfig WHEN 'pt' THEN 'portuguese'::regconfig
      WHEN 'nl' THEN 'dutch'::regconfig WHEN 'ru' THEN 'russian'::regconfig ELSE 'simple'::regconfig END,
    left(body, 100000)), 'B')
) STORED;
CREATE INDEX articles_search_idx ON articles USING gin (search);
