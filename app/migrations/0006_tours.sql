-- Guided walkthroughs (Rundgänge) as data, and the training record.

CREATE TABLE tours (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    auto_offer  INTEGER NOT NULL DEFAULT 0 CHECK (auto_offer IN (0, 1)),
    position    INTEGER NOT NULL DEFAULT 0,
    -- Deleted tours stay for the training record, but are no longer offered.
    deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE tour_roles (
    tour_id INTEGER NOT NULL REFERENCES tours (id) ON DELETE CASCADE,
    role    TEXT NOT NULL CHECK (role IN ('administration', 'projektteam', 'sachbearbeitung', 'schulung')),
    PRIMARY KEY (tour_id, role)
);

CREATE TABLE tour_steps (
    tour_id  INTEGER NOT NULL REFERENCES tours (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,              -- 0-based order
    page     TEXT NOT NULL,
    anchor   TEXT NOT NULL,
    title    TEXT NOT NULL,
    text     TEXT NOT NULL,
    wait_for TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tour_id, position)
);

-- Every time somebody starts a tour: a run. At most one runs per person.
-- Further kinds of training evidence (e.g. attended sessions) get their
-- own tables and join the record by user.
CREATE TABLE tour_runs (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    tour_id     INTEGER NOT NULL REFERENCES tours (id),
    status      TEXT NOT NULL CHECK (status IN ('running', 'finished', 'skipped')),
    step        INTEGER NOT NULL DEFAULT 0,  -- 0-based step reached
    steps       INTEGER NOT NULL,            -- number of steps when last moved
    started_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    ended_at    INTEGER
);

CREATE INDEX tour_runs_user ON tour_runs (user_id, tour_id);
CREATE UNIQUE INDEX tour_runs_one_running ON tour_runs (user_id) WHERE status = 'running';

-- The answer to "Möchten Sie einen kurzen Rundgang machen?".
CREATE TABLE tour_offer_answers (
    user_id     INTEGER PRIMARY KEY REFERENCES users (id),
    answer      TEXT NOT NULL CHECK (answer IN ('later', 'never')),
    answered_at INTEGER NOT NULL
);

-- The five shipped tours.
INSERT INTO tours (id, title, description, auto_offer, position, created_at, updated_at) VALUES
    (1, 'Erste Schritte', 'Wo finde ich was? Navigation, Gemeinde, Konto und Hilfe in zwei Minuten.', 1, 10, 0, 0),
    (2, 'Dokument hochladen und ablegen', 'Eingehende Post in den Posteingang laden und in die richtige Akte legen.', 1, 20, 0, 0),
    (3, 'Im Aktenplan das Richtige finden', 'Stichwort suchen, Position verstehen, Akte finden oder anlegen.', 0, 30, 0, 0),
    (4, 'Suchen und finden', 'Dokumente über den Volltext finden, auch in eingescannten Schreiben, und Treffer eingrenzen.', 0, 40, 0, 0),
    (5, 'Eine Änderung am Aktenplan vorschlagen', 'Fehlt eine Position oder passt ein Titel nicht? So schlagen Sie eine Änderung vor.', 0, 50, 0, 0);

INSERT INTO tour_roles (tour_id, role) VALUES
    (1, 'administration'), (1, 'projektteam'), (1, 'sachbearbeitung'), (1, 'schulung'),
    (2, 'sachbearbeitung'), (2, 'schulung'),
    (3, 'administration'), (3, 'projektteam'), (3, 'sachbearbeitung'), (3, 'schulung'),
    (4, 'sachbearbeitung'), (4, 'schulung'),
    (5, 'projektteam'), (5, 'sachbearbeitung'), (5, 'schulung');

INSERT INTO tour_steps (tour_id, position, page, anchor, title, text, wait_for) VALUES
    (1, 0, '/', 'hauptnavigation', 'Die Hauptnavigation',
     'Über diese Leiste erreichen Sie alle Bereiche von Aktenwerk: Posteingang, Aktenplan, Suche, Neuigkeiten und Schulung. Sie ist auf jeder Seite an derselben Stelle.', ''),
    (1, 1, '/', 'gemeinde', 'Ihre Gemeinde',
     'Hier steht, für welche Gemeinde Sie arbeiten. Sie sehen die Akten Ihrer Gemeinde und die, die andere Gemeinden ausdrücklich mit Ihnen teilen.', ''),
    (1, 2, '/', 'benutzer', 'Ihr Konto',
     'Ihr Name und Ihre Rolle. Hier ändern Sie Ihr Passwort und melden sich ab – bitte immer abmelden, wenn Sie den Platz verlassen.', ''),
    (1, 3, '/', 'hilfe', 'Hilfe, wenn Sie sie brauchen',
     'Im Menü „Hilfe“ finden Sie jederzeit alle Rundgänge, die es für Ihre Arbeit gibt. Sie können jeden Rundgang beliebig oft wiederholen.', ''),
    (1, 4, '/', 'nav-schulung', 'Zum Bereich Schulung',
     'Klicken Sie jetzt auf „Schulung“ in der Navigation.', 'klick'),
    (1, 5, '/schulung', 'schulung-rundgaenge', 'Alle Rundgänge auf einen Blick',
     'Hier sehen Sie alle Rundgänge mit Ihrem Stand und können jeden starten oder fortsetzen. Darunter steht Ihr Schulungsnachweis. Viel Erfolg mit Aktenwerk!', ''),

    (2, 0, '/', 'nav-posteingang', 'Zum Posteingang',
     'Alles, was neu hereinkommt, landet zuerst im Posteingang. Klicken Sie jetzt auf „Posteingang“ in der Navigation.', 'klick'),
    (2, 1, '/posteingang', 'upload-bereich', 'Hier kommt die Post hinein',
     'Gescannte Briefe, PDFs, Word-Dateien oder E-Mails: Ziehen Sie Dateien oder ganze Ordner auf diese Seite oder wählen Sie sie mit „Dateien auswählen“ aus.', ''),
    (2, 2, '/posteingang', 'upload-bereich', 'Laden Sie ein Dokument hoch',
     'Ziehen Sie jetzt eine Datei in das Feld oder klicken Sie auf „Dateien auswählen“. Ein Balken zeigt den Fortschritt. Sobald die Datei hochgeladen ist, geht es weiter.', 'hochgeladen'),
    (2, 3, '/posteingang', 'posteingang-liste', 'Ihr Dokument im Posteingang',
     'Das Dokument steht jetzt in der Liste „Noch nicht abgelegt“. Prüfen Sie Titel und Dokumentart und setzen Sie ein Häkchen in das Kästchen vor dem Dokument.', ''),
    (2, 4, '/posteingang', 'akte-ablegen', 'In die Akte legen',
     'Suchen Sie die passende Akte über Aktenzeichen oder Titel und klicken Sie sie an – oder ziehen Sie das Dokument mit der Maus auf die Akte. Sobald es abgelegt ist, geht es weiter.', 'abgelegt'),
    (2, 5, '/posteingang', 'posteingang-liste', 'Geschafft',
     'Das Dokument ist aus dem Posteingang verschwunden und liegt jetzt in der Akte. Sie finden es dort über den Aktenplan oder jederzeit über die Suche. Der Text eingescannter Briefe wird automatisch erkannt.', ''),

    (3, 0, '/', 'nav-aktenplan', 'Zum Aktenplan',
     'Der Aktenplan ordnet alle Akten der vier Gemeinden nach Aufgaben. Klicken Sie jetzt auf „Aktenplan“ in der Navigation.', 'klick'),
    (3, 1, '/aktenplan', 'aktenplan-baum', 'Der Aktenplan als Baum',
     'Jede Position hat ein Kennzeichen, z. B. 621 für Bauanträge. Mit den Pfeiltasten bewegen Sie sich im Baum, mit Pfeil rechts öffnen Sie eine Gruppe.', ''),
    (3, 2, '/aktenplan', 'aktenplan-suche', 'Nach einem Stichwort suchen',
     'Sie müssen das Kennzeichen nicht kennen. Tippen Sie ein Stichwort in das Suchfeld, zum Beispiel „Bauantrag“ oder „Hundesteuer“.', 'aktenplan-gesucht'),
    (3, 3, '/aktenplan', 'aktenplan-treffer', 'Die passende Position wählen',
     'Die Treffer zeigen Kennzeichen, Titel und wo die Position im Plan steht. Klicken Sie den Treffer an, der am besten passt.', 'klick'),
    (3, 4, '/aktenplan/:code', 'position-details', 'Was gehört hierher?',
     'Beschreibung und Stichwörter sagen, welche Unterlagen hierher gehören. Außerdem sehen Sie, wie lange die Akten aufbewahrt werden und ob sie ins Archiv kommen.', ''),
    (3, 5, '/aktenplan/:code', 'aktenplan-baum', 'Die Akten Ihrer Gemeinde',
     'Unter der Beschreibung stehen die Akten, die Ihre Gemeinde hier führt. Fehlt die Akte, legen Sie sie dort mit „Neue Akte anlegen“ an; das Aktenzeichen vergibt Aktenwerk.', ''),

    (4, 0, '/', 'suche', 'Suchen von überall',
     'Dieses Suchfeld gibt es auf jeder Seite; mit der Taste „/“ springen Sie direkt hinein. Geben Sie jetzt einen Suchbegriff ein, zum Beispiel „Antrag“, und drücken Sie die Eingabetaste.', 'gesucht'),
    (4, 1, '/suche', 'suchergebnisse', 'Die Treffer',
     'Gesucht wird in Titel, Text – auch in eingescannten Schreiben –, Aktenzeichen, Absender und Schlagwörtern. Gefundene Wörter sind markiert; ein Klick öffnet das Dokument.', ''),
    (4, 2, '/suche', 'suche-filter', 'Treffer eingrenzen',
     'Zu viele Treffer? Grenzen Sie nach Dokumentart, Jahr, Akte oder Gemeinde ein. Jeder Filter lässt sich mit einem Klick wieder aufheben.', ''),
    (4, 3, '/suche', 'suche-formular', 'Genauer suchen',
     'Mehrere Wörter müssen alle vorkommen. „In Anführungszeichen“ sucht genau diese Wortfolge, ein Aktenzeichen findet die Akte. Kleine Tippfehler verzeiht die Suche.', ''),

    (5, 0, '/', 'nav-aktenplan', 'Zum Aktenplan',
     'Vorschläge für den Aktenplan stimmen die vier Gemeinden gemeinsam ab. Klicken Sie zuerst auf „Aktenplan“ in der Navigation.', 'klick'),
    (5, 1, '/aktenplan', 'abstimmung-link', 'Zur Abstimmung',
     'Klicken Sie auf „Änderungen vorschlagen und abstimmen“. Tipp: Bei einer Position finden Sie auch den Link „Änderung an dieser Position vorschlagen“, der das Kennzeichen schon einträgt.', 'klick'),
    (5, 2, '/aktenplan/abstimmung', 'aenderung-vorschlagen', 'Den Vorschlag beschreiben',
     'Wählen Sie, was sich ändern soll, nennen Sie die Position und begründen Sie den Vorschlag kurz. Mit „Vorschlag einreichen“ geht er an alle Gemeinden.', ''),
    (5, 3, '/aktenplan/abstimmung', 'vorschlaege', 'Abstimmen und verfolgen',
     'Hier stehen alle Vorschläge mit ihrem Stand. Alle können kommentieren; das Projektteam entscheidet und veröffentlicht eine neue Version des Aktenplans.', '');
