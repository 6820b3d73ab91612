//! Vorgänge: the pieces of work inside an Akte (Akte → Vorgang → Dokument,
//! as in xdomea). A Vorgang is numbered within its Akte (`MIC
//! 621.1-0007/3`), has a responsible person and a state, and is opened
//! by the Akte's municipality while the Akte is open.

pub mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;

use serde::{Deserialize, Serialize};

/// A Vorgang in the list of its Akte.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VorgangSummary {
    pub id: i64,
    /// The Akte's Aktenzeichen with the Vorgang's number: `MIC 621.1-0007/3`.
    pub zeichen: String,
    pub title: String,
    pub status: VorgangStatus,
    pub opened_on: String,
    pub closed_on: Option<String>,
    pub responsible: String,
    /// Documents filed into it (not in the trash).
    pub documents: i64,
}

/// The Vorgänge of one Akte, for its page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AkteVorgaenge {
    pub vorgaenge: Vec<VorgangSummary>,
    /// The Akte's own municipality may open Vorgänge while it is open.
    pub may_open: bool,
    pub today: String,
}

/// Offen, in Bearbeitung, or zu den Akten (zdA).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VorgangStatus {
    Open,
    InProgress,
    Closed,
}

impl VorgangStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VorgangStatus::Open => "open",
            VorgangStatus::InProgress => "in_progress",
            VorgangStatus::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<VorgangStatus> {
        match value {
            "open" => Some(VorgangStatus::Open),
            "in_progress" => Some(VorgangStatus::InProgress),
            "closed" => Some(VorgangStatus::Closed),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            VorgangStatus::Open => "offen",
            VorgangStatus::InProgress => "in Bearbeitung",
            VorgangStatus::Closed => "zdA",
        }
    }
}

/// The Vorgang's reference: its Akte's Aktenzeichen, a slash, its number.
pub fn zeichen(aktenzeichen: &str, number: i64) -> String {
    format!("{aktenzeichen}/{number}")
}

/// A Vorgang's title and opening day, checked; the message says what to
/// correct.
pub fn validate_new(
    title: &str,
    opened_on: &str,
) -> Result<(String, chrono::NaiveDate), crate::error::AppError> {
    use crate::error::AppError;
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 300 {
        return Err(AppError::invalid(
            "Bitte geben Sie dem Vorgang einen Titel (höchstens 300 Zeichen).",
        ));
    }
    if title.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "Der Titel darf keine Steuerzeichen enthalten.",
        ));
    }
    let date = chrono::NaiveDate::parse_from_str(opened_on.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("Das Datum der Anlage ist ungültig (Format JJJJ-MM-TT)."))?;
    Ok((title.to_string(), date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_is_the_aktenzeichen_with_the_number() {
        assert_eq!(zeichen("MIC 621.1-0007", 3), "MIC 621.1-0007/3");
    }

    #[test]
    fn statuses_round_trip_and_speak_german() {
        for status in [
            VorgangStatus::Open,
            VorgangStatus::InProgress,
            VorgangStatus::Closed,
        ] {
            assert_eq!(VorgangStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(VorgangStatus::parse("offen"), None);
        assert_eq!(VorgangStatus::InProgress.label(), "in Bearbeitung");
    }

    #[test]
    fn a_title_is_needed_and_dates_are_iso() {
        assert!(validate_new("  ", "2026-12-07").is_err());
        assert!(validate_new(&"x".repeat(301), "2026-12-07").is_err());
        assert!(validate_new("Bauantrag\u{7}", "2026-12-07").is_err());
        assert!(validate_new("Bauantrag", "07.12.2026").is_err());
        let (title, date) = validate_new("  Bauantrag Müller ", "2026-12-07").expect("valid");
        assert_eq!(title, "Bauantrag Müller");
        assert_eq!(date.to_string(), "2026-12-07");
    }
}
