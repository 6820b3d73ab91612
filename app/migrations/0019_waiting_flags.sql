-- What waits in a Postkorb is counted on every page a clerk opens (the
-- navigation's count) and again for every colleague one stands in for.
-- Whether an item's subject still takes work (a document not in the
-- trash, a Vorgang not zdA; a Laufweg's document not in the trash) was read
-- by joining documents and vorgaenge for each item: with thousands of items
-- that join cost more than the rest of the page. The flags below carry the
-- answer on the item itself, kept exact by the triggers underneath, so a
-- count reads one small index.

ALTER TABLE wiedervorlagen ADD COLUMN subject_alive INTEGER NOT NULL DEFAULT 1
    CHECK (subject_alive IN (0, 1));
ALTER TABLE zuweisungen ADD COLUMN subject_alive INTEGER NOT NULL DEFAULT 1
    CHECK (subject_alive IN (0, 1));
ALTER TABLE laufwege ADD COLUMN document_alive INTEGER NOT NULL DEFAULT 1
    CHECK (document_alive IN (0, 1));

-- The rule, once for rows that exist and once for every new row, whoever
-- writes it.
UPDATE wiedervorlagen SET subject_alive = CASE
    WHEN document_id IS NOT NULL THEN EXISTS
        (SELECT 1 FROM documents d WHERE d.id = wiedervorlagen.document_id AND d.trashed_at IS NULL)
    ELSE EXISTS
        (SELECT 1 FROM vorgaenge v WHERE v.id = wiedervorlagen.vorgang_id AND v.status <> 'closed')
    END;
UPDATE zuweisungen SET subject_alive = CASE
    WHEN document_id IS NOT NULL THEN EXISTS
        (SELECT 1 FROM documents d WHERE d.id = zuweisungen.document_id AND d.trashed_at IS NULL)
    ELSE EXISTS
        (SELECT 1 FROM vorgaenge v WHERE v.id = zuweisungen.vorgang_id AND v.status <> 'closed')
    END;
UPDATE laufwege SET document_alive = EXISTS
    (SELECT 1 FROM documents d WHERE d.id = laufwege.document_id AND d.trashed_at IS NULL);

CREATE TRIGGER wiedervorlagen_subject_alive AFTER INSERT ON wiedervorlagen
BEGIN
    UPDATE wiedervorlagen SET subject_alive = CASE
        WHEN NEW.document_id IS NOT NULL THEN EXISTS
            (SELECT 1 FROM documents d WHERE d.id = NEW.document_id AND d.trashed_at IS NULL)
        ELSE EXISTS
            (SELECT 1 FROM vorgaenge v WHERE v.id = NEW.vorgang_id AND v.status <> 'closed')
        END
    WHERE id = NEW.id;
END;

CREATE TRIGGER zuweisungen_subject_alive AFTER INSERT ON zuweisungen
BEGIN
    UPDATE zuweisungen SET subject_alive = CASE
        WHEN NEW.document_id IS NOT NULL THEN EXISTS
            (SELECT 1 FROM documents d WHERE d.id = NEW.document_id AND d.trashed_at IS NULL)
        ELSE EXISTS
            (SELECT 1 FROM vorgaenge v WHERE v.id = NEW.vorgang_id AND v.status <> 'closed')
        END
    WHERE id = NEW.id;
END;

CREATE TRIGGER laufwege_document_alive AFTER INSERT ON laufwege
BEGIN
    UPDATE laufwege SET document_alive = EXISTS
        (SELECT 1 FROM documents d WHERE d.id = NEW.document_id AND d.trashed_at IS NULL)
    WHERE id = NEW.id;
END;

-- A document goes into the trash or comes back: its items follow.
CREATE TRIGGER documents_trash_reaches_items AFTER UPDATE OF trashed_at ON documents
WHEN (OLD.trashed_at IS NULL) <> (NEW.trashed_at IS NULL)
BEGIN
    UPDATE wiedervorlagen SET subject_alive = (NEW.trashed_at IS NULL) WHERE document_id = NEW.id;
    UPDATE zuweisungen SET subject_alive = (NEW.trashed_at IS NULL) WHERE document_id = NEW.id;
    UPDATE laufwege SET document_alive = (NEW.trashed_at IS NULL) WHERE document_id = NEW.id;
END;

-- A Vorgang is closed (zdA) or opened again: its items follow.
CREATE TRIGGER vorgaenge_zda_reaches_items AFTER UPDATE OF status ON vorgaenge
WHEN (OLD.status = 'closed') <> (NEW.status = 'closed')
BEGIN
    UPDATE wiedervorlagen SET subject_alive = (NEW.status <> 'closed') WHERE vorgang_id = NEW.id;
    UPDATE zuweisungen SET subject_alive = (NEW.status <> 'closed') WHERE vorgang_id = NEW.id;
END;

-- What a count reads: only open items whose subject takes work, with the
-- columns the count filters on.
CREATE INDEX wiedervorlagen_waiting ON wiedervorlagen (for_user_id, municipality_id, due_on)
    WHERE status = 'open' AND subject_alive = 1;
CREATE INDEX zuweisungen_waiting ON zuweisungen (to_user_id, municipality_id)
    WHERE status = 'open' AND subject_alive = 1;
