-- Municipalities, users, sessions, login throttling and the audit log.

CREATE TABLE municipalities (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL UNIQUE,
    coordinating INTEGER NOT NULL DEFAULT 0 CHECK (coordinating IN (0, 1))
);

INSERT INTO municipalities (id, code, name, coordinating) VALUES
    (1, 'MIC', 'Michelstadt', 1),
    (2, 'ERB', 'Erbach', 0),
    (3, 'OBZ', 'Oberzent', 0),
    (4, 'BRO', 'Brombachtal', 0);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,          -- always lower case
    display_name         TEXT NOT NULL,
    email                TEXT,
    municipality_id      INTEGER NOT NULL REFERENCES municipalities (id),
    role                 TEXT NOT NULL CHECK (role IN ('administration', 'projektteam', 'sachbearbeitung', 'schulung')),
    all_municipalities   INTEGER NOT NULL DEFAULT 0 CHECK (all_municipalities IN (0, 1)),
    password_hash        TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    last_login_at        INTEGER
);

CREATE INDEX users_municipality ON users (municipality_id);

-- Only a keyed hash of the session token is stored.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    ip           TEXT,
    user_agent   TEXT
);

CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_failures (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
);

CREATE INDEX login_failures_key_at ON login_failures (key, at);

-- Append-only and hash-chained: every entry carries the hash of the one
-- before it, so an edited or removed entry breaks the chain.
CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,      -- unix seconds, UTC
    actor_user_id   INTEGER,
    actor_name      TEXT NOT NULL,
    municipality_id INTEGER,
    action          TEXT NOT NULL,
    object_type     TEXT NOT NULL,
    object_id       TEXT,
    details         TEXT NOT NULL,         -- JSON
    ip              TEXT,
    prev_hash       TEXT NOT NULL,
    hash            TEXT NOT NULL UNIQUE
);

CREATE INDEX audit_log_municipality ON audit_log (municipality_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
