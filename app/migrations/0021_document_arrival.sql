-- How a document arrived when not through a person's browser, e.g.
-- „Scan-Ordner „Poststelle““ (issue 18). NULL for uploads. Shown beside
-- the person it was recorded for wherever the uploader is shown.
ALTER TABLE documents ADD COLUMN arrived_via TEXT;
