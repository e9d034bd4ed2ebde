-- What a source's last crawl read: the documents (the source and its child sitemaps) and how many
-- of them failed, so one broken child shows without hiding what the others listed.
ALTER TABLE sources ADD COLUMN last_documents integer NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN last_failed_documents integer NOT NULL DEFAULT 0;
