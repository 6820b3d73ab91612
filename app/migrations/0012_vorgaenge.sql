-- Vorgänge (issue 17): an Akte holds Vorgänge, a Vorgang holds documents
-- (Akte → Vorgang → Dokument, as in xdomea). A Vorgang is numbered within
-- its Akte ("MIC 621.1-0007/3"); numbers are never reused.
CREATE TABLE vorgaenge (
    id              INTEGER PRIMARY KEY,
    akte_id         INTEGER NOT NULL REFERENCES akten (id),
    -- The Akte's municipality, kept here so that visibility needs no join.
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    number          INTEGER NOT NULL CHECK (number > 0),
    zeichen         TEXT NOT NULL UNIQUE,    -- Aktenzeichen/number
    title           TEXT NOT NULL,
    responsible_id  INTEGER NOT NULL REFERENCES users (id),
    status          TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'in_progress', 'closed')),
    opened_on       TEXT NOT NULL,           -- YYYY-MM-DD
    closed_on       TEXT,                    -- zdA, YYYY-MM-DD
    retention_until TEXT,                    -- NULL while open, or when kept for ever
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    UNIQUE (akte_id, number)
);

CREATE INDEX vorgaenge_responsible ON vorgaenge (responsible_id, status);

-- The last Vorgang number per Akte.
CREATE TABLE vorgang_counters (
    akte_id     INTEGER PRIMARY KEY REFERENCES akten (id),
    last_number INTEGER NOT NULL
);

-- A document filed into a Vorgang stays filed in the Vorgang's Akte
-- (akte_id), so everything that finds documents by Akte keeps working.
ALTER TABLE documents ADD COLUMN vorgang_id INTEGER REFERENCES vorgaenge (id);
CREATE INDEX documents_vorgang ON documents (vorgang_id);

CREATE TRIGGER documents_vorgang_in_akte_insert
BEFORE INSERT ON documents
WHEN NEW.vorgang_id IS NOT NULL
 AND NEW.akte_id IS NOT (SELECT akte_id FROM vorgaenge WHERE id = NEW.vorgang_id)
BEGIN
    SELECT RAISE(ABORT, 'document vorgang outside its akte');
END;

CREATE TRIGGER documents_vorgang_in_akte_update
BEFORE UPDATE OF akte_id, vorgang_id ON documents
WHEN NEW.vorgang_id IS NOT NULL
 AND NEW.akte_id IS NOT (SELECT akte_id FROM vorgaenge WHERE id = NEW.vorgang_id)
BEGIN
    SELECT RAISE(ABORT, 'document vorgang outside its akte');
END;
