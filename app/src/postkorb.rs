//! The Postkorb: what waits for one person. Wiedervorlagen bring a
//! document or Vorgang back on a day (Berlin time), Zuweisungen put one
//! into a colleague's Postkorb with a note, and the person's own open
//! Vorgänge are listed beside them. Everything is about a document or a
//! Vorgang of the person's own municipality.

pub mod page;
pub mod panel;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;

use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// What a Wiedervorlage or Zuweisung is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Subject {
    Document(i64),
    Vorgang(i64),
}

impl Subject {
    /// `dokument` or `vorgang` with its id, as forms send them.
    pub fn parse(kind: &str, id: i64) -> Result<Subject, AppError> {
        match kind {
            "dokument" => Ok(Subject::Document(id)),
            "vorgang" => Ok(Subject::Vorgang(id)),
            _ => Err(AppError::invalid(
                "Eine Wiedervorlage gehört zu einem Dokument oder einem Vorgang.",
            )),
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            Subject::Document(_) => "dokument",
            Subject::Vorgang(_) => "vorgang",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Subject::Document(id) | Subject::Vorgang(id) => id,
        }
    }

    pub fn href(self) -> String {
        match self {
            Subject::Document(id) => format!("/dokumente/{id}"),
            Subject::Vorgang(id) => format!("/vorgaenge/{id}"),
        }
    }

    /// "Dokument" or "Vorgang", for people.
    pub fn label(self) -> &'static str {
        match self {
            Subject::Document(_) => "Dokument",
            Subject::Vorgang(_) => "Vorgang",
        }
    }
}

pub use crate::users::Colleague;

/// When a Wiedervorlage is due, seen from today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Urgency {
    Overdue,
    Today,
    Upcoming,
}

/// The urgency of a Wiedervorlage due on `due_on` (Berlin days).
pub fn urgency(due_on: chrono::NaiveDate, today: chrono::NaiveDate) -> Urgency {
    match due_on.cmp(&today) {
        std::cmp::Ordering::Less => Urgency::Overdue,
        std::cmp::Ordering::Equal => Urgency::Today,
        std::cmp::Ordering::Greater => Urgency::Upcoming,
    }
}

/// A Wiedervorlage as lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wiedervorlage {
    pub id: i64,
    pub subject: Subject,
    pub subject_title: String,
    /// The Vorgang's Zeichen or the Akte's Aktenzeichen, if filed.
    pub subject_zeichen: Option<String>,
    pub for_user_id: i64,
    pub for_user: String,
    /// YYYY-MM-DD
    pub due_on: String,
    pub urgency: Urgency,
    pub reason: String,
    pub created_by: String,
}

/// A Zuweisung waiting in a Postkorb.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Zuweisung {
    pub id: i64,
    pub subject: Subject,
    pub subject_title: String,
    pub subject_zeichen: Option<String>,
    pub from: String,
    pub note: String,
    /// When it was assigned, for people.
    pub assigned_at: String,
}

/// How many items a list of the Postkorb shows unless all are asked for:
/// a page of thousands helps nobody and takes seconds to draw.
pub const SHOWN: i64 = 50;

/// How many items each list of a Postkorb holds in full.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub due: i64,
    pub assigned: i64,
    pub upcoming: i64,
    pub asked: i64,
    pub vorgaenge: i64,
}

/// One person's Postkorb.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Postkorb {
    /// Today in Berlin, YYYY-MM-DD.
    pub today: String,
    /// Wiedervorlagen due today or overdue, the oldest first.
    pub due: Vec<Wiedervorlage>,
    pub assigned: Vec<Zuweisung>,
    /// Wiedervorlagen still to come, the next first.
    pub upcoming: Vec<Wiedervorlage>,
    /// Vorgänge the person is responsible for and that are not zdA.
    pub vorgaenge: Vec<crate::vorgaenge::VorgangSummary>,
    /// Steps of Laufwege asking the person now.
    pub asked: Vec<crate::laufwege::AskedStep>,
    /// Laufwege the person started that came back.
    pub returned: Vec<crate::laufwege::ReturnedLaufweg>,
    /// Seen in Vertretung: the absent colleague whose Postkorb this is
    /// (`None`: one's own).
    pub owner: Option<String>,
    /// In one's own Postkorb: the colleagues one stands in for today.
    pub vertreten: Vec<crate::vertretung::Vertreten>,
    /// The full counts; the lists hold the first [`SHOWN`] of each unless
    /// all were asked for.
    pub totals: Totals,
}

impl Postkorb {
    /// What needs the person (or the absent colleague) today.
    pub fn waiting(&self) -> i64 {
        self.totals.due + self.totals.assigned + self.totals.asked + self.returned.len() as i64
    }
}

/// The Wiedervorlagen of one document or Vorgang and who could get one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUps {
    /// Open ones, the next due first.
    pub wiedervorlagen: Vec<Wiedervorlage>,
    /// The own municipality's clerks, the person first.
    pub colleagues: Vec<Colleague>,
    pub today: String,
}

/// How a Wiedervorlage is settled with one click.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settle {
    Done,
    Cancel,
    Postpone(chrono::NaiveDate),
}

impl Settle {
    /// `erledigt`, `abbrechen` or `verschieben` (to `due_on`).
    pub fn parse(action: &str, due_on: &str) -> Result<Settle, AppError> {
        match action {
            "erledigt" => Ok(Settle::Done),
            "abbrechen" => Ok(Settle::Cancel),
            "verschieben" => Ok(Settle::Postpone(parse_day(due_on)?)),
            _ => Err(AppError::invalid("Diese Aktion gibt es nicht.")),
        }
    }
}

fn parse_day(value: &str) -> Result<chrono::NaiveDate, AppError> {
    chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::invalid("Das Datum der Wiedervorlage ist ungültig (Format JJJJ-MM-TT).")
    })
}

/// A Wiedervorlage's day and reason, checked against today: not in the
/// past, a reason of at most 500 characters.
pub fn validate_wiedervorlage(
    due_on: &str,
    reason: &str,
    today: chrono::NaiveDate,
) -> Result<(chrono::NaiveDate, String), AppError> {
    let due = parse_day(due_on)?;
    if due < today {
        return Err(AppError::invalid(
            "Eine Wiedervorlage liegt heute oder später, nicht in der Vergangenheit.",
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::invalid(
            "Bitte nennen Sie den Grund der Wiedervorlage (höchstens 500 Zeichen).",
        ));
    }
    if reason.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "Der Grund darf keine Steuerzeichen enthalten.",
        ));
    }
    Ok((due, reason.to_string()))
}

/// The note of a Zuweisung: optional, at most 1000 characters, line
/// breaks allowed.
pub fn validate_note(note: &str) -> Result<String, AppError> {
    let note = note.trim();
    if note.chars().count() > 1000 {
        return Err(AppError::invalid(
            "Die Notiz ist zu lang (höchstens 1000 Zeichen).",
        ));
    }
    if note
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(AppError::invalid(
            "Die Notiz darf keine Steuerzeichen enthalten.",
        ));
    }
    Ok(note.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day")
    }

    #[test]
    fn subjects_round_trip_through_forms() {
        for subject in [Subject::Document(7), Subject::Vorgang(3)] {
            assert_eq!(
                Subject::parse(subject.kind(), subject.id()).ok(),
                Some(subject)
            );
        }
        assert!(Subject::parse("akte", 1).is_err());
        assert_eq!(Subject::Vorgang(3).href(), "/vorgaenge/3");
    }

    #[test]
    fn urgency_follows_the_berlin_day() {
        let today = day("2027-03-28");
        assert_eq!(urgency(day("2027-03-27"), today), Urgency::Overdue);
        assert_eq!(urgency(today, today), Urgency::Today);
        assert_eq!(urgency(day("2027-03-29"), today), Urgency::Upcoming);
    }

    #[test]
    fn a_wiedervorlage_needs_a_day_not_past_and_a_reason() {
        let today = day("2026-12-07");
        assert!(validate_wiedervorlage("2026-12-06", "Frist", today).is_err());
        assert!(validate_wiedervorlage("07.12.2026", "Frist", today).is_err());
        assert!(validate_wiedervorlage("2026-12-08", "  ", today).is_err());
        assert!(validate_wiedervorlage("2026-12-08", &"x".repeat(501), today).is_err());
        assert!(validate_wiedervorlage("2026-12-08", "Frist\u{7}", today).is_err());
        let (due, reason) =
            validate_wiedervorlage(" 2026-12-07 ", " Frist prüfen ", today).expect("valid");
        assert_eq!((due, reason.as_str()), (today, "Frist prüfen"));
    }

    #[test]
    fn settling_is_one_of_three_clicks() {
        assert_eq!(Settle::parse("erledigt", "").ok(), Some(Settle::Done));
        assert_eq!(Settle::parse("abbrechen", "").ok(), Some(Settle::Cancel));
        assert_eq!(
            Settle::parse("verschieben", "2026-12-24").ok(),
            Some(Settle::Postpone(day("2026-12-24")))
        );
        assert!(Settle::parse("verschieben", "bald").is_err());
        assert!(Settle::parse("loeschen", "").is_err());
    }

    #[test]
    fn notes_may_break_lines_but_not_run_long() {
        assert_eq!(
            validate_note(" Bitte prüfen\nDanke ").ok().as_deref(),
            Some("Bitte prüfen\nDanke")
        );
        assert!(validate_note(&"x".repeat(1001)).is_err());
        assert!(validate_note("a\u{0}b").is_err());
    }
}
