-- Section, tags and the paywall flag from extraction.
ALTER TABLE articles ADD COLUMN section text;
ALTER TABLE articles ADD COLUMN tags jsonb NOT NULL DEFAULT '[]';
ALTER TABLE articles ADD COLUMN is_accessible_for_free boolean;
