-- The Postkorb (issue 17): what waits for a person. A Wiedervorlage brings
-- a document or Vorgang back to someone on a day ("Wiedervorlage am …");
-- a Zuweisung puts it into a colleague's Postkorb with a note. Each is
-- about exactly one document or one Vorgang of the municipality.
CREATE TABLE wiedervorlagen (
    id              INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    document_id     INTEGER REFERENCES documents (id),
    vorgang_id      INTEGER REFERENCES vorgaenge (id),
    for_user_id     INTEGER NOT NULL REFERENCES users (id),
    due_on          TEXT NOT NULL,            -- YYYY-MM-DD, a day in Berlin
    reason          TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'done', 'cancelled')),
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    settled_by      INTEGER REFERENCES users (id),
    settled_at      INTEGER,
    CHECK ((document_id IS NULL) <> (vorgang_id IS NULL))
);

CREATE INDEX wiedervorlagen_person ON wiedervorlagen (for_user_id, status, due_on);
CREATE INDEX wiedervorlagen_document ON wiedervorlagen (document_id);
CREATE INDEX wiedervorlagen_vorgang ON wiedervorlagen (vorgang_id);

CREATE TABLE zuweisungen (
    id              INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    document_id     INTEGER REFERENCES documents (id),
    vorgang_id      INTEGER REFERENCES vorgaenge (id),
    to_user_id      INTEGER NOT NULL REFERENCES users (id),
    note            TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    done_at         INTEGER,
    CHECK ((document_id IS NULL) <> (vorgang_id IS NULL))
);

CREATE INDEX zuweisungen_person ON zuweisungen (to_user_id, status);
CREATE INDEX zuweisungen_document ON zuweisungen (document_id);
CREATE INDEX zuweisungen_vorgang ON zuweisungen (vorgang_id);
