//! Vorgänge: the pieces of work inside an Akte (Akte → Vorgang → Dokument,
//! as in xdomea). A Vorgang is numbered within its Akte (`MIC
//! 621.1-0007/3`), has a responsible person and a state, and is opened
//! by the Akte's municipality while the Akte is open.

pub mod detail_page;
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

/// Where a document lies inside its Akte.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VorgangRef {
    pub id: i64,
    pub zeichen: String,
    pub title: String,
}

/// Everything the Vorgang's own page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VorgangDetail {
    pub vorgang: VorgangSummary,
    pub akte: crate::akten::AkteRef,
    pub akte_open: bool,
    /// The Akte's municipality changes it; one it is shared with reads.
    pub may_change: bool,
    /// The plan position's retention rule, for people ("10 Jahre nach …").
    pub retention: String,
    /// After zdA: the first day it may be destroyed or offered; `None`
    /// while open or when it is kept for ever.
    pub retention_until: Option<String>,
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

/// The zdA day of a Vorgang opened on `opened_on`, checked.
#[cfg(feature = "ssr")]
pub fn validate_closing(
    opened_on: &str,
    closed_on: &str,
) -> Result<chrono::NaiveDate, crate::error::AppError> {
    use crate::error::AppError;
    let date = chrono::NaiveDate::parse_from_str(closed_on.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::invalid("Das Datum der Verfügung zdA ist ungültig (Format JJJJ-MM-TT).")
    })?;
    if crate::time::iso_date(date).as_str() < opened_on {
        return Err(AppError::invalid(
            "Ein Vorgang kann nicht vor seiner Anlage zu den Akten verfügt werden.",
        ));
    }
    Ok(date)
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

    #[test]
    fn zda_is_not_before_the_opening() {
        assert!(validate_closing("2026-12-07", "2026-12-06").is_err());
        assert!(validate_closing("2026-12-07", "7.12.2026").is_err());
        assert_eq!(
            validate_closing("2026-12-07", " 2026-12-07 ")
                .expect("same day")
                .to_string(),
            "2026-12-07"
        );
    }
}
