-- The project team's voice: announcements (Neuigkeiten), the library of
-- Dienstanweisungen and Leitfäden, and questions to the project team with
-- the FAQ. Every read, acknowledgement, question and answer keeps its time,
-- so that a rollout dashboard can compute rates from real data.

CREATE TABLE announcements (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,                      -- Markdown
    pinned        INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    requires_ack  INTEGER NOT NULL DEFAULT 0 CHECK (requires_ack IN (0, 1)),
    publish_at    INTEGER NOT NULL,                   -- unix seconds, UTC
    expire_at     INTEGER,                            -- NULL: stays
    author_id     INTEGER NOT NULL REFERENCES users (id),
    author_name   TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    CHECK (expire_at IS NULL OR expire_at > publish_at)
);

CREATE INDEX announcements_publish ON announcements (publish_at);

-- No rows: every municipality (or every role).
CREATE TABLE announcement_municipalities (
    announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    PRIMARY KEY (announcement_id, municipality_id)
);

CREATE TABLE announcement_roles (
    announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    role            TEXT NOT NULL CHECK (role IN ('administration', 'projektteam', 'sachbearbeitung', 'schulung')),
    PRIMARY KEY (announcement_id, role)
);

-- Acknowledging implies reading: acknowledged_at is never set without read_at.
CREATE TABLE announcement_receipts (
    announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    read_at         INTEGER NOT NULL,
    acknowledged_at INTEGER,
    PRIMARY KEY (announcement_id, user_id)
);

CREATE INDEX announcement_receipts_user ON announcement_receipts (user_id);

-- Dienstanweisungen and Leitfäden, each with numbered versions.
CREATE TABLE guides (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('dienstanweisung', 'leitfaden')),
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    created_by  INTEGER NOT NULL REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE guide_versions (
    id            INTEGER PRIMARY KEY,
    guide_id      INTEGER NOT NULL REFERENCES guides (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    format        TEXT NOT NULL CHECK (format IN ('markdown', 'pdf')),
    body          TEXT,                               -- Markdown versions
    sha256        TEXT REFERENCES blobs (sha256),     -- PDF versions
    file_name     TEXT,
    size          INTEGER,
    change_note   TEXT NOT NULL DEFAULT '',
    requires_ack  INTEGER NOT NULL DEFAULT 0 CHECK (requires_ack IN (0, 1)),
    author_id     INTEGER NOT NULL REFERENCES users (id),
    author_name   TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (guide_id, number),
    CHECK ((format = 'markdown' AND body IS NOT NULL) OR (format = 'pdf' AND sha256 IS NOT NULL))
);

-- The screens a guide governs (keys from app::guides::SCREENS).
CREATE TABLE guide_screens (
    guide_id INTEGER NOT NULL REFERENCES guides (id) ON DELETE CASCADE,
    screen   TEXT NOT NULL,
    PRIMARY KEY (guide_id, screen)
);

CREATE INDEX guide_screens_screen ON guide_screens (screen);

CREATE TABLE guide_acknowledgements (
    version_id      INTEGER NOT NULL REFERENCES guide_versions (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id),
    acknowledged_at INTEGER NOT NULL,
    PRIMARY KEY (version_id, user_id)
);

-- Questions to the project team, answered in a thread.
CREATE TABLE questions (
    id                    INTEGER PRIMARY KEY,
    asker_id              INTEGER NOT NULL REFERENCES users (id),
    municipality_id       INTEGER NOT NULL REFERENCES municipalities (id),
    page_path             TEXT NOT NULL,
    status                TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
    created_at            INTEGER NOT NULL,
    first_answered_at     INTEGER,
    closed_at             INTEGER,
    -- The newest message the asker has seen; later team messages are news.
    asker_seen_message_id INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX questions_asker ON questions (asker_id);
CREATE INDEX questions_status ON questions (status);

CREATE TABLE question_messages (
    id          INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    author_id   INTEGER NOT NULL REFERENCES users (id),
    author_name TEXT NOT NULL,
    from_team   INTEGER NOT NULL CHECK (from_team IN (0, 1)),
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE INDEX question_messages_question ON question_messages (question_id, id);

CREATE TABLE faq_entries (
    id                 INTEGER PRIMARY KEY,
    question           TEXT NOT NULL,
    answer             TEXT NOT NULL,                 -- Markdown
    source_question_id INTEGER REFERENCES questions (id) ON DELETE SET NULL,
    created_by         INTEGER NOT NULL REFERENCES users (id),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
