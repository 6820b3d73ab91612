//! The rollout dashboard (Einführungsstand): how far each municipality has
//! come, day by day or week by week. Every figure is computed from rows the
//! other features record anyway (sign-ins, the audit log's uploads and
//! filings, extracted pages, tour runs, attendance, acknowledgements,
//! questions); nothing is typed in by hand. Practice areas never count.
//!
//! This file holds the transfer types and who may see what; `figures.rs`
//! turns dated facts into series (plain Rust, unit-tested), `storage.rs`
//! reads them (from the summary `crate::rollout_days`, or from the raw
//! rows as the reference), `service.rs` decides who sees which, `check.rs`
//! compares summary and raw rows, `chart.rs` draws them, `csv_export.rs`
//! writes the file.

pub mod chart;
#[cfg(feature = "ssr")]
pub mod check;
#[cfg(feature = "ssr")]
pub mod csv_export;
pub mod figures;
pub mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;

use crate::auth::{Role, SessionUser};
use serde::{Deserialize, Serialize};

/// The longest range one request may ask for, in days.
pub const MAX_DAYS: i64 = 731;
/// The range shown when none is chosen, in days up to and including today.
pub const DEFAULT_DAYS: i64 = 28;

/// Which municipalities a person may see figures for: the project team all
/// four, a municipality's Administration its own (all four if responsible
/// for all). Nobody else, and nobody while practising.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    Own(i64),
}

pub fn scope_of(user: &SessionUser) -> Option<Scope> {
    if crate::auth::guard::Rule::ProjectTeam.allows(user) {
        return Some(Scope::All);
    }
    match crate::auth::permissions::acting_role(user) {
        Role::Administration if user.all_municipalities => Some(Scope::All),
        Role::Administration => Some(Scope::Own(user.municipality.id)),
        _ => None,
    }
}

impl Scope {
    pub fn includes(&self, municipality_id: i64) -> bool {
        match self {
            Scope::All => true,
            Scope::Own(id) => *id == municipality_id,
        }
    }
}

/// Days or ISO weeks (Monday to Sunday).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Granularity {
    #[default]
    Day,
    Week,
}

impl Granularity {
    /// The value in the address (`einteilung=tag|woche`).
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Day => "tag",
            Granularity::Week => "woche",
        }
    }

    pub fn parse(value: &str) -> Option<Granularity> {
        match value {
            "" | "tag" => Some(Granularity::Day),
            "woche" => Some(Granularity::Week),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Granularity::Day => "Tage",
            Granularity::Week => "Kalenderwochen",
        }
    }
}

/// How a figure adds up over a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Events counted in the period.
    Count,
    /// Different people in the period (a person active on three days of a
    /// week counts once for the week).
    People,
    /// A level at the end of the period (e.g. the Posteingang backlog).
    Level,
}

/// The figures of the dashboard, in the order shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Metric {
    ActiveUsers,
    Uploaded,
    Filed,
    InboxBacklog,
    VorgaengeClosed,
    LaufwegeCompleted,
    Pages,
    OcrPages,
    ToursFinished,
    TrainingAttended,
    Acknowledgements,
    QuestionsAsked,
    QuestionsOpen,
}

impl Metric {
    pub const ALL: [Metric; 13] = [
        Metric::ActiveUsers,
        Metric::Uploaded,
        Metric::Filed,
        Metric::InboxBacklog,
        Metric::VorgaengeClosed,
        Metric::LaufwegeCompleted,
        Metric::Pages,
        Metric::OcrPages,
        Metric::ToursFinished,
        Metric::TrainingAttended,
        Metric::Acknowledgements,
        Metric::QuestionsAsked,
        Metric::QuestionsOpen,
    ];

    /// Stable key for element ids, tests and the CSV.
    pub fn key(self) -> &'static str {
        match self {
            Metric::ActiveUsers => "aktive-personen",
            Metric::Uploaded => "hochgeladen",
            Metric::Filed => "abgelegt",
            Metric::InboxBacklog => "posteingang",
            Metric::VorgaengeClosed => "vorgaenge-zda",
            Metric::LaufwegeCompleted => "laufwege-abgeschlossen",
            Metric::Pages => "seiten",
            Metric::OcrPages => "ocr-seiten",
            Metric::ToursFinished => "rundgaenge",
            Metric::TrainingAttended => "schulungsteilnahmen",
            Metric::Acknowledgements => "kenntnisnahmen",
            Metric::QuestionsAsked => "fragen-gestellt",
            Metric::QuestionsOpen => "fragen-offen",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Metric::ActiveUsers => "Aktive Personen",
            Metric::Uploaded => "Hochgeladene Dokumente",
            Metric::Filed => "In Akten abgelegte Dokumente",
            Metric::InboxBacklog => "Unerledigt im Posteingang",
            Metric::VorgaengeClosed => "Zu den Akten verfügte Vorgänge",
            Metric::LaufwegeCompleted => "Abgeschlossene Laufwege",
            Metric::Pages => "Erfasste Seiten",
            Metric::OcrPages => "Gescannte Seiten mit Texterkennung",
            Metric::ToursFinished => "Abgeschlossene Rundgänge",
            Metric::TrainingAttended => "Schulungsteilnahmen",
            Metric::Acknowledgements => "Kenntnisnahmen",
            Metric::QuestionsAsked => "Gestellte Fragen",
            Metric::QuestionsOpen => "Unbeantwortete Fragen",
        }
    }

    /// One sentence under the heading: what exactly is counted.
    pub fn explanation(self) -> &'static str {
        match self {
            Metric::ActiveUsers => "Personen, die Aktenwerk im Zeitraum mindestens einmal benutzt haben (jede Person zählt je Zeitraum einmal).",
            Metric::Uploaded => "Neue Dokumente, die hochgeladen oder eingescannt wurden.",
            Metric::Filed => "Dokumente, die zum ersten Mal in eine Akte gelegt wurden (auch direkt beim Hochladen).",
            Metric::InboxBacklog => "Dokumente, die am Ende des Zeitraums noch im Posteingang lagen.",
            Metric::VorgaengeClosed => "Vorgänge, die elektronisch abgeschlossen wurden (am Tag der zdA-Verfügung).",
            Metric::LaufwegeCompleted => "Mitzeichnungen und Freigaben, die ohne Papierumlauf bis zum letzten Schritt liefen.",
            Metric::Pages => "Seiten, deren Text Aktenwerk gelesen hat, ob digital erzeugt oder eingescannt.",
            Metric::OcrPages => "Davon Seiten, die als Bild vorlagen und per Texterkennung (OCR) lesbar wurden: Papier, das nicht mehr abgeheftet werden muss.",
            Metric::ToursFinished => "Geführte Rundgänge, die bis zum letzten Schritt gemacht wurden.",
            Metric::TrainingAttended => "Teilnahmen an Schulungsterminen, die die Schulungsleitung als anwesend eingetragen hat (am Tag des Termins).",
            Metric::Acknowledgements => "Bestätigte Kenntnisnahmen von Mitteilungen und Dienstanweisungen.",
            Metric::QuestionsAsked => "Neue Fragen an das Projektteam.",
            Metric::QuestionsOpen => "Fragen, die am Ende des Zeitraums auf eine Antwort des Projektteams warteten.",
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Metric::ActiveUsers => Kind::People,
            Metric::InboxBacklog | Metric::QuestionsOpen => Kind::Level,
            _ => Kind::Count,
        }
    }

    pub fn from_key(key: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == key)
    }
}

/// One column of the time axis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// First day inside the chosen range, `YYYY-MM-DD`.
    pub start: String,
    /// Last day inside the chosen range, `YYYY-MM-DD`.
    pub end: String,
    /// Short label for axis and table: `24.11.` or `KW 48`.
    pub label: String,
    /// Long label for screen readers and the CSV: `Dienstag, 24.11.2026`
    /// or `KW 48/2026 (23.11.–29.11.2026)`.
    pub long_label: String,
}

/// One figure over time: a row per municipality, and the sum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub metric: Metric,
    /// `values[m][p]`: municipality `m` (as in [`Dashboard::municipalities`]),
    /// period `p`.
    pub values: Vec<Vec<i64>>,
    /// All municipalities of the scope together, per period.
    pub total: Vec<i64>,
    /// The whole range per municipality (sum, different people, or the level
    /// at the end), and for all together.
    pub range_values: Vec<i64>,
    pub range_total: i64,
}

/// Standing at the end of the range, per municipality: the rates the
/// project team steers by.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub municipality: String,
    /// Active accounts that existed at the end of the range.
    pub accounts: i64,
    /// Of them, who used Aktenwerk in the range.
    pub active_in_range: i64,
    /// Of them, who finished at least one walkthrough by the end.
    pub finished_a_tour: i64,
    /// Of them, who attended at least one training session by the end.
    pub attended_training: i64,
    /// Acknowledgements asked for by the end, and given by the end.
    pub acks_due: i64,
    pub acks_given: i64,
}

impl Standing {
    /// `12 von 40 (30 %)`, or `–` when nothing is due.
    pub fn share(part: i64, whole: i64) -> String {
        if whole <= 0 {
            "–".to_string()
        } else {
            format!("{part} von {whole} ({} %)", percent(part, whole))
        }
    }
}

/// Rounded percentage, 0 when `whole` is 0.
pub fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        0
    } else {
        (part * 100 + whole / 2) / whole
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityName {
    pub id: i64,
    pub name: String,
}

/// Everything the page and the CSV show for one request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The effective range, `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    pub granularity: Granularity,
    /// Municipalities shown, in order; one for a municipality's own view.
    pub municipalities: Vec<MunicipalityName>,
    /// All municipalities the person may choose from (for the filter).
    pub choosable: Vec<MunicipalityName>,
    /// The municipality filter in effect, if any.
    pub selected: Option<i64>,
    pub periods: Vec<Period>,
    pub series: Vec<Series>,
    /// Per municipality, then one row for all of them together.
    pub standings: Vec<Standing>,
}

impl Dashboard {
    pub fn series(&self, metric: Metric) -> Option<&Series> {
        self.series.iter().find(|s| s.metric == metric)
    }
}

/// What the filter form asks for; empty fields mean "the default".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardRequest {
    pub von: String,
    pub bis: String,
    pub einteilung: String,
    pub gemeinde: String,
}

impl DashboardRequest {
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> DashboardRequest {
        DashboardRequest {
            von: get("von").unwrap_or_default(),
            bis: get("bis").unwrap_or_default(),
            einteilung: get("einteilung").unwrap_or_default(),
            gemeinde: get("gemeinde").unwrap_or_default(),
        }
    }

    /// The query string for links (CSV download), without a leading `?`.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        for (key, value) in [
            ("von", &self.von),
            ("bis", &self.bis),
            ("einteilung", &self.einteilung),
            ("gemeinde", &self.gemeinde),
        ] {
            // Dates, ids and the two words: nothing needs escaping, but
            // anything else is dropped rather than passed on.
            if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                parts.push(format!("{key}={value}"));
            }
        }
        parts.join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_keys_are_unique_and_round_trip() {
        for metric in Metric::ALL {
            assert_eq!(Metric::from_key(metric.key()), Some(metric));
        }
        let mut keys: Vec<_> = Metric::ALL.iter().map(|m| m.key()).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), Metric::ALL.len());
    }

    #[test]
    fn percent_rounds_and_survives_zero() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(0, 0), 0);
        assert_eq!(Standing::share(0, 0), "–");
        assert_eq!(Standing::share(3, 4), "3 von 4 (75 %)");
    }

    #[test]
    fn request_query_keeps_only_harmless_values() {
        let request = DashboardRequest {
            von: "2026-11-01".into(),
            bis: "2026-11-30".into(),
            einteilung: "woche".into(),
            gemeinde: "2&x=<script>".into(),
        };
        assert_eq!(
            request.query(),
            "von=2026-11-01&bis=2026-11-30&einteilung=woche"
        );
    }

    #[test]
    fn granularity_parses_the_address_words() {
        assert_eq!(Granularity::parse(""), Some(Granularity::Day));
        assert_eq!(Granularity::parse("woche"), Some(Granularity::Week));
        assert_eq!(Granularity::parse("monat"), None);
    }
}
