-- The rollout dashboard counts Vorgänge put zdA by their zdA day and
-- Laufwege completed by the day of their last answer (issue 17); both
-- are read by day from the raw rows.
CREATE INDEX vorgaenge_closed_on ON vorgaenge (closed_on) WHERE status = 'closed';
CREATE INDEX laufwege_ended ON laufwege (ended_at) WHERE status = 'completed';

-- The documents of a Vorgang (its count in every list of Vorgänge). The
-- index of migration 0012 holds every document, most of them with no
-- Vorgang: once ANALYZE has counted those NULLs the planner thinks it
-- useless and scans all documents per Vorgang (2.3 s for 100 Vorgänge at
-- 200,000 documents, found by `make bench-postkorb`). This one holds only
-- documents in a Vorgang.
CREATE INDEX documents_in_vorgang ON documents (vorgang_id, trashed_at)
    WHERE vorgang_id IS NOT NULL;
