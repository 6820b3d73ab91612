-- Practice mode (Übungsmodus, issue 6). A practice area is one extra
-- municipality per user, marked with its owner: everything in it (Akten,
-- documents, versions, jobs) hangs off that municipality id, so the
-- existing municipality scoping keeps it apart from the real records.

ALTER TABLE municipalities ADD COLUMN practice_user_id INTEGER REFERENCES users (id);
CREATE UNIQUE INDEX municipalities_practice_user ON municipalities (practice_user_id)
    WHERE practice_user_id IS NOT NULL;

-- The switch for everyone who is not a trainee (trainees are always in it).
ALTER TABLE users ADD COLUMN practice_active INTEGER NOT NULL DEFAULT 0
    CHECK (practice_active IN (0, 1));

-- Plan proposals made while practising stay in that practice area; the
-- project team never sees or decides them. NULL: a real proposal.
ALTER TABLE plan_proposals ADD COLUMN practice_municipality_id INTEGER REFERENCES municipalities (id);
CREATE INDEX plan_proposals_practice ON plan_proposals (practice_municipality_id);
