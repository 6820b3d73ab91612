-- Training sessions (Schulungstermine): the project team schedules them,
-- staff register, a waiting list moves up, the trainer marks attendance.
-- Times are Unix seconds (UTC); pages and calendar files show them in
-- Europe/Berlin.

CREATE TABLE training_sessions (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    trainer       TEXT NOT NULL DEFAULT '',
    starts_at     INTEGER NOT NULL,
    ends_at       INTEGER NOT NULL,
    place         TEXT NOT NULL DEFAULT '',
    video_url     TEXT NOT NULL DEFAULT '',
    capacity      INTEGER NOT NULL CHECK (capacity >= 1),
    -- Raised on every change, so calendars replace their copy (iCalendar SEQUENCE).
    revision      INTEGER NOT NULL DEFAULT 0,
    cancelled_at  INTEGER,
    cancel_reason TEXT,
    created_by    INTEGER NOT NULL REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (place <> '' OR video_url <> '')
);

CREATE INDEX training_sessions_start ON training_sessions (starts_at);

-- No rows: the session is meant for all municipalities.
CREATE TABLE training_session_municipalities (
    session_id      INTEGER NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    PRIMARY KEY (session_id, municipality_id)
);

-- No rows: the session is meant for all roles.
CREATE TABLE training_session_roles (
    session_id INTEGER NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('administration', 'projektteam', 'sachbearbeitung', 'schulung')),
    PRIMARY KEY (session_id, role)
);

-- One row per person and session. The waiting list is ordered by id (the
-- order of registration); positions are counted, never stored, so they are
-- always 1, 2, 3, ... without gaps.
CREATE TABLE training_registrations (
    id                 INTEGER PRIMARY KEY,
    session_id         INTEGER NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    user_id            INTEGER NOT NULL REFERENCES users (id),
    status             TEXT NOT NULL CHECK (status IN ('confirmed', 'waiting')),
    registered_at      INTEGER NOT NULL,
    -- Set when the person moved up from the waiting list; the notice is shown
    -- on their next visit until they dismiss it.
    promoted_at        INTEGER,
    promotion_seen     INTEGER NOT NULL DEFAULT 1 CHECK (promotion_seen IN (0, 1)),
    attendance         TEXT CHECK (attendance IN ('attended', 'absent')),
    attendance_by      INTEGER REFERENCES users (id),
    attendance_at      INTEGER,
    UNIQUE (session_id, user_id),
    CHECK (attendance IS NULL OR status = 'confirmed')
);

CREATE INDEX training_registrations_user ON training_registrations (user_id);
CREATE INDEX training_registrations_queue ON training_registrations (session_id, status, id);
