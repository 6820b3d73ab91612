//! Akten: the case files each municipality opens under a plan position.

pub mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;
pub mod visibility;

use serde::{Deserialize, Serialize};

/// An Akte named briefly: where a document is filed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AkteRef {
    pub id: i64,
    pub aktenzeichen: String,
    pub title: String,
}

/// An Akte in lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AkteSummary {
    pub id: i64,
    pub aktenzeichen: String,
    pub title: String,
    pub status: AkteStatus,
    pub opened_on: String,
    pub responsible: String,
}

/// An Akte in the explorer's list of a plan position, with how many of
/// its Vorgänge are still open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AkteListed {
    pub akte: AkteSummary,
    pub vorgaenge: i64,
    pub vorgaenge_open: i64,
}

/// Everything the Akte page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AkteDetail {
    pub akte: AkteSummary,
    pub path: Vec<crate::aktenplan::Crumb>,
    pub owner: String,
    pub closed_on: Option<String>,
    /// First day the Akte may go; `None` while open or when kept for ever.
    pub retention_until: Option<String>,
    pub retention: String,
    pub shared_with: Vec<crate::municipalities::Municipality>,
    /// Only the owning municipality closes and shares.
    pub is_owner: bool,
    /// Municipalities it could still be shared with.
    pub share_candidates: Vec<crate::municipalities::Municipality>,
    pub today: String,
}

/// Open, or closed ("zdA", zu den Akten).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AkteStatus {
    Open,
    Closed,
}

impl AkteStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AkteStatus::Open => "open",
            AkteStatus::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<AkteStatus> {
        match value {
            "open" => Some(AkteStatus::Open),
            "closed" => Some(AkteStatus::Closed),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AkteStatus::Open => "offen",
            AkteStatus::Closed => "geschlossen (zdA)",
        }
    }
}

/// Akten are formed from the third level down (e.g. `621`, `621.1`); main
/// groups and groups only structure the plan.
pub const MIN_AKTE_LEVEL: usize = 3;

/// Checks the fields of a new Akte; returns title, responsible and date.
pub fn validate_new(
    title: &str,
    responsible: &str,
    opened_on: &str,
) -> Result<(String, String, chrono::NaiveDate), crate::error::AppError> {
    use crate::error::AppError;
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 300 {
        return Err(AppError::invalid(
            "Bitte geben Sie der Akte einen Titel (höchstens 300 Zeichen).",
        ));
    }
    let responsible = responsible.trim();
    if responsible.is_empty() || responsible.chars().count() > 200 {
        return Err(AppError::invalid(
            "Bitte nennen Sie die zuständige Person oder Stelle (höchstens 200 Zeichen).",
        ));
    }
    if title
        .chars()
        .chain(responsible.chars())
        .any(char::is_control)
    {
        return Err(AppError::invalid(
            "Titel und Zuständigkeit dürfen keine Steuerzeichen enthalten.",
        ));
    }
    let date = chrono::NaiveDate::parse_from_str(opened_on.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("Das Datum der Anlage ist ungültig (Format JJJJ-MM-TT)."))?;
    Ok((title.to_string(), responsible.to_string(), date))
}

/// The Aktenzeichen: municipality code, plan code and the running number
/// per position and municipality, e.g. `ERB 621.1-0007`. Numbers are never
/// reused, so the reference stays unique even after the plan changes.
pub fn aktenzeichen(municipality_code: &str, plan_code: &str, running_number: i64) -> String {
    format!("{municipality_code} {plan_code}-{running_number:04}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aktenzeichen_joins_municipality_code_and_number() {
        assert_eq!(aktenzeichen("ERB", "621.1", 7), "ERB 621.1-0007");
        assert_eq!(aktenzeichen("MIC", "0", 12345), "MIC 0-12345");
    }

    #[test]
    fn status_round_trips() {
        for status in [AkteStatus::Open, AkteStatus::Closed] {
            assert_eq!(AkteStatus::parse(status.as_str()), Some(status));
        }
    }
}
