//! A synthetic corpus of German municipal documents for the search benchmark
//! (issue 5) and for tests and demos that need realistic text.
//!
//! Bauanträge, Bescheide, Rechnungen, Protokolle, letters of citizens and the
//! answers to them, Vermerke and Verträge of four Odenwald municipalities,
//! filed in Akten under positions of the shipped seed plan. Everything is a
//! pure function of the seed: the same seed gives the same corpus, byte for
//! byte, on every machine, so benchmark figures can be compared.
//!
//! Every document is generated from its own random stream (seed and
//! position), so [`Corpus::doc`] can produce document 70,000 without the
//! 69,999 before it and a benchmark can stream 100,000 documents in batches
//! instead of holding half a gigabyte of text in memory.
//!
//! The words follow a Zipf-like law: a few hundred municipal words make up
//! most of the text, thousands of compounds ("Regenwasserzisterne") form a
//! long tail of rare terms. Nouns appear in several inflected forms
//! ("Bauantrag", "Bauantrags", "Bauanträge"), with umlauts and ß.

/// The text-PDF writer lives in the app (the practice area uses it too).
pub use app::documents::text_pdf as pdf;
mod words;

use app::search::index::IndexDoc;
use chrono::{Datelike, Duration, NaiveDate};
use std::fmt::Write as _;
use words::*;

/// One generated document: the fields the search index takes
/// ([`IndexDoc`]; see [`CorpusDoc::to_index_doc`]), plus equality for the
/// determinism tests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorpusDoc {
    pub document_id: i64,
    pub municipality_id: i64,
    pub municipality_code: String,
    /// The owner and, for shared Akten, the second municipality.
    pub visible_to: Vec<i64>,
    pub title: String,
    /// Empty for scans still waiting for OCR.
    pub text: String,
    /// eingang|ausgang|vermerk|bescheid|rechnung|vertrag|protokoll|sonstiges
    pub doc_type: String,
    pub correspondent: String,
    pub tags: Vec<String>,
    pub document_date: Option<NaiveDate>,
    /// Unix seconds.
    pub created_at: i64,
    pub akte_id: Option<i64>,
    pub aktenzeichen: Option<String>,
    pub akte_title: Option<String>,
    /// "offen" or "geschlossen"; `None` while in the Posteingang.
    pub akte_status: Option<String>,
    pub plan_code: Option<String>,
    pub plan_title: Option<String>,
}

impl CorpusDoc {
    /// What the search index takes.
    pub fn to_index_doc(&self) -> IndexDoc {
        IndexDoc {
            document_id: self.document_id,
            municipality_id: self.municipality_id,
            municipality_code: self.municipality_code.clone(),
            visible_to: self.visible_to.clone(),
            title: self.title.clone(),
            text: self.text.clone(),
            doc_type: self.doc_type.clone(),
            correspondent: self.correspondent.clone(),
            tags: self.tags.clone(),
            document_date: self.document_date,
            created_at: self.created_at,
            akte_id: self.akte_id,
            aktenzeichen: self.aktenzeichen.clone(),
            akte_title: self.akte_title.clone(),
            akte_status: self.akte_status.clone(),
            plan_code: self.plan_code.clone(),
            plan_title: self.plan_title.clone(),
            vorgang_id: None,
            vorgang_zeichen: None,
            vorgang_title: None,
        }
    }

    /// The same, without copying the text: for indexing large corpora.
    pub fn into_index_doc(self) -> IndexDoc {
        IndexDoc {
            document_id: self.document_id,
            municipality_id: self.municipality_id,
            municipality_code: self.municipality_code,
            visible_to: self.visible_to,
            title: self.title,
            text: self.text,
            doc_type: self.doc_type,
            correspondent: self.correspondent,
            tags: self.tags,
            document_date: self.document_date,
            created_at: self.created_at,
            akte_id: self.akte_id,
            aktenzeichen: self.aktenzeichen,
            akte_title: self.akte_title,
            akte_status: self.akte_status,
            plan_code: self.plan_code,
            plan_title: self.plan_title,
            vorgang_id: None,
            vorgang_zeichen: None,
            vorgang_title: None,
        }
    }
}

/// One generated Akte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Akte {
    pub id: i64,
    pub municipality_id: i64,
    pub visible_to: Vec<i64>,
    /// "MIC 621.1-0007".
    pub aktenzeichen: String,
    pub title: String,
    pub status: &'static str,
    pub plan_code: String,
    pub plan_title: String,
    theme: Theme,
}

/// All document types, as the index spells them.
pub const DOC_TYPES: [&str; 8] = [
    "eingang",
    "ausgang",
    "vermerk",
    "bescheid",
    "rechnung",
    "vertrag",
    "protokoll",
    "sonstiges",
];

/// The municipalities of the corpus: id and code.
pub fn municipalities() -> impl Iterator<Item = (i64, &'static str)> {
    MUNICIPALITIES.iter().map(|m| (m.0, m.1))
}

/// A small corpus for tests and demos: a few hundred documents, quickly.
pub fn sample(seed: u64) -> Vec<CorpusDoc> {
    generate(seed, 300)
}

/// `count` documents with ids 1..=count.
pub fn generate(seed: u64, count: usize) -> Vec<CorpusDoc> {
    let corpus = Corpus::new(seed, count);
    (0..count).map(|i| corpus.doc(i)).collect()
}

/// The generator: Akten, plan and vocabulary, shared by all documents.
pub struct Corpus {
    seed: u64,
    count: usize,
    akten: Vec<Akte>,
    vocabulary: Zipf,
}

/// What an Akte is about; decides which documents go into it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Theme {
    Bau,
    Abgaben,
    Gremien,
    Einrichtungen,
    Allgemein,
}

impl Theme {
    /// Main groups of the seed plan whose positions fit the theme.
    fn plan_prefixes(self) -> &'static [&'static str] {
        match self {
            Theme::Bau => &["60", "62", "63", "65"],
            Theme::Abgaben => &["92", "82", "81", "85", "91"],
            Theme::Gremien => &["01"],
            Theme::Einrichtungen => &["86", "84", "83", "14", "21", "34", "43", "66"],
            Theme::Allgemein => &["0", "1", "3", "4", "5", "7"],
        }
    }
}

/// The kinds of documents the generator writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Bauantrag,
    Anfrage,
    Widerspruch,
    Antwort,
    Bescheid,
    Rechnung,
    Protokoll,
    Vermerk,
    Vertrag,
    Sonstiges,
    Scan,
}

impl Kind {
    fn doc_type(self) -> &'static str {
        match self {
            Kind::Bauantrag | Kind::Anfrage | Kind::Widerspruch | Kind::Scan => "eingang",
            Kind::Antwort => "ausgang",
            Kind::Bescheid => "bescheid",
            Kind::Rechnung => "rechnung",
            Kind::Protokoll => "protokoll",
            Kind::Vermerk => "vermerk",
            Kind::Vertrag => "vertrag",
            Kind::Sonstiges => "sonstiges",
        }
    }

    /// Length of the text in words: letters are short, minutes and
    /// contracts long; together 150–3000.
    fn words(self) -> (f64, f64) {
        match self {
            Kind::Protokoll => (800.0, 3000.0),
            Kind::Vertrag => (600.0, 2500.0),
            Kind::Bescheid => (200.0, 700.0),
            Kind::Rechnung => (150.0, 400.0),
            Kind::Scan => (0.0, 0.0),
            _ => (150.0, 900.0),
        }
    }

    /// Weighted choice of a document kind for an Akte's theme, or for the
    /// Posteingang (`None`).
    fn pick(theme: Option<Theme>, rng: &mut Rng) -> Kind {
        use Kind::*;
        let table: &[(Kind, u32)] = match theme {
            Some(Theme::Bau) => &[
                (Bauantrag, 30),
                (Anfrage, 10),
                (Antwort, 15),
                (Bescheid, 10),
                (Vermerk, 15),
                (Widerspruch, 5),
                (Rechnung, 5),
                (Sonstiges, 5),
            ],
            Some(Theme::Abgaben) => &[
                (Bescheid, 40),
                (Widerspruch, 12),
                (Antwort, 15),
                (Anfrage, 8),
                (Rechnung, 10),
                (Vermerk, 10),
                (Sonstiges, 5),
            ],
            Some(Theme::Gremien) => &[
                (Protokoll, 45),
                (Antwort, 10),
                (Vermerk, 10),
                (Anfrage, 10),
                (Sonstiges, 10),
                (Vertrag, 5),
            ],
            Some(Theme::Einrichtungen) => &[
                (Rechnung, 40),
                (Vertrag, 15),
                (Vermerk, 15),
                (Anfrage, 10),
                (Antwort, 10),
                (Protokoll, 5),
                (Sonstiges, 5),
            ],
            Some(Theme::Allgemein) => &[
                (Anfrage, 25),
                (Antwort, 25),
                (Vermerk, 15),
                (Sonstiges, 15),
                (Rechnung, 10),
                (Vertrag, 5),
                (Protokoll, 5),
            ],
            None => &[
                (Anfrage, 30),
                (Rechnung, 30),
                (Bauantrag, 10),
                (Widerspruch, 10),
                (Sonstiges, 20),
            ],
        };
        let total: u32 = table.iter().map(|(_, w)| w).sum();
        let mut roll = rng.below(total as usize) as u32;
        for (kind, weight) in table {
            if roll < *weight {
                return *kind;
            }
            roll -= weight;
        }
        Kind::Sonstiges
    }
}

/// Share of documents still in the Posteingang (no Akte).
const POSTEINGANG: f64 = 0.15;
/// Share of documents that are scans without text.
const SCANS: f64 = 0.03;
/// Share of Akten shared with a second municipality.
const SHARED: f64 = 0.05;
/// Documents per Akte on average.
const DOCS_PER_AKTE: usize = 12;

impl Corpus {
    /// The generator for `count` documents. Builds the Akten and the
    /// vocabulary; documents are made on demand by [`Corpus::doc`].
    pub fn new(seed: u64, count: usize) -> Corpus {
        let plan = seed_plan();
        let mut rng = Rng::new(mix(seed, u64::MAX));
        let akten_count = (count / DOCS_PER_AKTE).max(40);
        let mut serials = std::collections::HashMap::<(i64, String), u32>::new();
        let mut akten = Vec::with_capacity(akten_count);
        for id in 1..=akten_count as i64 {
            let theme = *rng.pick(&[
                Theme::Bau,
                Theme::Bau,
                Theme::Abgaben,
                Theme::Abgaben,
                Theme::Gremien,
                Theme::Einrichtungen,
                Theme::Einrichtungen,
                Theme::Allgemein,
            ]);
            let fitting: Vec<&(String, String)> = plan
                .iter()
                .filter(|(code, _)| theme.plan_prefixes().iter().any(|p| code.starts_with(p)))
                .collect();
            let (plan_code, plan_title) = if fitting.is_empty() {
                rng.pick(&plan).clone()
            } else {
                (*rng.pick(&fitting)).clone()
            };
            let owner = pick_municipality(&mut rng);
            let mut visible_to = vec![owner.0];
            if rng.chance(SHARED) {
                let other = loop {
                    let other = rng.pick(&MUNICIPALITIES).0;
                    if other != owner.0 {
                        break other;
                    }
                };
                visible_to.push(other);
            }
            let serial = serials.entry((owner.0, plan_code.clone())).or_insert(0);
            *serial += 1;
            let subject = match theme {
                Theme::Bau | Theme::Abgaben => {
                    let (street, _) = address(&mut rng, owner);
                    format!("{street} ({})", rng.pick(&LAST_NAMES))
                }
                Theme::Gremien => format!("Wahlperiode {}", 2011 + 5 * rng.below(4)),
                _ => format!("{}", 2015 + rng.below(12)),
            };
            akten.push(Akte {
                id,
                municipality_id: owner.0,
                visible_to,
                aktenzeichen: format!("{} {}-{:04}", owner.1, plan_code, serial),
                title: format!("{plan_title} – {subject}"),
                status: if rng.chance(0.3) {
                    "geschlossen"
                } else {
                    "offen"
                },
                plan_code,
                plan_title,
                theme,
            });
        }
        Corpus {
            seed,
            count,
            akten,
            vocabulary: Zipf::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn akten(&self) -> &[Akte] {
        &self.akten
    }

    /// A word from the far end of the vocabulary's tail: it occurs in a few
    /// documents per thousand.
    pub fn rare_term(&self) -> &str {
        self.vocabulary.rare()
    }

    /// The document at `index` (id `index + 1`).
    pub fn doc(&self, index: usize) -> CorpusDoc {
        let mut rng = Rng::new(mix(self.seed, index as u64));
        let akte = if rng.chance(POSTEINGANG) {
            None
        } else {
            Some(&self.akten[rng.below(self.akten.len())])
        };
        let municipality = match akte {
            Some(akte) => MUNICIPALITIES
                .iter()
                .find(|m| m.0 == akte.municipality_id)
                .unwrap_or(&MUNICIPALITIES[0]),
            None => pick_municipality(&mut rng),
        };
        let kind = if rng.chance(SCANS) {
            Kind::Scan
        } else {
            Kind::pick(akte.map(|a| a.theme), &mut rng)
        };
        let date = random_date(&mut rng);
        let created_at = date
            .and_hms_opt(8, 0, 0)
            .map(|t| t.and_utc().timestamp())
            .unwrap_or_default()
            + rng.below(30 * 24 * 3600) as i64;
        let mut writer = Writer {
            rng,
            vocabulary: &self.vocabulary,
            municipality,
            date,
            aktenzeichen: akte.map(|a| a.aktenzeichen.as_str()),
            text: String::new(),
            words: 0,
        };
        let (title, correspondent) = writer.write(kind);
        let mut tags = Vec::new();
        while tags.len() < 3 && writer.rng.chance(0.25) {
            let tag = writer.rng.pick(&TAGS).to_string();
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        CorpusDoc {
            document_id: index as i64 + 1,
            municipality_id: municipality.0,
            municipality_code: municipality.1.to_string(),
            visible_to: akte.map_or_else(|| vec![municipality.0], |a| a.visible_to.clone()),
            title,
            text: writer.text,
            doc_type: kind.doc_type().to_string(),
            correspondent,
            tags,
            document_date: Some(date),
            created_at,
            akte_id: akte.map(|a| a.id),
            aktenzeichen: akte.map(|a| a.aktenzeichen.clone()),
            akte_title: akte.map(|a| a.title.clone()),
            akte_status: akte.map(|a| a.status.to_string()),
            plan_code: akte.map(|a| a.plan_code.clone()),
            plan_title: akte.map(|a| a.plan_title.clone()),
        }
    }

    /// Documents `range` in order, generated one by one.
    pub fn docs(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = CorpusDoc> + '_ {
        range.map(|i| self.doc(i))
    }
}

/// MIC 35 %, ERB 30 %, OBZ 25 %, BRO 10 %: Brombachtal is the small one.
fn pick_municipality(rng: &mut Rng) -> &'static Municipality {
    let roll = rng.below(100);
    let index = match roll {
        0..35 => 0,
        35..65 => 1,
        65..90 => 2,
        _ => 3,
    };
    &MUNICIPALITIES[index]
}

/// Codes and titles of the active positions of level 3 and deeper of the
/// shipped seed plan: where Akten are filed.
fn seed_plan() -> Vec<(String, String)> {
    let mut positions = Vec::new();
    for line in app::aktenplan::storage::SEED_CSV.lines().skip(1) {
        let mut fields = line.split(';');
        let (Some(code), Some(title)) = (fields.next(), fields.next()) else {
            continue;
        };
        let active = line.trim_end().ends_with(";ja");
        if active && code.len() >= 3 {
            positions.push((code.to_string(), title.to_string()));
        }
    }
    positions
}

fn random_date(rng: &mut Rng) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default();
    let last = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
    let span = (last - first).num_days() as usize;
    first + Duration::days(rng.below(span + 1) as i64)
}

/// Street with house number, and "PLZ Ort" of the municipality (sometimes an Ortsteil).
fn address(rng: &mut Rng, municipality: &Municipality) -> (String, String) {
    let stem = rng.pick(&STREET_STEMS);
    let kind = rng.pick(&STREET_KINDS);
    let number = 1 + rng.below(80);
    let suffix = if rng.chance(0.1) { "a" } else { "" };
    let street = format!("{stem}{kind} {number}{suffix}");
    let town = if rng.chance(0.4) {
        format!(
            "{} {}-{}",
            municipality.3,
            municipality.2,
            rng.pick(municipality.5)
        )
    } else {
        format!("{} {}", municipality.3, municipality.2)
    };
    (street, town)
}

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(&FIRST_NAMES), rng.pick(&LAST_NAMES))
}

/// "1.234,56 €".
pub fn euro(cents: u64) -> String {
    let euros = cents / 100;
    let mut digits = euros.to_string();
    let mut grouped = String::new();
    while digits.len() > 3 {
        let tail = digits.split_off(digits.len() - 3);
        grouped = format!(".{tail}{grouped}");
    }
    format!("{digits}{grouped},{:02} €", cents % 100)
}

fn german_date(date: NaiveDate) -> String {
    format!("{:02}.{:02}.{}", date.day(), date.month(), date.year())
}

/// An IBAN-like number: "DE12 5085 1952 0001 2345 67".
fn iban(rng: &mut Rng) -> String {
    let mut digits = format!("{:02}", rng.below(100));
    for _ in 0..18 {
        digits.push(char::from(b'0' + rng.below(10) as u8));
    }
    let mut out = String::from("DE");
    for (i, c) in digits.chars().enumerate() {
        if i == 2 || (i > 2 && (i - 2) % 4 == 0) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Writes one document's text and picks its title and correspondent.
struct Writer<'a> {
    rng: Rng,
    vocabulary: &'a Zipf,
    municipality: &'static Municipality,
    date: NaiveDate,
    aktenzeichen: Option<&'a str>,
    text: String,
    words: usize,
}

const CITIZEN_TOPICS: [&str; 14] = [
    "die defekte Straßenbeleuchtung",
    "Schlaglöcher in der Fahrbahn",
    "Lärm durch Bauarbeiten",
    "den Baumschnitt an der Grundstücksgrenze",
    "einen Kindergartenplatz für unsere Tochter",
    "den Winterdienst auf dem Gehweg",
    "das Parken auf dem Gehweg",
    "die Grabpflege auf dem Friedhof",
    "den Glasfaserausbau in unserer Straße",
    "die Höhe der Abwassergebühren",
    "die Sperrung der Ortsdurchfahrt",
    "den Zustand des Spielplatzes",
    "die Anmeldung eines Hundes",
    "Akteneinsicht in die Bauakte",
];

const VORHABEN: [&str; 8] = [
    "Neubau eines Einfamilienhauses mit Carport",
    "Anbau eines Wintergartens",
    "Errichtung einer Garage",
    "Umbau und Sanierung eines Fachwerkhauses",
    "Neubau eines Zweifamilienhauses",
    "Nutzungsänderung einer Scheune zu Wohnzwecken",
    "Errichtung einer Photovoltaikanlage auf dem Dach",
    "Abbruch eines Nebengebäudes",
];

const TOPS: [&str; 14] = [
    "Genehmigung der Niederschrift der letzten Sitzung",
    "Mitteilungen des Bürgermeisters",
    "Haushaltssatzung und Haushaltsplan",
    "Bebauungsplan „Am Kellereiberg“, Aufstellungsbeschluss",
    "Änderung der Abwassersatzung",
    "Vergabe der Straßenbauarbeiten",
    "Sanierung des Bürgerhauses",
    "Antrag der Fraktion auf Einrichtung einer Tempo-30-Zone",
    "Friedhofsgebührensatzung",
    "Anfragen der Fraktionen",
    "Kindertagesstätten, Gebührenanpassung",
    "Beschaffung eines Löschfahrzeugs für die Feuerwehr",
    "Glasfaserausbau, Kooperationsvertrag",
    "Verschiedenes",
];

impl Writer<'_> {
    fn push(&mut self, text: &str) {
        self.words += text.split_whitespace().count();
        self.text.push_str(text);
    }

    fn line(&mut self, text: &str) {
        self.push(text);
        self.text.push('\n');
    }

    fn town(&self) -> &'static str {
        self.municipality.2
    }

    /// "Stadt Michelstadt" / "Gemeinde Brombachtal".
    fn authority(&self) -> String {
        if self.municipality.0 == 4 {
            format!("Gemeinde {}", self.town())
        } else {
            format!("Magistrat der Stadt {}", self.town())
        }
    }

    fn letterhead(&mut self, sender: &str, street: &str, town: &str) {
        self.line(sender);
        self.line(street);
        self.line(town);
        self.text.push('\n');
        let place = format!("{}, den {}", self.town(), german_date(self.date));
        self.line(&place);
        if let Some(az) = self.aktenzeichen {
            let az = format!("Aktenzeichen: {az}");
            self.line(&az);
        }
        self.text.push('\n');
    }

    /// One sentence of Zipf-distributed municipal prose.
    fn sentence(&mut self) {
        let mut s = String::new();
        s.push_str(self.rng.pick::<&str>(&CONNECTORS));
        s.push(' ');
        s.push_str(self.vocabulary.sample(&mut self.rng));
        for _ in 0..self.rng.below(4) {
            s.push(' ');
            s.push_str(self.rng.pick::<&str>(&LINKS));
            s.push(' ');
            s.push_str(self.vocabulary.sample(&mut self.rng));
        }
        match self.rng.below(10) {
            0 => {
                let amount = euro(self.rng.below(500_000) as u64 + 100);
                let _ = write!(s, " in Höhe von {amount}");
            }
            1 => {
                let d = german_date(random_date(&mut self.rng));
                let _ = write!(s, " vom {d}");
            }
            _ => {}
        }
        s.push(' ');
        s.push_str(self.rng.pick::<&str>(&PREDICATES));
        s.push_str(". ");
        self.push(&s);
    }

    /// Prose until the text has `target` words, in paragraphs.
    fn fill(&mut self, target: usize) {
        while self.words < target {
            for _ in 0..(2 + self.rng.below(5)) {
                self.sentence();
            }
            self.text.push_str("\n\n");
        }
    }

    fn target(&mut self, kind: Kind) -> usize {
        let (lo, hi) = kind.words();
        if hi == 0.0 {
            return 0;
        }
        (lo * (hi / lo).powf(self.rng.unit())) as usize
    }

    /// Writes the text; returns title and correspondent.
    fn write(&mut self, kind: Kind) -> (String, String) {
        let target = self.target(kind);
        let municipality = self.municipality;
        let (title, correspondent) = match kind {
            Kind::Scan => (
                format!(
                    "Scan {} {:04}",
                    german_date(self.date),
                    self.rng.below(10_000)
                ),
                String::new(),
            ),
            Kind::Bauantrag => {
                let bauherr = person(&mut self.rng);
                let (street, town) = address(&mut self.rng, municipality);
                let vorhaben = *self.rng.pick(&VORHABEN);
                let authority = format!("Bauaufsicht, {}", self.authority());
                self.letterhead(&bauherr, &street, &town);
                self.line(&format!("An: {authority}"));
                self.line("Antrag auf Baugenehmigung nach § 64 HBO");
                self.line(&format!("Bauvorhaben: {vorhaben}"));
                let flur = format!(
                    "Baugrundstück: {street}, {town}, Gemarkung {}, Flur {}, Flurstück {}/{}",
                    self.rng.pick(municipality.5),
                    1 + self.rng.below(20),
                    1 + self.rng.below(400),
                    1 + self.rng.below(9)
                );
                self.line(&flur);
                let architect = *self.rng.pick(&COMPANIES);
                self.line(&format!(
                    "Bauherr: {bauherr}. Entwurfsverfasser: {architect}."
                ));
                self.line("Dem Bauantrag sind Lageplan, Bauzeichnungen, Baubeschreibung und Standsicherheitsnachweis beigefügt.");
                self.fill(target);
                self.line("Mit freundlichen Grüßen");
                self.line(&bauherr);
                (format!("Bauantrag {vorhaben}, {street}"), bauherr)
            }
            Kind::Anfrage => {
                let citizen = person(&mut self.rng);
                let (street, town) = address(&mut self.rng, municipality);
                let topic = *self.rng.pick(&CITIZEN_TOPICS);
                self.letterhead(&citizen, &street, &town);
                self.line(&format!("Betreff: Anfrage zu {topic}"));
                self.line("Sehr geehrte Damen und Herren,");
                self.line(&format!(
                    "ich wende mich an Sie wegen {topic} in der {street} in {}.",
                    self.town()
                ));
                self.fill(target);
                self.line("Für eine baldige Antwort wäre ich Ihnen dankbar.");
                self.line("Mit freundlichen Grüßen");
                self.line(&citizen);
                (format!("Anfrage zu {topic}"), citizen)
            }
            Kind::Widerspruch => {
                let citizen = person(&mut self.rng);
                let (street, town) = address(&mut self.rng, municipality);
                let (bescheid, _) = *self.rng.pick(&BESCHEID_KINDS);
                let earlier = german_date(self.date - Duration::days(20));
                self.letterhead(&citizen, &street, &town);
                self.line(&format!("Widerspruch gegen den {bescheid} vom {earlier}"));
                self.line("Sehr geehrte Damen und Herren,");
                self.line(&format!(
                    "gegen den {bescheid} vom {earlier} lege ich hiermit fristgerecht Widerspruch ein. Die Begründung reiche ich nach."
                ));
                self.fill(target);
                self.line("Mit freundlichen Grüßen");
                self.line(&citizen);
                (
                    format!("Widerspruch gegen {bescheid} vom {earlier}"),
                    citizen,
                )
            }
            Kind::Antwort => {
                let citizen = person(&mut self.rng);
                let (street, town) = address(&mut self.rng, municipality);
                let topic = *self.rng.pick(&CITIZEN_TOPICS);
                let sender = self.authority();
                self.letterhead(
                    &sender,
                    "Erbacher Straße 1",
                    &format!("{} {}", municipality.3, self.town()),
                );
                self.line(&format!("{citizen}, {street}, {town}"));
                self.line(&format!("Ihr Schreiben zu {topic}"));
                self.line(&format!("Sehr geehrte(r) {citizen},"));
                self.line("vielen Dank für Ihr Schreiben. Wir haben den Sachverhalt geprüft und teilen Ihnen Folgendes mit.");
                self.fill(target);
                self.line("Mit freundlichen Grüßen");
                self.line("Im Auftrag");
                (format!("Antwort an {citizen}: {topic}"), citizen)
            }
            Kind::Bescheid => {
                let citizen = person(&mut self.rng);
                let (street, town) = address(&mut self.rng, municipality);
                let (name, what) = *self.rng.pick(&BESCHEID_KINDS);
                let year = self.date.year();
                let sender = self.authority();
                self.letterhead(
                    &sender,
                    "Steueramt",
                    &format!("{} {}", municipality.3, self.town()),
                );
                self.line(&format!("{citizen}, {street}, {town}"));
                self.line(&format!("{name} {year} über {what}"));
                self.line(&format!("Sehr geehrte(r) {citizen},"));
                let base = self.rng.below(200_000) as u64 + 2_000;
                self.line(&format!(
                    "für das Grundstück {street} wird für das Jahr {year} festgesetzt: {what} {}.",
                    euro(base)
                ));
                let account = iban(&mut self.rng);
                self.line(&format!(
                    "Der Betrag ist fällig zum {} und auf das Konto der Gemeindekasse, IBAN {account}, zu überweisen.",
                    german_date(self.date + Duration::days(30)),
                ));
                self.fill(target);
                self.line("Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden.");
                (format!("{name} {year} – {citizen}"), citizen)
            }
            Kind::Rechnung => {
                let company = *self.rng.pick(&COMPANIES);
                let company = if self.rng.chance(0.2) {
                    format!("Stadtwerke {}", self.town())
                } else {
                    company.to_string()
                };
                let number = format!("RE-{}-{:06}", self.date.year(), self.rng.below(1_000_000));
                let sender = company.clone();
                self.letterhead(&sender, "Industriestraße 7", "64711 Erbach");
                self.line(&format!("Rechnung Nr. {number}"));
                self.line(&format!(
                    "Rechnungsnummer: {number}, Rechnungsdatum: {}",
                    german_date(self.date)
                ));
                let mut net = 0u64;
                for position in 1..=(1 + self.rng.below(6)) {
                    let amount = self.rng.below(250_000) as u64 + 500;
                    net += amount;
                    let item = self.vocabulary.sample(&mut self.rng);
                    self.line(&format!("Pos. {position}: {item}, {}", euro(amount)));
                }
                let tax = net * 19 / 100;
                self.line(&format!(
                    "Nettobetrag {}, zzgl. 19 % MwSt. {}, Gesamtbetrag {}",
                    euro(net),
                    euro(tax),
                    euro(net + tax)
                ));
                let account = iban(&mut self.rng);
                self.line(&format!(
                    "Zahlbar innerhalb von 14 Tagen ohne Abzug auf IBAN {account}."
                ));
                self.fill(target);
                (format!("Rechnung {number} {company}"), company)
            }
            Kind::Protokoll => {
                let body = if self.rng.chance(0.5) {
                    municipality.4.to_string()
                } else {
                    self.rng.pick(&COMMITTEES).to_string()
                };
                let date = german_date(self.date);
                self.line(&format!(
                    "Niederschrift über die öffentliche Sitzung der {body} der {} am {date}",
                    if municipality.0 == 4 {
                        format!("Gemeinde {}", self.town())
                    } else {
                        format!("Stadt {}", self.town())
                    }
                ));
                self.line(&format!(
                    "Sitzung der {body}, Beginn 19:30 Uhr, Bürgerhaus {}",
                    self.town()
                ));
                let tops = 3 + self.rng.below(8);
                let per_top = target / tops;
                for top in 1..=tops {
                    let title = *self.rng.pick(&TOPS);
                    self.line(&format!("TOP {top}: {title}"));
                    self.fill(per_top * top);
                    let yes = self.rng.below(25);
                    let no = self.rng.below(8);
                    let abstain = self.rng.below(4);
                    self.line(&format!(
                        "Beschluss: Die {body} beschließt mit {yes} Ja-Stimmen, {no} Nein-Stimmen und {abstain} Enthaltungen."
                    ));
                }
                self.line("Ende der Sitzung: 22:15 Uhr. Für die Niederschrift: Schriftführung");
                (format!("Niederschrift {body} {date}"), body)
            }
            Kind::Vermerk => {
                let person = person(&mut self.rng);
                let topic = *self.rng.pick(&CITIZEN_TOPICS);
                self.line("Aktenvermerk");
                if let Some(az) = self.aktenzeichen {
                    self.line(&format!("Aktenzeichen: {az}"));
                }
                self.line(&format!(
                    "Telefonat am {} mit {person} über {topic}.",
                    german_date(self.date)
                ));
                self.fill(target);
                self.line("Wiedervorlage in vier Wochen.");
                (format!("Vermerk: {topic}"), person)
            }
            Kind::Vertrag => {
                let company = self.rng.pick(&COMPANIES).to_string();
                let subject = self.vocabulary.sample(&mut self.rng).to_string();
                let town = self.town();
                self.line(&format!("Vertrag über {subject}"));
                self.line(&format!(
                    "zwischen der Stadt {town}, vertreten durch den {}, und {company}",
                    if municipality.0 == 4 {
                        "Gemeindevorstand"
                    } else {
                        "Magistrat"
                    }
                ));
                for (n, heading) in [
                    "Gegenstand",
                    "Leistungen",
                    "Vergütung",
                    "Laufzeit und Kündigung",
                    "Gewährleistung",
                    "Schlussbestimmungen",
                ]
                .iter()
                .enumerate()
                {
                    self.line(&format!("§ {} {heading}", n + 1));
                    let part = target * (n + 1) / 6;
                    self.fill(part);
                }
                let amount = euro(self.rng.below(10_000_000) as u64 + 100_000);
                self.line(&format!(
                    "Die Vergütung beträgt pauschal {amount} zuzüglich Umsatzsteuer."
                ));
                (format!("Vertrag {subject} mit {company}"), company)
            }
            Kind::Sonstiges => {
                let what = *self.rng.pick(&[
                    "Pressemitteilung",
                    "Einladung",
                    "Aushang",
                    "Rundschreiben",
                    "Bekanntmachung",
                ]);
                let subject = self.vocabulary.sample(&mut self.rng).to_string();
                let sender = if self.rng.chance(0.5) {
                    self.rng.pick(&AUTHORITIES).to_string()
                } else {
                    self.authority()
                };
                self.line(&format!("{what}: {subject}"));
                self.fill(target);
                (format!("{what} {subject}"), sender)
            }
        };
        (title, correspondent)
    }
}

/// The vocabulary with Zipf weights (exponent 1): rank r is drawn with
/// probability proportional to 1/r.
struct Zipf {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new() -> Zipf {
        let mut words: Vec<String> = COMMON.iter().map(|w| w.to_string()).collect();
        let mut compounds = Vec::with_capacity(COMPOUND_HEADS.len() * COMPOUND_TAILS.len());
        for head in COMPOUND_HEADS {
            for tail in COMPOUND_TAILS {
                compounds.push(format!("{head}{tail}"));
            }
        }
        // A fixed shuffle, the same for every seed, so that the tail's order
        // is not alphabetical and the rare term is the same word everywhere.
        let mut rng = Rng::new(0x005e_ed0f_2a11);
        for i in (1..compounds.len()).rev() {
            compounds.swap(i, rng.below(i + 1));
        }
        words.extend(compounds);
        let mut total = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Zipf { words, cumulative }
    }

    fn sample(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let target = rng.unit() * total;
        let rank = self.cumulative.partition_point(|&c| c < target);
        &self.words[rank.min(self.words.len() - 1)]
    }

    fn rare(&self) -> &str {
        &self.words[self.words.len() - 1]
    }
}

/// splitmix64: small, fast and good enough for test data; no crate needed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The seed of one document's stream: independent of all other documents.
fn mix(seed: u64, index: u64) -> u64 {
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0xd129_0d3b_8f5e_a1c7));
    rng.next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_corpus() {
        assert_eq!(generate(7, 200), generate(7, 200));
    }

    #[test]
    fn different_seed_different_corpus() {
        let a = generate(7, 50);
        let b = generate(8, 50);
        assert_ne!(a, b);
        assert!(a.iter().zip(&b).filter(|(x, y)| x.text == y.text).count() < 5);
    }

    #[test]
    fn documents_do_not_depend_on_their_neighbours() {
        let corpus = Corpus::new(3, 1000);
        let all = generate(3, 1000);
        assert_eq!(corpus.doc(777), all[777]);
    }

    #[test]
    fn distribution_is_sane() {
        let docs = sample(42);
        assert_eq!(docs.len(), 300);
        for doc_type in DOC_TYPES {
            assert!(docs.iter().any(|d| d.doc_type == doc_type), "no {doc_type}");
        }
        for (id, code) in municipalities() {
            assert!(docs
                .iter()
                .any(|d| d.municipality_id == id && d.municipality_code == code));
        }
        let empty = docs.iter().filter(|d| d.text.is_empty()).count();
        assert!((1..30).contains(&empty), "{empty} scans");
        let in_posteingang = docs.iter().filter(|d| d.akte_id.is_none()).count();
        assert!((15..90).contains(&in_posteingang), "{in_posteingang}");
        for doc in docs.iter().filter(|d| !d.text.is_empty()) {
            let words = doc.text.split_whitespace().count();
            assert!((100..4000).contains(&words), "{words} words");
            assert!(doc.visible_to.contains(&doc.municipality_id));
            assert!(doc.akte_id.is_some() == doc.aktenzeichen.is_some());
        }
        let years: std::collections::BTreeSet<i32> = docs
            .iter()
            .filter_map(|d| d.document_date.map(|d| d.year()))
            .collect();
        assert_eq!(years.first(), Some(&2015));
        assert_eq!(years.last(), Some(&2026));
    }

    #[test]
    fn akten_follow_the_seed_plan_and_some_are_shared() {
        let corpus = Corpus::new(42, 12_000);
        let plan = seed_plan();
        let shared = corpus
            .akten()
            .iter()
            .filter(|a| a.visible_to.len() == 2)
            .count();
        assert!((20..100).contains(&shared), "{shared} of 1000 shared");
        for akte in corpus.akten() {
            assert!(plan.iter().any(|(code, _)| *code == akte.plan_code));
            let code = MUNICIPALITIES
                .iter()
                .find(|m| m.0 == akte.municipality_id)
                .map(|m| m.1)
                .unwrap_or_default();
            assert!(akte
                .aktenzeichen
                .starts_with(&format!("{code} {}-", akte.plan_code)));
        }
    }

    #[test]
    fn german_words_and_amounts_occur() {
        let text: String = sample(1).into_iter().map(|d| d.text).collect();
        for word in [
            "Bauantrag",
            "Straße",
            "Gemeindevertretung",
            "Rechnung",
            " €",
            "IBAN DE",
        ] {
            assert!(text.contains(word), "{word} missing");
        }
        assert_eq!(euro(123_456), "1.234,56 €");
        assert_eq!(euro(5), "0,05 €");
        assert_eq!(euro(100_000_000), "1.000.000,00 €");
    }

    #[test]
    fn the_sample_indexes_and_is_found() {
        use app::search::index::{SearchIndex, Viewer};
        let docs = sample(42);
        let index = SearchIndex::in_memory().expect("index");
        let converted: Vec<IndexDoc> = docs.iter().map(CorpusDoc::to_index_doc).collect();
        index.upsert(&converted).expect("upsert");
        index.commit().expect("commit");
        assert_eq!(index.num_docs(), 300);
        let viewer = Viewer {
            municipalities: vec![1, 2, 3, 4],
        };
        let params = app::search::SearchParams {
            q: "Rechnung".into(),
            page: 1,
            ..Default::default()
        };
        let results = index.search(&viewer, &params).expect("search");
        assert!(results.total > 10, "{}", results.total);
    }

    #[test]
    fn the_rare_term_is_rare_but_exists() {
        let corpus = Corpus::new(42, 5000);
        let rare = corpus.rare_term().to_string();
        let hits = corpus
            .docs(0..5000)
            .filter(|d| d.text.contains(&rare))
            .count();
        assert!((1..100).contains(&hits), "{rare}: {hits}");
    }
}
