//! Vertretung: a person is away from one day to another and a colleague
//! of the same municipality stands in. During the absence the deputy sees
//! the absent person's Postkorb and acts for them; every such action is
//! recorded "i. V." with both names. Clerks set their own absences, the
//! Administration those of its municipality's clerks.
//!
//! The deputy never sees more than the absent person could: a Vertretung
//! exists only between clerks of one municipality, and what the deputy
//! acts on is looked up in that municipality (never in a practice area).

pub mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;

use crate::error::AppError;
use serde::{Deserialize, Serialize};

pub use crate::users::Colleague;

/// The longest absence one entry may cover.
pub const MAX_DAYS: i64 = 366;

/// An absence with its deputy, as lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Abwesenheit {
    pub id: i64,
    pub absent_id: i64,
    pub absent: String,
    pub deputy_id: i64,
    pub deputy: String,
    /// YYYY-MM-DD, both days belong to the absence.
    pub starts_on: String,
    pub ends_on: String,
    pub note: String,
    /// Whoever entered it (the person or the Administration).
    pub created_by: String,
    /// Today lies within it.
    pub current: bool,
}

/// The absences page: one's own absences, those one stands in for, and
/// for the Administration those of its municipality, with the choices of
/// the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Abwesenheiten {
    /// Today in Berlin, YYYY-MM-DD.
    pub today: String,
    /// A clerk, who enters their own absences (the Administration chooses
    /// whom).
    pub own: bool,
    /// The person's own absences that have not ended (clerks).
    pub mine: Vec<Abwesenheit>,
    /// Absences in which the person is the deputy and that have not ended.
    pub deputising: Vec<Abwesenheit>,
    /// For the Administration: every absence of its municipality (or of
    /// all four) that has not ended.
    pub managed: Vec<Abwesenheit>,
    /// Who may be away: oneself (a clerk) or, for the Administration, the
    /// clerks it manages.
    pub absentees: Vec<Colleague>,
    /// Who may stand in, with their municipality for the Administration of
    /// all four (the server checks that both belong to one municipality).
    pub deputies: Vec<Colleague>,
}

/// A colleague the person stands in for today, with how much waits in
/// their Postkorb.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vertreten {
    pub user_id: i64,
    pub name: String,
    /// The last day of the absence, YYYY-MM-DD.
    pub until: String,
    pub waiting: i64,
}

/// Who someone acts as on something that belongs to another person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Acting {
    /// It is their own.
    Myself,
    /// In Vertretung ("i. V.") of an absent colleague.
    Deputy { absent_id: i64, absent_name: String },
}

fn parse_day(value: &str, what: &str) -> Result<chrono::NaiveDate, AppError> {
    chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(format!("{what} ist kein gültiges Datum.")))
}

/// An absence's days and note, checked against today: a first day no
/// later than the last, a last day not in the past, at most
/// [`MAX_DAYS`] days, a note of at most 500 characters.
pub fn validate_absence(
    starts_on: &str,
    ends_on: &str,
    note: &str,
    today: chrono::NaiveDate,
) -> Result<(chrono::NaiveDate, chrono::NaiveDate, String), AppError> {
    let starts = parse_day(starts_on, "Der erste Tag der Abwesenheit")?;
    let ends = parse_day(ends_on, "Der letzte Tag der Abwesenheit")?;
    if ends < starts {
        return Err(AppError::invalid(
            "Der letzte Tag der Abwesenheit liegt vor dem ersten.",
        ));
    }
    if ends < today {
        return Err(AppError::invalid(
            "Diese Abwesenheit ist schon vorbei. Bitte tragen Sie heutige oder künftige Tage ein.",
        ));
    }
    if (ends - starts).num_days() + 1 > MAX_DAYS {
        return Err(AppError::invalid(format!(
            "Eine Abwesenheit dauert höchstens {MAX_DAYS} Tage; bitte teilen Sie längere auf."
        )));
    }
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(AppError::invalid(
            "Der Hinweis ist zu lang (höchstens 500 Zeichen).",
        ));
    }
    if note.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "Der Hinweis darf keine Steuerzeichen enthalten.",
        ));
    }
    Ok((starts, ends, note.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day")
    }

    #[test]
    fn an_absence_runs_forward_and_not_in_the_past() {
        let today = day("2026-12-07");
        let (starts, ends, note) =
            validate_absence("2026-12-01", " 2026-12-07 ", " Urlaub ", today).expect("valid");
        assert_eq!(
            (starts, ends, note.as_str()),
            (day("2026-12-01"), today, "Urlaub")
        );
        assert!(validate_absence("2026-12-10", "2026-12-09", "", today).is_err());
        assert!(validate_absence("2026-12-01", "2026-12-06", "", today).is_err());
        assert!(validate_absence("10.12.2026", "2026-12-11", "", today).is_err());
        assert!(validate_absence("2026-12-08", "2026-12-11", "a\u{0}", today).is_err());
        assert!(validate_absence("2026-12-08", "2026-12-11", &"x".repeat(501), today).is_err());
    }

    #[test]
    fn an_absence_lasts_at_most_a_year() {
        let today = day("2026-12-07");
        assert!(validate_absence("2027-01-01", "2028-01-01", "", today).is_ok());
        assert!(validate_absence("2027-01-01", "2028-01-02", "", today).is_err());
    }
}
