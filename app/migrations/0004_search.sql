-- Text extraction, OCR and the search index (issue 5).

-- The text found in one version: the database is the source of truth and the
-- tantivy index is rebuilt from this table whenever it is missing or broken.
CREATE TABLE version_texts (
    version_id   INTEGER PRIMARY KEY REFERENCES document_versions (id),
    text         TEXT NOT NULL,
    -- Pages (or sheets, slides) seen, and how many of them went through OCR.
    pages        INTEGER NOT NULL DEFAULT 0 CHECK (pages >= 0),
    ocr_pages    INTEGER NOT NULL DEFAULT 0 CHECK (ocr_pages >= 0),
    method       TEXT NOT NULL CHECK (method IN ('text', 'ocr', 'mixed', 'none')),
    extracted_at INTEGER NOT NULL
);

-- Retries wait: a failed attempt sets run_after into the future.
ALTER TABLE jobs ADD COLUMN run_after INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN started_at INTEGER;
ALTER TABLE jobs ADD COLUMN finished_at INTEGER;
CREATE INDEX jobs_due ON jobs (status, run_after, id);
CREATE INDEX jobs_version ON jobs (version_id);

-- Documents whose index entry is out of date. Triggers below append a row in
-- the same transaction as the change, so no change can be missed; the indexer
-- drains rows up to the highest id it has read after committing the index.
CREATE TABLE search_outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL
);

CREATE TRIGGER search_documents_insert AFTER INSERT ON documents
BEGIN
    INSERT INTO search_outbox (document_id) VALUES (NEW.id);
END;

CREATE TRIGGER search_documents_update AFTER UPDATE ON documents
BEGIN
    INSERT INTO search_outbox (document_id) VALUES (NEW.id);
END;

-- Emptying the trash deletes rows for good; the index must forget them too.
CREATE TRIGGER search_documents_delete AFTER DELETE ON documents
BEGIN
    INSERT INTO search_outbox (document_id) VALUES (OLD.id);
END;

CREATE TRIGGER search_tags_insert AFTER INSERT ON document_tags
BEGIN
    INSERT INTO search_outbox (document_id) VALUES (NEW.document_id);
END;

CREATE TRIGGER search_tags_delete AFTER DELETE ON document_tags
BEGIN
    INSERT INTO search_outbox (document_id) VALUES (OLD.document_id);
END;

CREATE TRIGGER search_versions_insert AFTER INSERT ON document_versions
BEGIN
    INSERT INTO search_outbox (document_id) VALUES (NEW.document_id);
END;

CREATE TRIGGER search_texts_insert AFTER INSERT ON version_texts
BEGIN
    INSERT INTO search_outbox (document_id)
    SELECT document_id FROM document_versions WHERE id = NEW.version_id;
END;

CREATE TRIGGER search_texts_update AFTER UPDATE ON version_texts
BEGIN
    INSERT INTO search_outbox (document_id)
    SELECT document_id FROM document_versions WHERE id = NEW.version_id;
END;

CREATE TRIGGER search_akten_update AFTER UPDATE ON akten
BEGIN
    INSERT INTO search_outbox (document_id)
    SELECT id FROM documents WHERE akte_id = NEW.id;
END;

CREATE TRIGGER search_shares_insert AFTER INSERT ON akten_shares
BEGIN
    INSERT INTO search_outbox (document_id)
    SELECT id FROM documents WHERE akte_id = NEW.akte_id;
END;

CREATE TRIGGER search_shares_delete AFTER DELETE ON akten_shares
BEGIN
    INSERT INTO search_outbox (document_id)
    SELECT id FROM documents WHERE akte_id = OLD.akte_id;
END;

-- A renamed or moved plan position changes the plan code and title stored
-- with every document filed under it.
CREATE TRIGGER search_positions_update AFTER UPDATE OF code, title ON plan_positions
BEGIN
    INSERT INTO search_outbox (document_id)
    SELECT d.id FROM documents d JOIN akten a ON a.id = d.akte_id WHERE a.position_id = NEW.id;
END;
