-- The shared Aktenplan, its versions and change proposals, and the Akten
-- that the municipalities file under it.

CREATE TABLE plan_positions (
    id                INTEGER PRIMARY KEY,
    parent_id         INTEGER REFERENCES plan_positions (id),
    code              TEXT NOT NULL,
    sort_key          TEXT NOT NULL,          -- the code's digits: plan order
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    keywords          TEXT NOT NULL DEFAULT '', -- comma-separated
    retention_years   INTEGER CHECK (retention_years IS NULL OR retention_years BETWEEN 1 AND 200), -- NULL: dauernd
    retention_trigger TEXT NOT NULL DEFAULT 'aktenschluss' CHECK (retention_trigger IN ('aktenschluss', 'jahresende')),
    appraisal         TEXT NOT NULL CHECK (appraisal IN ('A', 'V', 'B')),
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

-- Codes are unique among active positions; an inactive position keeps its
-- code for old references.
CREATE UNIQUE INDEX plan_positions_active_code ON plan_positions (code) WHERE active = 1;
CREATE INDEX plan_positions_parent ON plan_positions (parent_id, sort_key);
CREATE INDEX plan_positions_code ON plan_positions (code);

-- Every code a position had before a move or renumbering, so that old
-- Aktenzeichen and links still resolve.
CREATE TABLE plan_code_history (
    id          INTEGER PRIMARY KEY,
    position_id INTEGER NOT NULL REFERENCES plan_positions (id),
    old_code    TEXT NOT NULL,
    new_code    TEXT NOT NULL,
    release_id  INTEGER REFERENCES plan_releases (id),
    at          INTEGER NOT NULL
);

CREATE INDEX plan_code_history_old ON plan_code_history (old_code);

-- Published plan versions. Version 1 is the initial plan.
CREATE TABLE plan_releases (
    id           INTEGER PRIMARY KEY,
    version      INTEGER NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    notes        TEXT NOT NULL DEFAULT '',
    published_at INTEGER NOT NULL,
    published_by INTEGER REFERENCES users (id)
);

-- Proposed changes (Abstimmung): proposed, commented, decided, published.
CREATE TABLE plan_proposals (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('new', 'rename', 'describe', 'move', 'retention', 'deactivate')),
    position_id    INTEGER REFERENCES plan_positions (id),
    payload        TEXT NOT NULL,            -- JSON: the wanted values
    justification  TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'rejected', 'published')),
    proposed_by    INTEGER NOT NULL REFERENCES users (id),
    proposed_at    INTEGER NOT NULL,
    decided_by     INTEGER REFERENCES users (id),
    decided_at     INTEGER,
    decision_note  TEXT,
    release_id     INTEGER REFERENCES plan_releases (id)
);

CREATE INDEX plan_proposals_status ON plan_proposals (status, proposed_at);

CREATE TABLE plan_proposal_comments (
    id          INTEGER PRIMARY KEY,
    proposal_id INTEGER NOT NULL REFERENCES plan_proposals (id),
    author_id   INTEGER NOT NULL REFERENCES users (id),
    at          INTEGER NOT NULL,
    text        TEXT NOT NULL
);

CREATE INDEX plan_proposal_comments_proposal ON plan_proposal_comments (proposal_id, at);

-- The changes each release made, for the readable diff and changelog.
CREATE TABLE plan_release_changes (
    id          INTEGER PRIMARY KEY,
    release_id  INTEGER NOT NULL REFERENCES plan_releases (id),
    proposal_id INTEGER REFERENCES plan_proposals (id),
    position_id INTEGER REFERENCES plan_positions (id),
    kind        TEXT NOT NULL,
    before      TEXT,                        -- JSON snapshot
    after       TEXT                         -- JSON snapshot
);

CREATE INDEX plan_release_changes_release ON plan_release_changes (release_id);

-- Case files. The Aktenzeichen is generated once and never reused.
CREATE TABLE akten (
    id              INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    position_id     INTEGER NOT NULL REFERENCES plan_positions (id),
    running_number  INTEGER NOT NULL,
    aktenzeichen    TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    opened_on       TEXT NOT NULL,           -- YYYY-MM-DD
    responsible     TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    closed_on       TEXT,
    retention_until TEXT,                    -- NULL while open, or when kept for ever
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    UNIQUE (municipality_id, position_id, running_number)
);

CREATE INDEX akten_position ON akten (position_id, municipality_id);

-- The next running number per position and municipality.
CREATE TABLE akten_counters (
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    position_id     INTEGER NOT NULL REFERENCES plan_positions (id),
    last_number     INTEGER NOT NULL,
    PRIMARY KEY (municipality_id, position_id)
);

-- Inter-municipal cooperation: an Akte shared with a named municipality.
CREATE TABLE akten_shares (
    akte_id         INTEGER NOT NULL REFERENCES akten (id),
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    shared_by       INTEGER NOT NULL REFERENCES users (id),
    shared_at       INTEGER NOT NULL,
    PRIMARY KEY (akte_id, municipality_id)
);
