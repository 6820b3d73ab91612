-- Filing suggestions (issue 18): for a document in the Posteingang, the
-- (at most three) Akten Aktenwerk suggested, or plan positions when the
-- municipality has filed nothing like it yet, with the German explanation
-- shown. Kept as shown, so the rollout dashboard can report how often a
-- suggestion was followed: followed when the document now lies in it.
CREATE TABLE ablagevorschlaege (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    rang        INTEGER NOT NULL CHECK (rang BETWEEN 1 AND 3),
    akte_id     INTEGER REFERENCES akten (id),
    -- „621.1 Bauanträge“ for a plan position (no Akte yet).
    plan        TEXT,
    erklaerung  TEXT NOT NULL,
    erstellt_am INTEGER NOT NULL,
    CHECK ((akte_id IS NULL) != (plan IS NULL)),
    UNIQUE (document_id, rang)
);
