-- Funktionen (issue 17): a role of the municipality that a Laufweg step
-- can be addressed to ("Bauamtsleitung", "Bürgermeister"), held by one or
-- more of its clerks; whoever holds it answers, and the step records who.
-- A removed Funktion stays for the steps that named it.
CREATE TABLE funktionen (
    id              INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    name            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    removed_at      INTEGER
);

CREATE UNIQUE INDEX funktionen_name ON funktionen (municipality_id, name) WHERE removed_at IS NULL;

CREATE TABLE funktion_mitglieder (
    funktion_id INTEGER NOT NULL REFERENCES funktionen (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (funktion_id, user_id)
);

CREATE INDEX funktion_mitglieder_user ON funktion_mitglieder (user_id);

-- A step now asks a person or a Funktion. SQLite cannot relax NOT NULL in
-- place, so the table is rebuilt with the same rows and ids.
CREATE TABLE laufweg_schritte_neu (
    id              INTEGER PRIMARY KEY,
    laufweg_id      INTEGER NOT NULL REFERENCES laufwege (id),
    stage           INTEGER NOT NULL CHECK (stage > 0),
    user_id         INTEGER REFERENCES users (id),
    funktion_id     INTEGER REFERENCES funktionen (id),
    kind            TEXT NOT NULL CHECK (kind IN ('kenntnis', 'mitzeichnung', 'freigabe')),
    state           TEXT NOT NULL
                    CHECK (state IN ('waiting', 'active', 'agreed', 'agreed_remark',
                                     'refused', 'noted', 'skipped')),
    remark          TEXT NOT NULL DEFAULT '',
    answered_by     INTEGER REFERENCES users (id),
    answered_at     INTEGER,
    approved_sha256 TEXT,
    CHECK ((user_id IS NULL) <> (funktion_id IS NULL))
);

INSERT INTO laufweg_schritte_neu (id, laufweg_id, stage, user_id, kind, state, remark, answered_by,
                                  answered_at, approved_sha256)
SELECT id, laufweg_id, stage, user_id, kind, state, remark, answered_by, answered_at, approved_sha256
FROM laufweg_schritte;

DROP TABLE laufweg_schritte;
ALTER TABLE laufweg_schritte_neu RENAME TO laufweg_schritte;

CREATE INDEX laufweg_schritte_person ON laufweg_schritte (user_id, state);
-- Partial: most steps ask a person, and an index full of NULLs looks
-- useless to the planner once ANALYZE has counted them.
CREATE INDEX laufweg_schritte_funktion ON laufweg_schritte (funktion_id, state)
    WHERE funktion_id IS NOT NULL;
CREATE INDEX laufweg_schritte_laufweg ON laufweg_schritte (laufweg_id, stage);
