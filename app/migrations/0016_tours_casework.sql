-- Two tours for daily casework (issue 17): "Wiedervorlage setzen" and
-- "Ein Schreiben mitzeichnen lassen". Their steps on a document's page
-- say how to get there; the engine's "Zur Seite" leads to the Posteingang.
INSERT INTO tours (title, description, auto_offer, position, created_at, updated_at) VALUES
    ('Wiedervorlage setzen',
     'Ein Dokument an einem bestimmten Tag wieder vorgelegt bekommen – für sich oder eine Kollegin, einen Kollegen.',
     0, 60, 0, 0),
    ('Ein Schreiben mitzeichnen lassen',
     'Einen Antwortentwurf zur Mitzeichnung und Freigabe auf den Laufweg schicken und die Antworten verfolgen.',
     0, 70, 0, 0);

INSERT INTO tour_roles (tour_id, role)
SELECT id, role FROM tours, (SELECT 'sachbearbeitung' AS role UNION ALL SELECT 'schulung')
WHERE title IN ('Wiedervorlage setzen', 'Ein Schreiben mitzeichnen lassen')
  AND id IN (SELECT id FROM tours ORDER BY id DESC LIMIT 2);

INSERT INTO tour_steps (tour_id, position, page, anchor, title, text, wait_for)
SELECT t.id, s.position, s.page, s.anchor, s.title, s.text, s.wait_for
FROM tours t JOIN (
    SELECT 'Wiedervorlage setzen' AS tour, 0 AS position, '/' AS page, 'nav-postkorb' AS anchor,
           'Ihr Postkorb' AS title,
           'Im Postkorb steht, was heute auf Sie wartet: fällige Wiedervorlagen, Zuweisungen und Bitten um Mitzeichnung. Klicken Sie jetzt auf „Postkorb“ in der Navigation.' AS text,
           'klick' AS wait_for
    UNION ALL SELECT 'Wiedervorlage setzen', 1, '/postkorb', 'postkorb-faellig', 'Heute fällig',
           'Eine Wiedervorlage erscheint hier an ihrem Tag, überfällige sind rot markiert. Mit einem Klick ist sie erledigt, abgebrochen oder verschoben. Gesetzt wird sie am Dokument selbst.', ''
    UNION ALL SELECT 'Wiedervorlage setzen', 2, '/dokumente/:id', 'wiedervorlage', 'Wiedervorlage am …',
           'Öffnen Sie ein Dokument, zum Beispiel aus dem Posteingang. Hier wählen Sie den Tag, für wen und den Grund, und klicken auf „Wiedervorlage setzen“. Sobald sie gesetzt ist, geht es weiter.', 'wiedervorlage-gesetzt'
    UNION ALL SELECT 'Wiedervorlage setzen', 3, '/dokumente/:id', 'wiedervorlage', 'Geschafft',
           'Die Wiedervorlage steht jetzt unter „Offene Wiedervorlagen“ und kommt an ihrem Tag in den Postkorb. Über „Zuweisen“ geben Sie ein Dokument mit einer Notiz an eine Kollegin oder einen Kollegen weiter.', ''

    UNION ALL SELECT 'Ein Schreiben mitzeichnen lassen', 0, '/dokumente/:id', 'laufweg', 'Mitzeichnung und Freigabe',
           'Öffnen Sie Ihren Antwortentwurf, zum Beispiel aus dem Posteingang. In diesem Bereich schicken Sie ihn auf einen Laufweg: zur Kenntnis, zur Mitzeichnung oder zur Freigabe.', ''
    UNION ALL SELECT 'Ein Schreiben mitzeichnen lassen', 1, '/dokumente/:id', 'laufweg-starten', 'Den Laufweg festlegen',
           'Geben Sie einen Betreff und für jeden Schritt Person und Art an. Schritte mit derselben Stufe laufen gleichzeitig, die nächste Stufe beginnt, wenn alle zugestimmt haben. Klicken Sie auf „Laufweg starten“.', 'laufweg-gestartet'
    UNION ALL SELECT 'Ein Schreiben mitzeichnen lassen', 2, '/dokumente/:id', 'laufweg', 'Die Antworten verfolgen',
           'Jede Person sieht genau diese Version und antwortet: zustimmen, mit Anmerkung zustimmen oder ablehnen. Eine Freigabe gilt nur für diese Version. Lehnt jemand ab, kommt der Laufweg in Ihren Postkorb zurück.', ''
    UNION ALL SELECT 'Ein Schreiben mitzeichnen lassen', 3, '/', 'nav-postkorb', 'Im Postkorb',
           'Bitten um Ihre Mitzeichnung und zurückgegebene Laufwege finden Sie im Postkorb. Während Ihres Urlaubs übernimmt das Ihre Vertretung: Tragen Sie die Abwesenheit dort unten ein.', ''
) s ON s.tour = t.title
WHERE t.id IN (SELECT id FROM tours ORDER BY id DESC LIMIT 2);
