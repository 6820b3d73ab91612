-- Postfächer (issue 18): IMAP mailboxes of a municipality (its Poststelle)
-- whose new messages become documents in the Posteingang (or the Akte
-- named here), recorded in the name of the responsible clerk. The
-- password is stored sealed (app/src/secrets.rs), never in clear.
CREATE TABLE postfaecher (
    id              INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    name            TEXT NOT NULL,
    host            TEXT NOT NULL,
    port            INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    -- 'tls': TLS from the first byte (port 993); 'keine': only for a
    -- server on this machine (checked by the use case).
    encryption      TEXT NOT NULL CHECK (encryption IN ('tls', 'keine')),
    login           TEXT NOT NULL,
    password_sealed TEXT NOT NULL,
    folder          TEXT NOT NULL,
    -- What happens to a message on the server once it is a document.
    after_import    TEXT NOT NULL CHECK (after_import IN ('markieren', 'verschieben', 'loeschen')),
    move_to         TEXT,
    responsible_id  INTEGER NOT NULL REFERENCES users (id),
    akte_id         INTEGER REFERENCES akten (id),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    -- The folder's UIDVALIDITY as last seen: UIDs are only compared
    -- within it.
    uidvalidity     INTEGER,
    last_checked_at INTEGER,
    -- Why the last fetch failed (German), NULL once one succeeds.
    last_error      TEXT,
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    CHECK ((after_import = 'verschieben') = (move_to IS NOT NULL))
);

CREATE UNIQUE INDEX postfaecher_name ON postfaecher (municipality_id, name) WHERE active = 1;

-- Every message taken from a Postfach, by (UIDVALIDITY, UID): noted
-- ('taking') before it is stored, then 'stored' with its document,
-- 'duplicate' when the same message (same bytes) was stored before (after
-- a UIDVALIDITY change, or uploaded by hand), or 'refused' with the reason
-- (a broken message is reported once, never fetched again).
CREATE TABLE postfach_nachrichten (
    id           INTEGER PRIMARY KEY,
    postfach_id  INTEGER NOT NULL REFERENCES postfaecher (id),
    uidvalidity  INTEGER NOT NULL,
    uid          INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    size         INTEGER NOT NULL,
    subject      TEXT NOT NULL,
    sender       TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('taking', 'stored', 'duplicate', 'refused')),
    -- Not a foreign key: the ledger outlives a document destroyed from the
    -- trash, so its message is not fetched again.
    document_id  INTEGER,
    refusal      TEXT,
    -- Tries to store it; storage failing three times refuses it.
    attempts     INTEGER NOT NULL DEFAULT 1,
    -- The after-import step (flag, move, delete) was done on the server.
    settled      INTEGER NOT NULL DEFAULT 0 CHECK (settled IN (0, 1)),
    taken_at     INTEGER NOT NULL,
    CHECK ((outcome = 'refused') = (refusal IS NOT NULL)),
    UNIQUE (postfach_id, uidvalidity, uid)
);

CREATE INDEX postfach_nachrichten_content ON postfach_nachrichten (postfach_id, sha256);
CREATE INDEX postfach_nachrichten_recent ON postfach_nachrichten (postfach_id, taken_at);

-- A message's attachments, each its own document (in the same Posteingang
-- or Akte); an attachment the municipality already held is linked, not
-- stored again. Refused attachments (a type Aktenwerk does not accept)
-- are listed with the reason: they stay inside the stored message.
-- `document_id` is the message; the rows go when it is destroyed. The
-- attachment is no foreign key: it may be destroyed on its own, and is
-- then shown as gone.
CREATE TABLE dokument_anhaenge (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    position    INTEGER NOT NULL,
    file_name   TEXT NOT NULL,
    anhang_id   INTEGER,
    refusal     TEXT,
    CHECK ((anhang_id IS NULL) != (refusal IS NULL)),
    UNIQUE (document_id, position)
);

CREATE INDEX dokument_anhaenge_anhang ON dokument_anhaenge (anhang_id);
