-- Laufwege (issue 17): a document, usually a draft reply, goes to
-- colleagues in stages: zur Kenntnis, zur Mitzeichnung, zur Freigabe.
-- Steps of one stage run side by side; the next stage starts when all of
-- them agreed; a refusal sends the Laufweg back to the one who started it.
-- Everyone is asked about one version, named by its hash; a Freigabe
-- stores the hash it approved.
CREATE TABLE laufwege (
    id              INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    document_id     INTEGER NOT NULL REFERENCES documents (id),
    version_number  INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    title           TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'completed', 'returned', 'cancelled')),
    started_by      INTEGER NOT NULL REFERENCES users (id),
    started_at      INTEGER NOT NULL,
    ended_at        INTEGER,
    -- The starter has seen that it came back (it leaves their Postkorb).
    return_seen     INTEGER NOT NULL DEFAULT 0 CHECK (return_seen IN (0, 1))
);

CREATE INDEX laufwege_document ON laufwege (document_id);
CREATE INDEX laufwege_starter ON laufwege (started_by, status);

CREATE TABLE laufweg_schritte (
    id              INTEGER PRIMARY KEY,
    laufweg_id      INTEGER NOT NULL REFERENCES laufwege (id),
    stage           INTEGER NOT NULL CHECK (stage > 0),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    kind            TEXT NOT NULL CHECK (kind IN ('kenntnis', 'mitzeichnung', 'freigabe')),
    state           TEXT NOT NULL
                    CHECK (state IN ('waiting', 'active', 'agreed', 'agreed_remark',
                                     'refused', 'noted', 'skipped')),
    remark          TEXT NOT NULL DEFAULT '',
    answered_by     INTEGER REFERENCES users (id),
    answered_at     INTEGER,
    -- A Freigabe: the hash of the version it approved.
    approved_sha256 TEXT
);

CREATE INDEX laufweg_schritte_person ON laufweg_schritte (user_id, state);
CREATE INDEX laufweg_schritte_laufweg ON laufweg_schritte (laufweg_id, stage);
