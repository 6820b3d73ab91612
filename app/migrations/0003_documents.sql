-- Documents, their versions and the content-addressed blobs behind them.

-- One row per stored content. The file lives at blobs/<aa>/<bb>/<sha256>;
-- a blob is written to disk before its row, so a row always has a file.
CREATE TABLE blobs (
    sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size       INTEGER NOT NULL CHECK (size >= 0),
    created_at INTEGER NOT NULL
);

CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    -- NULL while the document waits in the Posteingang.
    akte_id         INTEGER REFERENCES akten (id),
    title           TEXT NOT NULL,
    doc_type        TEXT NOT NULL DEFAULT 'eingang' CHECK (doc_type IN
                    ('eingang', 'ausgang', 'vermerk', 'bescheid', 'rechnung', 'vertrag', 'protokoll', 'sonstiges')),
    document_date   TEXT,                    -- YYYY-MM-DD
    correspondent   TEXT NOT NULL DEFAULT '',
    notes           TEXT NOT NULL DEFAULT '',
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    filed_at        INTEGER,
    trashed_at      INTEGER,
    trashed_by      INTEGER REFERENCES users (id)
);

CREATE INDEX documents_inbox ON documents (municipality_id, akte_id, trashed_at);
CREATE INDEX documents_akte ON documents (akte_id);

-- History is never rewritten: a restore adds a version.
CREATE TABLE document_versions (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    number      INTEGER NOT NULL,
    sha256      TEXT NOT NULL REFERENCES blobs (sha256),
    size        INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_by  INTEGER NOT NULL REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    UNIQUE (document_id, number)
);

CREATE INDEX document_versions_sha ON document_versions (sha256);

CREATE TRIGGER document_versions_no_update BEFORE UPDATE ON document_versions
BEGIN
    SELECT RAISE(ABORT, 'document_versions are append-only');
END;

CREATE TABLE document_tags (
    document_id INTEGER NOT NULL REFERENCES documents (id),
    tag         TEXT NOT NULL,
    PRIMARY KEY (document_id, tag)
);

CREATE INDEX document_tags_tag ON document_tags (tag);

-- Work for later (text extraction, OCR, thumbnails), written in the same
-- transaction as the version it is about.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    version_id  INTEGER REFERENCES document_versions (id),
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE INDEX jobs_pending ON jobs (status, id);
