//! Retention rules of a plan position and the date an Akte may go.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How long Akten under a position are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Retention {
    Years(u16),
    /// Kept for ever ("dauernd").
    Permanent,
}

/// When the retention period starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RetentionTrigger {
    /// When the Akte is closed (zdA) — the normal case.
    Aktenschluss,
    /// At the end of the calendar year in which the Akte was closed
    /// (mass records such as receipts).
    Jahresende,
}

/// The archive's appraisal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Archivwert {
    /// A: offered to the archive.
    Archivieren,
    /// V: destroyed after retention.
    Vernichten,
    /// B: the archive decides case by case.
    Bewerten,
}

impl Retention {
    pub fn parse(raw: &str) -> Result<Retention, String> {
        let value = raw.trim();
        if value.eq_ignore_ascii_case("dauernd") {
            return Ok(Retention::Permanent);
        }
        match value.parse::<u16>() {
            Ok(years) if (1..=200).contains(&years) => Ok(Retention::Years(years)),
            _ => Err(format!(
                "Aufbewahrung „{value}“ ist ungültig: eine Zahl von 1 bis 200 (Jahre) oder „dauernd“."
            )),
        }
    }

    pub fn to_field(self) -> String {
        match self {
            Retention::Years(years) => years.to_string(),
            Retention::Permanent => "dauernd".into(),
        }
    }

    /// For people: "10 Jahre", "1 Jahr", "dauernd".
    pub fn label(self) -> String {
        match self {
            Retention::Years(1) => "1 Jahr".into(),
            Retention::Years(years) => format!("{years} Jahre"),
            Retention::Permanent => "dauernd".into(),
        }
    }
}

impl RetentionTrigger {
    pub fn parse(raw: &str) -> Result<RetentionTrigger, String> {
        match raw.trim().to_lowercase().as_str() {
            "aktenschluss" | "" => Ok(RetentionTrigger::Aktenschluss),
            "jahresende" => Ok(RetentionTrigger::Jahresende),
            other => Err(format!(
                "Fristbeginn „{other}“ ist ungültig: „Aktenschluss“ oder „Jahresende“."
            )),
        }
    }

    pub fn to_field(self) -> &'static str {
        match self {
            RetentionTrigger::Aktenschluss => "Aktenschluss",
            RetentionTrigger::Jahresende => "Jahresende",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RetentionTrigger::Aktenschluss => "ab Schließung der Akte",
            RetentionTrigger::Jahresende => "ab Ende des Jahres, in dem die Akte geschlossen wurde",
        }
    }
}

impl Archivwert {
    pub fn parse(raw: &str) -> Result<Archivwert, String> {
        match raw.trim().to_uppercase().as_str() {
            "A" => Ok(Archivwert::Archivieren),
            "V" => Ok(Archivwert::Vernichten),
            "B" => Ok(Archivwert::Bewerten),
            other => Err(format!(
                "Archivwert „{other}“ ist ungültig: A (archivieren), V (vernichten) oder B (bewerten)."
            )),
        }
    }

    pub fn letter(self) -> &'static str {
        match self {
            Archivwert::Archivieren => "A",
            Archivwert::Vernichten => "V",
            Archivwert::Bewerten => "B",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Archivwert::Archivieren => "archivieren",
            Archivwert::Vernichten => "vernichten",
            Archivwert::Bewerten => "vom Archiv bewerten",
        }
    }
}

/// The first day on which a closed Akte may be destroyed or handed to the
/// archive; `None` when it is kept for ever.
pub fn retention_end(
    closed_on: NaiveDate,
    retention: Retention,
    trigger: RetentionTrigger,
) -> Option<NaiveDate> {
    let Retention::Years(years) = retention else {
        return None;
    };
    let start = match trigger {
        RetentionTrigger::Aktenschluss => closed_on,
        RetentionTrigger::Jahresende => NaiveDate::from_ymd_opt(closed_on.year(), 12, 31)?,
    };
    let year = start.year() + i32::from(years);
    // 29 February in a year without it becomes 28 February.
    NaiveDate::from_ymd_opt(year, start.month(), start.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, start.month(), start.day() - 1))
        .and_then(|date| date.succ_opt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn retention_end_after_closing() {
        assert_eq!(
            retention_end(
                date(2026, 3, 15),
                Retention::Years(10),
                RetentionTrigger::Aktenschluss
            ),
            Some(date(2036, 3, 16))
        );
        assert_eq!(
            retention_end(
                date(2026, 3, 15),
                Retention::Years(10),
                RetentionTrigger::Jahresende
            ),
            Some(date(2037, 1, 1))
        );
        assert_eq!(
            retention_end(
                date(2024, 2, 29),
                Retention::Years(1),
                RetentionTrigger::Aktenschluss
            ),
            Some(date(2025, 3, 1))
        );
        assert_eq!(
            retention_end(
                date(2026, 3, 15),
                Retention::Permanent,
                RetentionTrigger::Aktenschluss
            ),
            None
        );
    }

    #[test]
    fn fields_parse_and_print() {
        assert_eq!(Retention::parse("10"), Ok(Retention::Years(10)));
        assert_eq!(Retention::parse("Dauernd"), Ok(Retention::Permanent));
        assert!(Retention::parse("0").is_err());
        assert!(Retention::parse("zehn").is_err());
        assert_eq!(Retention::Years(1).label(), "1 Jahr");
        assert_eq!(
            RetentionTrigger::parse("Jahresende"),
            Ok(RetentionTrigger::Jahresende)
        );
        assert!(RetentionTrigger::parse("morgen").is_err());
        assert_eq!(Archivwert::parse("b"), Ok(Archivwert::Bewerten));
        assert!(Archivwert::parse("X").is_err());
    }
}
