-- How a source's URL was arrived at when it was registered: given, link-alternate or robots-sitemap.
ALTER TABLE sources ADD COLUMN detected_via text NOT NULL DEFAULT 'given';
