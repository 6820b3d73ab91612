//! Times as people in the town halls read and type them: Europe/Berlin.

use crate::error::AppError;
use chrono::TimeZone;
use chrono_tz::Europe::Berlin;

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// `26.11.2026, 08:00 Uhr`.
pub fn display(unix_secs: i64) -> String {
    match Berlin.timestamp_opt(unix_secs, 0) {
        chrono::LocalResult::Single(at) | chrono::LocalResult::Ambiguous(at, _) => {
            at.format("%d.%m.%Y, %H:%M Uhr").to_string()
        }
        chrono::LocalResult::None => unix_secs.to_string(),
    }
}

/// The value of a `datetime-local` input: `2026-11-26T08:00`.
pub fn input_value(unix_secs: i64) -> String {
    match Berlin.timestamp_opt(unix_secs, 0) {
        chrono::LocalResult::Single(at) | chrono::LocalResult::Ambiguous(at, _) => {
            at.format("%Y-%m-%dT%H:%M").to_string()
        }
        chrono::LocalResult::None => String::new(),
    }
}

/// Parses a `datetime-local` value as Berlin time. In the autumn hour that
/// occurs twice the earlier one is meant; the spring hour that does not
/// exist is refused with an explanation.
pub fn parse_input(value: &str, what: &str) -> Result<i64, AppError> {
    let value = value.trim();
    let naive = chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| {
            AppError::invalid(format!(
                "{what} ist ungültig. Bitte Datum und Uhrzeit angeben (z. B. 01.12.2026, 08:00)."
            ))
        })?;
    Berlin
        .from_local_datetime(&naive)
        .earliest()
        .map(|at| at.timestamp())
        .ok_or_else(|| {
            AppError::invalid(format!(
                "{what}: Diese Uhrzeit gibt es wegen der Zeitumstellung nicht. Bitte eine Stunde später wählen."
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn berlin_round_trip_in_winter_and_summer() {
        let winter = parse_input("2026-12-01T08:00", "Beginn").expect("valid");
        assert_eq!(input_value(winter), "2026-12-01T08:00");
        assert_eq!(display(winter), "01.12.2026, 08:00 Uhr");
        // 08:00 in Berlin is 07:00 UTC in winter, 06:00 UTC in summer.
        assert_eq!(winter % 86_400, 7 * 3600);
        let summer = parse_input("2026-07-01T08:00", "Beginn").expect("valid");
        assert_eq!(summer % 86_400, 6 * 3600);
    }

    #[test]
    fn nonsense_and_missing_hours_are_refused_in_german() {
        let error = parse_input("morgen", "Die Veröffentlichung").expect_err("invalid");
        assert!(error.to_string().contains("ungültig"));
        let gap = parse_input("2026-03-29T02:30", "Der Ablauf").expect_err("gap");
        assert!(gap.to_string().contains("Zeitumstellung"));
    }
}
