//! The starting state of every practice area: realistic sample Akten and
//! documents of a small Odenwald municipality, filed under positions of the
//! real Aktenplan. Pure and deterministic: the same bytes every time, so a
//! reset restores exactly this and a test can prove it.

use crate::documents::text_pdf::text_pdf;
use crate::documents::DocType;

/// An Akte of the template, referred to by its `key` from documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateAkte {
    pub key: &'static str,
    /// The plan position it is filed under (must be active and at least
    /// three digits; otherwise the Akte is left out and its documents wait
    /// in the Posteingang).
    pub plan_code: &'static str,
    pub title: &'static str,
    pub responsible: &'static str,
    pub opened_on: &'static str,
    /// Closed (zdA) on this day.
    pub closed_on: Option<&'static str>,
}

/// A document of the template with its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateDocument {
    pub title: &'static str,
    pub file_name: &'static str,
    /// `None`: waits in the Posteingang.
    pub akte: Option<&'static str>,
    pub doc_type: DocType,
    pub document_date: &'static str,
    pub correspondent: &'static str,
    pub tags: &'static [&'static str],
    pub bytes: Vec<u8>,
}

pub fn akten() -> Vec<TemplateAkte> {
    let akte = |key, plan_code, title, responsible, opened_on, closed_on| TemplateAkte {
        key,
        plan_code,
        title,
        responsible,
        opened_on,
        closed_on,
    };
    vec![
        akte(
            "bau-lindenberg",
            "621.1",
            "Bauantrag Einfamilienhaus Am Lindenberg 7, Familie Brenner",
            "Bauamt, Frau Walther",
            "2026-02-16",
            None,
        ),
        akte(
            "bau-scheune",
            "621.1",
            "Nutzungsänderung Scheune zu Wohnraum, Hauptstraße 41",
            "Bauamt, Frau Walther",
            "2026-03-02",
            None,
        ),
        akte(
            "voranfrage-carport",
            "620",
            "Bauvoranfrage Carport im Außenbereich, Flur 4 Nr. 112",
            "Bauamt, Herr Seidel",
            "2026-01-12",
            Some("2026-04-10"),
        ),
        akte(
            "gewerbe-cafe",
            "700",
            "Gewerbeanmeldung Café Odenwaldblick, Inh. Sabine Kern",
            "Ordnungsamt, Herr Albrecht",
            "2026-03-09",
            None,
        ),
        akte(
            "gewerbe-elektro",
            "700",
            "Gewerbeummeldung Elektro Hartmann GmbH",
            "Ordnungsamt, Herr Albrecht",
            "2026-04-01",
            None,
        ),
        akte(
            "friedhof",
            "850.3",
            "Friedhofsgebühren 2026 – Bescheide und Widersprüche",
            "Friedhofsverwaltung, Frau Krämer",
            "2026-01-05",
            None,
        ),
        akte(
            "hundesteuer",
            "922",
            "Hundesteuer – An- und Abmeldungen 2026",
            "Steueramt, Herr Becker",
            "2026-01-02",
            None,
        ),
        akte(
            "kerb",
            "133",
            "Straßenfest Altstadtkerb 2026",
            "Ordnungsamt, Herr Albrecht",
            "2026-02-23",
            None,
        ),
        akte(
            "kita",
            "431.1",
            "Kita-Anmeldungen Kindergartenjahr 2026/27",
            "Kita-Verwaltung, Frau Lorenz",
            "2026-01-19",
            None,
        ),
        akte(
            "wasser",
            "811.1",
            "Hausanschlüsse Wasser Neubaugebiet Am Sonnenhang",
            "Bauhof, Herr Fischer",
            "2026-03-16",
            None,
        ),
        akte(
            "oelspur",
            "141",
            "Einsatzabrechnung Ölspur L 3106",
            "Ordnungsamt, Herr Albrecht",
            "2026-04-14",
            None,
        ),
        akte(
            "gemeindevertretung",
            "010.1",
            "Niederschriften der Gemeindevertretung 2026",
            "Hauptamt, Frau Roth",
            "2026-01-08",
            None,
        ),
    ]
}

/// A Vorgang of the template, in one of its Akten; the documents named
/// by file name lie in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateVorgang {
    pub akte: &'static str,
    pub title: &'static str,
    pub opened_on: &'static str,
    /// Taken into work ("in Bearbeitung").
    pub in_progress: bool,
    /// zdA on this day.
    pub closed_on: Option<&'static str>,
    pub documents: &'static [&'static str],
}

/// The Vorgänge, in the order they are opened (which numbers them within
/// their Akte): some offen, some in Bearbeitung, one zdA, so that trainees
/// meet every state.
pub fn vorgaenge() -> Vec<TemplateVorgang> {
    vec![
        TemplateVorgang {
            akte: "bau-lindenberg",
            title: "Baugenehmigung Einfamilienhaus Brenner",
            opened_on: "2026-02-16",
            in_progress: true,
            closed_on: None,
            documents: &["Bauantrag_Brenner.pdf", "Lageplan_Lindenberg7.pdf"],
        },
        TemplateVorgang {
            akte: "bau-lindenberg",
            title: "Gemeindliches Einvernehmen § 36 BauGB",
            opened_on: "2026-02-20",
            in_progress: false,
            closed_on: None,
            documents: &["Stellungnahme_Einvernehmen_Brenner.pdf"],
        },
        TemplateVorgang {
            akte: "voranfrage-carport",
            title: "Bauvorbescheid Carport",
            opened_on: "2026-01-12",
            in_progress: false,
            closed_on: Some("2026-04-08"),
            documents: &["Bauvorbescheid_Carport.pdf"],
        },
        TemplateVorgang {
            akte: "friedhof",
            title: "Widerspruch Gebührenbescheid Wahlgrab B 12, Frau Lang",
            opened_on: "2026-02-18",
            in_progress: true,
            closed_on: None,
            documents: &[
                "Gebuehrenbescheid_Lang.pdf",
                "Widerspruch_Friedhofsgebuehren_Lang.pdf",
            ],
        },
        TemplateVorgang {
            akte: "gewerbe-cafe",
            title: "Hygieneauflagen Café Odenwaldblick",
            opened_on: "2026-03-12",
            in_progress: false,
            closed_on: None,
            documents: &["Rueckfrage_Lebensmittelueberwachung.eml"],
        },
    ]
}

/// A Wiedervorlage of the template for the trainee, `days` after the day
/// the area is made or reset (negative: overdue), on a Vorgang (by
/// title) or a document (by file name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateWiedervorlage {
    pub vorgang: Option<&'static str>,
    pub document: Option<&'static str>,
    pub days: i64,
    pub reason: &'static str,
}

/// Something overdue, something due today and something to come, so the
/// Postkorb of a new practice area has all three.
pub fn wiedervorlagen() -> Vec<TemplateWiedervorlage> {
    vec![
        TemplateWiedervorlage {
            vorgang: Some("Widerspruch Gebührenbescheid Wahlgrab B 12, Frau Lang"),
            document: None,
            days: -2,
            reason: "Stellungnahme der Friedhofsverwaltung anfordern",
        },
        TemplateWiedervorlage {
            vorgang: Some("Baugenehmigung Einfamilienhaus Brenner"),
            document: None,
            days: 0,
            reason: "Eingang der Statik prüfen",
        },
        TemplateWiedervorlage {
            vorgang: None,
            document: Some("Antrag_Ratenzahlung.txt"),
            days: 3,
            reason: "Ratenzahlung mit der Kasse abstimmen",
        },
    ]
}

/// The open Laufweg of the template: a document (by file name) the
/// trainee is asked to co-sign, so the Postkorb shows one and it can be
/// answered.
pub struct TemplateLaufweg {
    pub document: &'static str,
    pub title: &'static str,
    pub kind: crate::laufwege::StepKind,
}

pub fn laufweg() -> TemplateLaufweg {
    TemplateLaufweg {
        document: "Stellungnahme_Einvernehmen_Brenner.pdf",
        title: "Stellungnahme zum Einvernehmen, Am Lindenberg 7",
        kind: crate::laufwege::StepKind::Mitzeichnung,
    }
}

/// A letter as a one-page PDF: sender, recipient, date, subject, body.
fn letter(sender: &str, date: &str, subject: &str, body: &[&str]) -> Vec<u8> {
    let mut lines: Vec<String> = vec![
        sender.to_string(),
        String::new(),
        "An die Gemeindeverwaltung – Übungsgemeinde".to_string(),
        String::new(),
        format!("Datum: {date}"),
        String::new(),
        format!("Betreff: {subject}"),
        String::new(),
    ];
    lines.extend(body.iter().map(|line| line.to_string()));
    lines.push(String::new());
    lines.push("Mit freundlichen Grüßen".to_string());
    text_pdf(&lines)
}

fn text(lines: &[&str]) -> Vec<u8> {
    let mut out = lines.join("\r\n");
    out.push_str("\r\n");
    out.into_bytes()
}

pub fn documents() -> Vec<TemplateDocument> {
    use DocType::*;
    let doc = |title, file_name, akte, doc_type, document_date, correspondent, tags, bytes| {
        TemplateDocument {
            title,
            file_name,
            akte,
            doc_type,
            document_date,
            correspondent,
            tags,
            bytes,
        }
    };
    vec![
        doc(
            "Bauantrag Einfamilienhaus mit Garage",
            "Bauantrag_Brenner.pdf",
            Some("bau-lindenberg"),
            Eingang,
            "2026-02-12",
            "Jonas und Marie Brenner",
            &["Bauantrag", "Einvernehmen"],
            letter(
                "Jonas und Marie Brenner, Am Lindenberg 3, 64720 Übungsdorf",
                "12.02.2026",
                "Antrag auf Baugenehmigung – Einfamilienhaus mit Doppelgarage",
                &[
                    "hiermit beantragen wir die Baugenehmigung für den Neubau eines",
                    "Einfamilienhauses mit Doppelgarage auf dem Grundstück Am Lindenberg 7,",
                    "Gemarkung Übungsdorf, Flur 2, Flurstück 87/4.",
                    "Beigefügt sind Lageplan, Bauzeichnungen, Baubeschreibung und die",
                    "Berechnung der Wohnfläche. Der Bebauungsplan „Lindenberg“ wird eingehalten.",
                ],
            ),
        ),
        doc(
            "Stellungnahme Bauamt zum gemeindlichen Einvernehmen",
            "Stellungnahme_Einvernehmen_Brenner.pdf",
            Some("bau-lindenberg"),
            Vermerk,
            "2026-03-03",
            "Bauamt",
            &["Einvernehmen"],
            letter(
                "Gemeinde Übungsdorf – Bauamt",
                "03.03.2026",
                "Gemeindliches Einvernehmen nach § 36 BauGB – Am Lindenberg 7",
                &[
                    "Das Vorhaben liegt im Geltungsbereich des Bebauungsplans „Lindenberg“.",
                    "Art und Maß der baulichen Nutzung werden eingehalten; die Dachneigung",
                    "von 35 Grad entspricht den Festsetzungen. Das Einvernehmen wird erteilt.",
                    "Die Stellplatzsatzung ist mit der Doppelgarage erfüllt.",
                ],
            ),
        ),
        doc(
            "Lageplan Am Lindenberg 7",
            "Lageplan_Lindenberg7.pdf",
            Some("bau-lindenberg"),
            Sonstiges,
            "2026-02-10",
            "Ingenieurbüro Lenz",
            &["Bauantrag", "Lageplan"],
            text_pdf(&[
                "Lageplan zum Bauantrag, Maßstab 1:500",
                "Grundstück Am Lindenberg 7, Flur 2, Flurstück 87/4, Größe 642 m²",
                "Abstand zur nördlichen Grenze 3,00 m, zur östlichen Grenze 4,50 m",
                "Zufahrt Doppelgarage von der Straße Am Lindenberg",
                "Aufgestellt: Ingenieurbüro Lenz, Odenwaldstraße 12",
            ]),
        ),
        doc(
            "Antrag Nutzungsänderung Scheune",
            "Antrag_Nutzungsaenderung_Hauptstr41.pdf",
            Some("bau-scheune"),
            Eingang,
            "2026-02-27",
            "Thomas Weber",
            &["Bauantrag", "Nutzungsänderung"],
            letter(
                "Thomas Weber, Hauptstraße 41, 64720 Übungsdorf",
                "27.02.2026",
                "Antrag auf Nutzungsänderung der Scheune zu Wohnraum",
                &[
                    "ich möchte die ehemalige Scheune auf meinem Grundstück zu zwei",
                    "Wohnungen umbauen. Die Scheune steht im Ortskern und ist kein",
                    "Kulturdenkmal. Die Stellplätze werden im Hof nachgewiesen.",
                    "Bitte teilen Sie mir mit, welche Unterlagen noch fehlen.",
                ],
            ),
        ),
        doc(
            "Telefonvermerk Nachforderung Unterlagen",
            "Telefonvermerk_Weber.txt",
            Some("bau-scheune"),
            Vermerk,
            "2026-03-05",
            "Thomas Weber",
            &["Nachforderung"],
            text(&[
                "Telefonvermerk vom 05.03.2026, 10:40 Uhr",
                "Gesprächspartner: Herr Thomas Weber (Antragsteller)",
                "",
                "Herr Weber wurde gebeten, den Stellplatznachweis und die",
                "Brandschutzangaben für die Scheune nachzureichen.",
                "Frist: 31.03.2026. Herr Weber sagt die Unterlagen bis Ende März zu.",
                "",
                "gez. Walther, Bauamt",
            ]),
        ),
        doc(
            "Bauvorbescheid Carport",
            "Bauvorbescheid_Carport.pdf",
            Some("voranfrage-carport"),
            Bescheid,
            "2026-04-08",
            "Kreisbauaufsicht",
            &["Bauvoranfrage"],
            letter(
                "Kreisbauaufsicht Odenwaldkreis",
                "08.04.2026",
                "Bauvorbescheid – Carport, Flur 4 Nr. 112",
                &[
                    "auf Ihre Bauvoranfrage vom 10.01.2026 ergeht folgender Bescheid:",
                    "Der Carport ist im Außenbereich nach § 35 Abs. 2 BauGB zulässig,",
                    "wenn er an das bestehende Wohnhaus angebaut wird.",
                    "Der Bescheid gilt drei Jahre.",
                ],
            ),
        ),
        doc(
            "Gewerbeanmeldung Café Odenwaldblick",
            "Gewerbeanmeldung_Kern.pdf",
            Some("gewerbe-cafe"),
            Eingang,
            "2026-03-06",
            "Sabine Kern",
            &["Gewerbeanmeldung", "Gastronomie"],
            letter(
                "Sabine Kern, Marktplatz 2, 64720 Übungsdorf",
                "06.03.2026",
                "Gewerbeanmeldung – Café Odenwaldblick",
                &[
                    "ich melde zum 01.04.2026 folgendes Gewerbe an:",
                    "Betrieb eines Cafés mit Ausschank alkoholfreier Getränke und",
                    "Verkauf von selbst gebackenen Kuchen. Betriebsstätte: Marktplatz 2.",
                    "Eine Gaststättenerlaubnis ist nicht erforderlich.",
                ],
            ),
        ),
        doc(
            "Rückfrage Lebensmittelüberwachung",
            "Rueckfrage_Lebensmittelueberwachung.eml",
            Some("gewerbe-cafe"),
            Eingang,
            "2026-03-12",
            "Veterinäramt Odenwaldkreis",
            &["Gastronomie"],
            text(&[
                "From: Veterinäramt Odenwaldkreis <lebensmittel@example.org>",
                "To: ordnungsamt@uebungsdorf.example",
                "Subject: Café Odenwaldblick – Registrierung Lebensmittelbetrieb",
                "Date: Thu, 12 Mar 2026 09:15:00 +0100",
                "Content-Type: text/plain; charset=utf-8",
                "",
                "Guten Tag,",
                "",
                "bitte teilen Sie uns mit, ob das Café Odenwaldblick am Marktplatz 2",
                "bereits als Lebensmittelbetrieb registriert ist. Eine Erstkontrolle",
                "ist für April vorgesehen.",
                "",
                "Mit freundlichen Grüßen",
                "Lebensmittelüberwachung",
            ]),
        ),
        doc(
            "Gewerbeummeldung Elektro Hartmann",
            "Gewerbeummeldung_Hartmann.pdf",
            Some("gewerbe-elektro"),
            Eingang,
            "2026-03-30",
            "Elektro Hartmann GmbH",
            &["Gewerbeummeldung"],
            letter(
                "Elektro Hartmann GmbH, Industriestraße 9, 64720 Übungsdorf",
                "30.03.2026",
                "Gewerbeummeldung – Verlegung der Betriebsstätte",
                &[
                    "wir verlegen unsere Betriebsstätte zum 01.05.2026 von der",
                    "Bahnhofstraße 5 in die Industriestraße 9.",
                    "Die Tätigkeit (Elektroinstallation, Photovoltaik) bleibt unverändert.",
                ],
            ),
        ),
        doc(
            "Gebührenbescheid Grabnutzung Familie Lang",
            "Gebuehrenbescheid_Lang.pdf",
            Some("friedhof"),
            Bescheid,
            "2026-02-04",
            "Familie Lang",
            &["Friedhofsgebühren"],
            letter(
                "Gemeinde Übungsdorf – Friedhofsverwaltung",
                "04.02.2026",
                "Gebührenbescheid – Verlängerung Nutzungsrecht Wahlgrab B 12",
                &[
                    "für die Verlängerung des Nutzungsrechts am Wahlgrab B 12 um",
                    "zehn Jahre setzen wir nach der Friedhofsgebührensatzung fest:",
                    "Nutzungsgebühr 10 Jahre: 850,00 €",
                    "Der Betrag ist bis zum 15.03.2026 zu zahlen.",
                ],
            ),
        ),
        doc(
            "Widerspruch gegen Friedhofsgebühren",
            "Widerspruch_Friedhofsgebuehren_Lang.pdf",
            Some("friedhof"),
            Eingang,
            "2026-02-20",
            "Helga Lang",
            &["Friedhofsgebühren", "Widerspruch"],
            letter(
                "Helga Lang, Kirchgasse 4, 64720 Übungsdorf",
                "20.02.2026",
                "Widerspruch gegen den Gebührenbescheid vom 04.02.2026",
                &[
                    "gegen den Gebührenbescheid lege ich Widerspruch ein.",
                    "Die Gebühr ist gegenüber der letzten Verlängerung stark gestiegen.",
                    "Ich bitte um Überprüfung und um Ratenzahlung.",
                ],
            ),
        ),
        doc(
            "Hundeanmeldung Bello",
            "Hundeanmeldung_Schneider.pdf",
            Some("hundesteuer"),
            Eingang,
            "2026-01-21",
            "Petra Schneider",
            &["Hundesteuer"],
            letter(
                "Petra Schneider, Waldweg 8, 64720 Übungsdorf",
                "21.01.2026",
                "Anmeldung eines Hundes zur Hundesteuer",
                &[
                    "ich melde meinen Hund „Bello“ (Labrador, geboren 2025) an.",
                    "Der Hund lebt seit dem 15.01.2026 in meinem Haushalt.",
                    "Bitte senden Sie mir die Steuermarke zu.",
                ],
            ),
        ),
        doc(
            "Hundeabmeldung Wanda",
            "Hundeabmeldung_Koch.txt",
            Some("hundesteuer"),
            Eingang,
            "2026-03-18",
            "Georg Koch",
            &["Hundesteuer"],
            text(&[
                "Abmeldung Hundesteuer",
                "",
                "Georg Koch, Bergstraße 17, 64720 Übungsdorf",
                "Hund: Wanda, Mischling",
                "Abmeldung zum 31.03.2026 (Hund verstorben)",
                "Steuermarke Nr. 214 liegt bei.",
            ]),
        ),
        doc(
            "Antrag Straßenfest Altstadtkerb",
            "Antrag_Altstadtkerb.pdf",
            Some("kerb"),
            Eingang,
            "2026-02-20",
            "Kerbeverein Übungsdorf e. V.",
            &["Veranstaltung", "Sondernutzung"],
            letter(
                "Kerbeverein Übungsdorf e. V.",
                "20.02.2026",
                "Antrag auf Genehmigung der Altstadtkerb vom 21. bis 24.08.2026",
                &[
                    "wir beantragen die Genehmigung der Altstadtkerb mit Festzelt auf",
                    "dem Marktplatz, Ausschank und Musik bis 24 Uhr.",
                    "Die Sperrung der Kirchgasse ist mit der Feuerwehr abgestimmt.",
                    "Das Sicherheitskonzept reichen wir bis Ende Juni nach.",
                ],
            ),
        ),
        doc(
            "Kita-Anmeldebogen Emma Vogel",
            "Anmeldebogen_Vogel.pdf",
            Some("kita"),
            Eingang,
            "2026-01-26",
            "Familie Vogel",
            &["Kita", "Anmeldung"],
            text_pdf(&[
                "Anmeldebogen Kindertagesstätte Sonnenschein",
                "Kind: Emma Vogel, geboren 14.06.2023",
                "Gewünschte Aufnahme: 01.08.2026, Betreuung ganztags",
                "Sorgeberechtigte: Lisa und Daniel Vogel, Am Bach 5",
                "Geschwisterkind in der Einrichtung: nein",
            ]),
        ),
        doc(
            "Antrag Hausanschluss Wasser Sonnenhang 4",
            "Antrag_Hausanschluss_Sonnenhang4.pdf",
            Some("wasser"),
            Eingang,
            "2026-03-13",
            "Bauträger Odenwaldhaus GmbH",
            &["Hausanschluss", "Wasser"],
            letter(
                "Odenwaldhaus GmbH, Am Sonnenhang 1, 64720 Übungsdorf",
                "13.03.2026",
                "Antrag auf Herstellung eines Hausanschlusses Wasser",
                &[
                    "für das Baugrundstück Am Sonnenhang 4 beantragen wir einen",
                    "Trinkwasserhausanschluss DN 32. Baubeginn ist im Mai 2026.",
                    "Die Kosten nach der Wasserversorgungssatzung übernehmen wir.",
                ],
            ),
        ),
        doc(
            "Einsatzbericht Ölspur L 3106",
            "Einsatzbericht_Oelspur.pdf",
            Some("oelspur"),
            Vermerk,
            "2026-04-13",
            "Freiwillige Feuerwehr Übungsdorf",
            &["Feuerwehr", "Kostenersatz"],
            text_pdf(&[
                "Einsatzbericht Nr. 2026-031",
                "Einsatz: Ölspur auf der L 3106 zwischen Übungsdorf und Waldhausen",
                "Datum: 13.04.2026, 16:20 bis 18:05 Uhr",
                "Kräfte: HLF 10, MTF, 9 Einsatzkräfte",
                "Verursacher: Lkw mit defekter Hydraulikleitung, Kennzeichen bekannt",
                "Bindemittel: 6 Sack",
            ]),
        ),
        doc(
            "Niederschrift Sitzung Gemeindevertretung 12.03.2026",
            "Niederschrift_GV_2026-03-12.pdf",
            Some("gemeindevertretung"),
            Protokoll,
            "2026-03-12",
            "Hauptamt",
            &["Niederschrift", "Gemeindevertretung"],
            text_pdf(&[
                "Niederschrift über die 14. Sitzung der Gemeindevertretung",
                "am 12.03.2026 im Bürgerhaus, Beginn 19:30 Uhr",
                "TOP 1: Haushaltssatzung 2026 – beschlossen mit 17 Ja-Stimmen",
                "TOP 2: Bebauungsplan „Am Sonnenhang“ – Satzungsbeschluss",
                "TOP 3: Neufassung der Friedhofsgebührensatzung – vertagt",
                "Ende der Sitzung: 21:45 Uhr",
            ]),
        ),
        doc(
            "Rechnung Streusalz Winterdienst",
            "Rechnung_Streusalz.pdf",
            None,
            Rechnung,
            "2026-04-20",
            "Odenwälder Baustoffhandel",
            &["Winterdienst"],
            letter(
                "Odenwälder Baustoffhandel KG, Gewerbepark 3",
                "20.04.2026",
                "Rechnung Nr. 2026-0417 – Streusalz",
                &[
                    "Lieferung von 12 Tonnen Streusalz für den Bauhof",
                    "Nettobetrag: 1.476,00 €, Umsatzsteuer 19 %: 280,44 €",
                    "Gesamtbetrag: 1.756,44 €, zahlbar bis 20.05.2026",
                ],
            ),
        ),
        doc(
            "Bürgeranfrage Straßenbeleuchtung Bergstraße",
            "Anfrage_Strassenbeleuchtung.eml",
            None,
            Eingang,
            "2026-04-22",
            "Martin Klein",
            &[],
            text(&[
                "From: Martin Klein <m.klein@example.net>",
                "To: rathaus@uebungsdorf.example",
                "Subject: Defekte Straßenlaterne Bergstraße 20",
                "Date: Wed, 22 Apr 2026 07:48:00 +0200",
                "Content-Type: text/plain; charset=utf-8",
                "",
                "Sehr geehrte Damen und Herren,",
                "",
                "die Straßenlaterne vor dem Haus Bergstraße 20 ist seit einer Woche",
                "dunkel. Können Sie die Reparatur veranlassen?",
                "",
                "Viele Grüße",
                "Martin Klein",
            ]),
        ),
        doc(
            "Gewerbeabmeldung Blumenladen Rosengarten",
            "Gewerbeabmeldung_Rosengarten.pdf",
            None,
            Eingang,
            "2026-04-23",
            "Anja Busch",
            &[],
            letter(
                "Anja Busch, Lindenstraße 1, 64720 Übungsdorf",
                "23.04.2026",
                "Gewerbeabmeldung – Blumenladen Rosengarten",
                &[
                    "ich gebe meinen Blumenladen zum 30.06.2026 auf und melde das",
                    "Gewerbe hiermit ab. Ein Nachfolger ist nicht vorhanden.",
                ],
            ),
        ),
        doc(
            "Antrag Ratenzahlung Friedhofsgebühren",
            "Antrag_Ratenzahlung.txt",
            None,
            Eingang,
            "2026-04-24",
            "Helga Lang",
            &[],
            text(&[
                "Antrag auf Ratenzahlung",
                "",
                "Helga Lang, Kirchgasse 4, 64720 Übungsdorf",
                "Bescheid vom 04.02.2026, Wahlgrab B 12, Betrag 850,00 €",
                "Ich beantrage die Zahlung in fünf Monatsraten zu 170,00 €.",
            ]),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_the_same_every_time() {
        assert_eq!(akten(), akten());
        assert_eq!(documents(), documents());
    }

    #[test]
    fn the_template_is_a_realistic_working_set() {
        let akten = akten();
        let documents = documents();
        assert!(akten.len() >= 10, "a dozen or so Akten");
        assert!(documents.len() >= 20, "about twenty documents");
        let inbox = documents.iter().filter(|d| d.akte.is_none()).count();
        assert!(inbox >= 3, "some documents wait in the Posteingang");
        for document in &documents {
            if let Some(key) = document.akte {
                assert!(akten.iter().any(|a| a.key == key), "{key}");
            }
            assert!(chrono::NaiveDate::parse_from_str(document.document_date, "%Y-%m-%d").is_ok());
        }
        for akte in &akten {
            assert!(
                crate::akten::validate_new(akte.title, akte.responsible, akte.opened_on).is_ok()
            );
            assert!(
                crate::aktenplan::code::Kennzeichen::parse(akte.plan_code).is_ok(),
                "{}",
                akte.plan_code
            );
        }
        let mut names: Vec<_> = documents.iter().map(|d| d.file_name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), documents.len(), "file names are unique");
        let pdfs = documents
            .iter()
            .filter(|d| d.bytes.starts_with(b"%PDF-"))
            .count();
        assert!(pdfs >= 12, "mostly PDFs with a text layer");
    }

    #[test]
    fn every_akte_sits_on_an_active_position_of_the_shipped_plan() {
        let plan = crate::aktenplan::csv_format::parse(crate::aktenplan::storage::SEED_CSV)
            .expect("the shipped plan parses");
        for akte in akten() {
            let position = plan
                .iter()
                .find(|p| p.code.as_str() == akte.plan_code)
                .unwrap_or_else(|| panic!("{} is not in the plan", akte.plan_code));
            assert!(position.active, "{}", akte.plan_code);
            assert!(
                position.code.level() >= crate::akten::MIN_AKTE_LEVEL,
                "{}",
                akte.plan_code
            );
        }
    }

    #[test]
    fn every_vorgang_holds_documents_of_its_own_akte() {
        let documents = documents();
        let akten = akten();
        for vorgang in vorgaenge() {
            let akte = akten
                .iter()
                .find(|a| a.key == vorgang.akte)
                .expect("its Akte");
            assert!(crate::vorgaenge::validate_new(vorgang.title, vorgang.opened_on).is_ok());
            assert!(vorgang.opened_on >= akte.opened_on, "{}", vorgang.title);
            if let Some(closed) = vorgang.closed_on {
                assert!(crate::vorgaenge::validate_closing(vorgang.opened_on, closed).is_ok());
                // An Akte closes after its last Vorgang.
                assert!(
                    akte.closed_on.is_none_or(|a| closed <= a),
                    "{}",
                    vorgang.title
                );
            } else {
                assert!(akte.closed_on.is_none(), "an open Vorgang in a closed Akte");
            }
            for name in vorgang.documents {
                let document = documents.iter().find(|d| d.file_name == *name).expect(name);
                assert_eq!(document.akte, Some(vorgang.akte), "{name}");
            }
        }
    }

    #[test]
    fn every_wiedervorlage_is_about_something_of_the_template() {
        let vorgaenge = vorgaenge();
        let documents = documents();
        for w in wiedervorlagen() {
            match (w.vorgang, w.document) {
                (Some(title), None) => {
                    let vorgang = vorgaenge.iter().find(|v| v.title == title).expect(title);
                    assert!(vorgang.closed_on.is_none(), "{title} is zdA");
                }
                (None, Some(name)) => {
                    assert!(documents.iter().any(|d| d.file_name == name), "{name}");
                }
                _ => panic!("exactly one subject: {w:?}"),
            }
            assert!(!w.reason.is_empty());
        }
    }

    #[test]
    fn the_laufweg_is_about_a_document_of_the_template() {
        let laufweg = laufweg();
        assert!(documents().iter().any(|d| d.file_name == laufweg.document));
        assert!(crate::laufwege::validate(
            laufweg.title,
            &[crate::laufwege::StepInput {
                user_id: "1".into(),
                kind: laufweg.kind.as_str().into(),
                stage: String::new(),
            }]
        )
        .is_ok());
    }

    #[test]
    fn every_akte_is_used() {
        let documents = documents();
        for akte in akten() {
            assert!(
                documents.iter().any(|d| d.akte == Some(akte.key)),
                "{}",
                akte.key
            );
        }
    }
}
