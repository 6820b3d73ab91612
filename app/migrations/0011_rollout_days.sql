-- The rollout dashboard's summary (issue 16): per real municipality and day
-- (Europe/Berlin) what the events behind its figures add up to, so that a
-- year of the dashboard no longer reads every document, filing and page.
-- The use cases keep it in their own transactions (app/src/rollout_days.rs,
-- which explains the rules); the levels (Posteingang, waiting questions)
-- are stored as changes, the level at a day's start being the sum of all
-- changes before it.
CREATE TABLE rollout_days (
    day                   TEXT NOT NULL,      -- YYYY-MM-DD, Europe/Berlin
    municipality_id       INTEGER NOT NULL REFERENCES municipalities (id),
    uploaded              INTEGER NOT NULL DEFAULT 0,
    filed                 INTEGER NOT NULL DEFAULT 0,
    inbox_change          INTEGER NOT NULL DEFAULT 0,
    pages                 INTEGER NOT NULL DEFAULT 0,
    ocr_pages             INTEGER NOT NULL DEFAULT 0,
    tours_finished        INTEGER NOT NULL DEFAULT 0,
    attended              INTEGER NOT NULL DEFAULT 0,
    questions_asked       INTEGER NOT NULL DEFAULT 0,
    questions_open_change INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, municipality_id)
);

-- A document's upload and filings, read whenever a use case changes it.
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);

-- Days of use, one row per person, municipality and year: bit b of word
-- w is day 64 * w + b + 1 of the year. Different people per week or range
-- cannot be added up from daily counts; a year of the dashboard reads a
-- few hundred of these rows instead of a row per person and day. Triggers
-- keep it in step with user_activity_days, the record itself.
CREATE TABLE user_activity_years (
    user_id         INTEGER NOT NULL REFERENCES users (id),
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    year            INTEGER NOT NULL,
    w0              INTEGER NOT NULL DEFAULT 0,
    w1              INTEGER NOT NULL DEFAULT 0,
    w2              INTEGER NOT NULL DEFAULT 0,
    w3              INTEGER NOT NULL DEFAULT 0,
    w4              INTEGER NOT NULL DEFAULT 0,
    w5              INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (year, municipality_id, user_id)
);

CREATE TRIGGER user_activity_days_into_years AFTER INSERT ON user_activity_days
BEGIN
    INSERT INTO user_activity_years (user_id, municipality_id, year, w0, w1, w2, w3, w4, w5)
    SELECT NEW.user_id, NEW.municipality_id, CAST(substr(NEW.day, 1, 4) AS INTEGER),
           (doy / 64 = 0) << (doy % 64), (doy / 64 = 1) << (doy % 64),
           (doy / 64 = 2) << (doy % 64), (doy / 64 = 3) << (doy % 64),
           (doy / 64 = 4) << (doy % 64), (doy / 64 = 5) << (doy % 64)
    FROM (SELECT CAST(strftime('%j', NEW.day) AS INTEGER) - 1 AS doy) WHERE true
    ON CONFLICT (year, municipality_id, user_id) DO UPDATE SET
        w0 = w0 | excluded.w0, w1 = w1 | excluded.w1, w2 = w2 | excluded.w2,
        w3 = w3 | excluded.w3, w4 = w4 | excluded.w4, w5 = w5 | excluded.w5;
END;

CREATE TRIGGER user_activity_days_out_of_years AFTER DELETE ON user_activity_days
BEGIN
    UPDATE user_activity_years SET
        w0 = w0 & ~((doy / 64 = 0) << (doy % 64)), w1 = w1 & ~((doy / 64 = 1) << (doy % 64)),
        w2 = w2 & ~((doy / 64 = 2) << (doy % 64)), w3 = w3 & ~((doy / 64 = 3) << (doy % 64)),
        w4 = w4 & ~((doy / 64 = 4) << (doy % 64)), w5 = w5 & ~((doy / 64 = 5) << (doy % 64))
    FROM (SELECT CAST(strftime('%j', OLD.day) AS INTEGER) - 1 AS doy)
    WHERE year = CAST(substr(OLD.day, 1, 4) AS INTEGER)
      AND municipality_id = OLD.municipality_id AND user_id = OLD.user_id;
END;

-- Filling both tables from the rows recorded so far, by the same rules as
-- the shares in app/src/rollout_days.rs. Tests and the benchmark run the
-- statements after the next line again on emptied tables
-- (rollout_days::refill).
-- rollout_days: refill

-- The days of use recorded so far, as bits. Each day occurs once per
-- person (the key of user_activity_days), so the sum of the bits is their OR.
INSERT INTO user_activity_years (user_id, municipality_id, year, w0, w1, w2, w3, w4, w5)
SELECT user_id, municipality_id, year,
       SUM((doy / 64 = 0) << (doy % 64)), SUM((doy / 64 = 1) << (doy % 64)),
       SUM((doy / 64 = 2) << (doy % 64)), SUM((doy / 64 = 3) << (doy % 64)),
       SUM((doy / 64 = 4) << (doy % 64)), SUM((doy / 64 = 5) << (doy % 64))
FROM (SELECT user_id, municipality_id, CAST(substr(day, 1, 4) AS INTEGER) AS year,
             CAST(strftime('%j', day) AS INTEGER) - 1 AS doy
      FROM user_activity_days)
GROUP BY year, municipality_id, user_id;

-- Summer time in Berlin (UTC+2) runs from 01:00 UTC on the last Sunday of
-- March to 01:00 UTC on the last Sunday of October (the EU rule since
-- 1996); the rest of the year is UTC+1.
CREATE TEMP TABLE berlin_summer (starts INTEGER PRIMARY KEY, ends INTEGER NOT NULL);
WITH RECURSIVE years (year) AS (SELECT 1996 UNION ALL SELECT year + 1 FROM years WHERE year < 2199)
INSERT INTO berlin_summer (starts, ends)
SELECT CAST(strftime('%s', date(year || '-03-25', 'weekday 0')) AS INTEGER) + 3600,
       CAST(strftime('%s', date(year || '-10-25', 'weekday 0')) AS INTEGER) + 3600
FROM years;

-- One row per thing that counts: when, where, which column, how much.
CREATE TEMP TABLE rollout_events (
    at              INTEGER NOT NULL,
    municipality_id INTEGER NOT NULL,
    what            TEXT NOT NULL,
    amount          INTEGER NOT NULL
);

-- Uploads, from the append-only audit log.
INSERT INTO rollout_events (at, municipality_id, what, amount)
SELECT at, municipality_id, 'uploaded', 1 FROM audit_log
WHERE action = 'document_uploaded' AND object_type = 'document' AND municipality_id IS NOT NULL;

-- Each document's first filing: its earliest filing entry, or its upload
-- straight into an Akte.
CREATE TEMP TABLE first_filings (
    document_id     INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    municipality_id INTEGER
);
INSERT INTO first_filings (document_id, at, municipality_id)
SELECT CAST(object_id AS INTEGER), MIN(at), municipality_id FROM audit_log
WHERE object_type = 'document'
  AND (action = 'document_filed'
       OR (action = 'document_uploaded' AND json_extract(details, '$.akte_id') IS NOT NULL))
GROUP BY CAST(object_id AS INTEGER);

INSERT INTO rollout_events (at, municipality_id, what, amount)
SELECT at, municipality_id, 'filed', 1 FROM first_filings WHERE municipality_id IS NOT NULL;

-- The Posteingang: every existing document enters on its upload day and
-- leaves at its first filing (rows older than the audit log: the filing
-- column) or in the trash, whichever came first.
INSERT INTO rollout_events (at, municipality_id, what, amount)
SELECT created_at, municipality_id, 'inbox_change', 1 FROM documents;

INSERT INTO rollout_events (at, municipality_id, what, amount)
SELECT CASE WHEN filed IS NULL THEN trashed_at
            WHEN trashed_at IS NULL THEN filed
            ELSE MIN(filed, trashed_at) END,
       municipality_id, 'inbox_change', -1
FROM (SELECT d.municipality_id, d.trashed_at, COALESCE(f.at, d.filed_at) AS filed
      FROM documents d LEFT JOIN first_filings f ON f.document_id = d.id)
WHERE filed IS NOT NULL OR trashed_at IS NOT NULL;

-- Pages found, on the day of their extraction.
INSERT INTO rollout_events (at, municipality_id, what, amount)
SELECT t.extracted_at, d.municipality_id, 'pages', t.pages
FROM version_texts t
JOIN document_versions v ON v.id = t.version_id
JOIN documents d ON d.id = v.document_id;

INSERT INTO rollout_events (at, municipality_id, what, amount)
SELECT t.extracted_at, d.municipality_id, 'ocr_pages', t.ocr_pages
FROM version_texts t
JOIN document_versions v ON v.id = t.version_id
JOIN documents d ON d.id = v.document_id;

-- People count in their home municipality: finished walkthroughs,
-- attended sessions (on the session's day), questions asked.
INSERT INTO rollout_events (at, municipality_id, what, amount)
SELECT COALESCE(r.ended_at, r.updated_at), u.municipality_id, 'tours_finished', 1
FROM tour_runs r JOIN users u ON u.id = r.user_id
WHERE r.status = 'finished';

INSERT INTO rollout_events (at, municipality_id, what, amount)
SELECT s.starts_at, u.municipality_id, 'attended', 1
FROM training_registrations r
JOIN training_sessions s ON s.id = r.session_id
JOIN users u ON u.id = r.user_id
WHERE r.attendance = 'attended';

INSERT INTO rollout_events (at, municipality_id, what, amount)
SELECT q.created_at, u.municipality_id, 'questions_asked', 1
FROM questions q JOIN users u ON u.id = q.asker_id;

-- A question waits from when it is asked, and again from every message of
-- the asker that follows one of the team's, until the team's next message;
-- the last wait ends when the question was closed during it, or not yet.
CREATE TEMP TABLE waits AS
WITH thread AS (
    SELECT question_id, id, from_team, created_at,
           LAG(from_team) OVER (PARTITION BY question_id ORDER BY id) AS previous_from_team
    FROM question_messages
),
begins AS (
    SELECT id AS question_id, 0 AS message_id, created_at AS at FROM questions
    UNION ALL
    SELECT question_id, id, created_at FROM thread WHERE from_team = 0 AND previous_from_team = 1
)
SELECT b.question_id, b.at AS begins,
       (SELECT t.created_at FROM question_messages t
        WHERE t.question_id = b.question_id AND t.from_team = 1 AND t.id > b.message_id
        ORDER BY t.id LIMIT 1) AS answered
FROM begins b;

INSERT INTO rollout_events (at, municipality_id, what, amount)
SELECT w.begins, u.municipality_id, 'questions_open_change', 1
FROM waits w JOIN questions q ON q.id = w.question_id JOIN users u ON u.id = q.asker_id;

INSERT INTO rollout_events (at, municipality_id, what, amount)
SELECT ended, municipality_id, 'questions_open_change', -1
FROM (SELECT COALESCE(w.answered, CASE WHEN q.closed_at >= w.begins THEN q.closed_at END) AS ended,
             u.municipality_id
      FROM waits w JOIN questions q ON q.id = w.question_id JOIN users u ON u.id = q.asker_id)
WHERE ended IS NOT NULL;

-- Into days (Berlin time) per real municipality; practice areas never count.
INSERT INTO rollout_days (day, municipality_id, uploaded, filed, inbox_change, pages, ocr_pages,
                          tours_finished, attended, questions_asked, questions_open_change)
SELECT date(e.at + CASE WHEN (SELECT s.ends FROM berlin_summer s WHERE s.starts <= e.at
                              ORDER BY s.starts DESC LIMIT 1) > e.at
                        THEN 7200 ELSE 3600 END, 'unixepoch') AS local_day,
       e.municipality_id,
       SUM(CASE e.what WHEN 'uploaded' THEN e.amount ELSE 0 END),
       SUM(CASE e.what WHEN 'filed' THEN e.amount ELSE 0 END),
       SUM(CASE e.what WHEN 'inbox_change' THEN e.amount ELSE 0 END),
       SUM(CASE e.what WHEN 'pages' THEN e.amount ELSE 0 END),
       SUM(CASE e.what WHEN 'ocr_pages' THEN e.amount ELSE 0 END),
       SUM(CASE e.what WHEN 'tours_finished' THEN e.amount ELSE 0 END),
       SUM(CASE e.what WHEN 'attended' THEN e.amount ELSE 0 END),
       SUM(CASE e.what WHEN 'questions_asked' THEN e.amount ELSE 0 END),
       SUM(CASE e.what WHEN 'questions_open_change' THEN e.amount ELSE 0 END)
FROM rollout_events e
WHERE e.municipality_id IN (SELECT id FROM municipalities WHERE practice_user_id IS NULL)
GROUP BY local_day, e.municipality_id;

DROP TABLE waits;
DROP TABLE first_filings;
DROP TABLE rollout_events;
DROP TABLE berlin_summer;
