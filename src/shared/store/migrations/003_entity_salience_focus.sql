-- Entity salience, and the countries an article mentions and is about.
ALTER TABLE article_entities ADD COLUMN salience real NOT NULL DEFAULT 0;
ALTER TABLE article_entities ALTER COLUMN qid DROP NOT NULL;
ALTER TABLE articles ADD COLUMN countries jsonb NOT NULL DEFAULT '[]';
ALTER TABLE articles ADD COLUMN focus jsonb NOT NULL DEFAULT '[]';
CREATE INDEX articles_focus_idx ON articles USING gin (focus);
