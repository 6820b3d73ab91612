-- The rollout dashboard (Einführungsstand). Everything it shows is computed
-- from rows other features record anyway; only daily use had no record:
-- sessions keep just their newest activity. One row per person and day
-- (Europe/Berlin) they used Aktenwerk, written at sign-in and on the first
-- request of each new day, with the home municipality at that time.
CREATE TABLE user_activity_days (
    user_id         INTEGER NOT NULL REFERENCES users (id),
    day             TEXT NOT NULL,                -- YYYY-MM-DD, Europe/Berlin
    municipality_id INTEGER NOT NULL REFERENCES municipalities (id),
    first_seen_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, day)
);

CREATE INDEX user_activity_days_day ON user_activity_days (day);

-- Uploads and filings are read from the audit log by action.
CREATE INDEX audit_log_action_at ON audit_log (action, at);

-- Pages read per day.
CREATE INDEX version_texts_extracted ON version_texts (extracted_at);
