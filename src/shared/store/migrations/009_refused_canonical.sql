-- A page's declared canonical that was not believed (another site's URL): the record keeps its
-- fetched URL, and says what the page claimed.
ALTER TABLE articles ADD COLUMN refused_canonical text;
