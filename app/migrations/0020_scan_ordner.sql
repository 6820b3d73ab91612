-- Scan-Ordner (issue 18): folders the network scanners of a municipality
-- write into. Each belongs to one municipality, is named by its
-- Administration and lies at <scan directory>/<municipality code>/<name>
-- on the server. What arrives there becomes a document in the
-- Posteingang (or in the Akte named here), uploaded in the name of the
-- clerk responsible for the folder.
CREATE TABLE scan_ordner (
    id              INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    name            TEXT NOT NULL,
    responsible_id  INTEGER NOT NULL REFERENCES users (id),
    akte_id         INTEGER REFERENCES akten (id),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL
);

-- One folder name per municipality among the folders in use.
CREATE UNIQUE INDEX scan_ordner_name ON scan_ordner (municipality_id, name) WHERE active = 1;

-- Every file taken from a Scan-Ordner: noted ('taking') before it is
-- stored, then 'stored' with its document or 'refused' with the reason.
-- A file found again after a crash between storing and removing it is the
-- municipality's duplicate of a document this folder was taking: it is
-- then only removed, never stored a second time.
CREATE TABLE scan_dateien (
    id          INTEGER PRIMARY KEY,
    ordner_id   INTEGER NOT NULL REFERENCES scan_ordner (id),
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('taking', 'stored', 'refused')),
    -- The document it became (gone once that is destroyed from the trash).
    document_id INTEGER REFERENCES documents (id) ON DELETE SET NULL,
    -- Why the file went into quarantine (German, as in the reason file).
    refusal     TEXT,
    taken_at    INTEGER NOT NULL,
    CHECK ((outcome = 'refused') = (refusal IS NOT NULL))
);

CREATE INDEX scan_dateien_file ON scan_dateien (ordner_id, sha256);
CREATE INDEX scan_dateien_recent ON scan_dateien (ordner_id, taken_at);
