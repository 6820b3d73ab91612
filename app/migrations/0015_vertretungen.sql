-- Vertretung (issue 17): a person is away from one day to another and a
-- colleague of the same municipality stands in. During that time the
-- deputy sees the absent person's Postkorb and acts for them; what they
-- do is recorded with both names ("i. V."). The days are Berlin days and
-- both ends belong to the absence. A cancelled absence stays as history.
CREATE TABLE vertretungen (
    id              INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    absent_user_id  INTEGER NOT NULL REFERENCES users (id),
    deputy_user_id  INTEGER NOT NULL REFERENCES users (id),
    starts_on       TEXT NOT NULL,            -- YYYY-MM-DD
    ends_on         TEXT NOT NULL,            -- YYYY-MM-DD
    note            TEXT NOT NULL DEFAULT '',
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    cancelled_by    INTEGER REFERENCES users (id),
    cancelled_at    INTEGER,
    CHECK (absent_user_id <> deputy_user_id),
    CHECK (starts_on <= ends_on)
);

CREATE INDEX vertretungen_deputy ON vertretungen (deputy_user_id, ends_on);
CREATE INDEX vertretungen_absent ON vertretungen (absent_user_id, ends_on);
