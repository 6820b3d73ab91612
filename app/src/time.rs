//! The one clock and the one calendar: Unix seconds for storage, and
//! times as people in the town halls read and type them (Europe/Berlin).
//! Every feature asks here; none formats dates on its own.

use crate::error::AppError;
use chrono::{NaiveDate, TimeZone};
use chrono_tz::Europe::Berlin;

/// Now, in Unix seconds: what every row stores.
pub fn now() -> i64 {
    #[cfg(feature = "test-clock")]
    if let Some(at) = test_clock::now() {
        return at;
    }
    chrono::Utc::now().timestamp()
}

/// A clock tests can set, to script a history over months through the
/// real use cases (the rollout figures across daylight saving changes).
/// Only in builds with the `test-clock` feature, which only the server's
/// tests turn on. It holds for the thread that set it (a `#[tokio::test]`
/// runs its requests there), so tests side by side keep their own time.
#[cfg(feature = "test-clock")]
pub mod test_clock {
    use std::cell::Cell;

    thread_local! {
        static NOW: Cell<Option<i64>> = const { Cell::new(None) };
    }

    /// Seconds the whole process runs ahead (browser tests move a running
    /// server's clock; see [`super::follow_clock_file`]).
    static SHIFT: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

    pub(super) fn now() -> Option<i64> {
        NOW.with(Cell::get).or_else(|| {
            let shift = SHIFT.load(std::sync::atomic::Ordering::Relaxed);
            (shift != 0).then(|| chrono::Utc::now().timestamp() + shift)
        })
    }

    /// Moves every thread's clock `seconds` ahead of the real one.
    pub fn shift_process(seconds: i64) {
        SHIFT.store(seconds, std::sync::atomic::Ordering::Relaxed);
    }

    /// This thread's clock, standing still at what it was last set to;
    /// back to the real one when dropped.
    #[must_use = "the clock is real again once this is dropped"]
    pub struct Clock(());

    impl Clock {
        pub fn at(unix_secs: i64) -> Clock {
            NOW.with(|now| now.set(Some(unix_secs)));
            Clock(())
        }

        pub fn set(&self, unix_secs: i64) {
            NOW.with(|now| now.set(Some(unix_secs)));
        }
    }

    impl Drop for Clock {
        fn drop(&mut self) {
            NOW.with(|now| now.set(None));
        }
    }
}

/// Lets the browser tests move a running server's clock: the file holds
/// seconds to add to the real time and is read every 200 ms. Only builds
/// with the `test-clock` feature (the one `cargo test` builds, which the
/// browser tests run) obey; any other build refuses to start with it, so
/// a production server can never be told another time.
pub fn follow_clock_file(path: std::path::PathBuf) -> Result<(), AppError> {
    #[cfg(feature = "test-clock")]
    {
        tokio::spawn(async move {
            loop {
                if let Ok(text) = tokio::fs::read_to_string(&path).await {
                    if let Ok(seconds) = text.trim().parse::<i64>() {
                        test_clock::shift_process(seconds);
                    }
                }
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        });
        Ok(())
    }
    #[cfg(not(feature = "test-clock"))]
    {
        let _ = path;
        Err(AppError::invalid(
            "AKTENWERK_TEST_CLOCK_FILE gibt es nur in Testbuilds.",
        ))
    }
}

fn berlin(unix_secs: i64) -> Option<chrono::DateTime<chrono_tz::Tz>> {
    match Berlin.timestamp_opt(unix_secs, 0) {
        chrono::LocalResult::Single(at) | chrono::LocalResult::Ambiguous(at, _) => Some(at),
        chrono::LocalResult::None => None,
    }
}

/// The calendar day (Europe/Berlin) of a Unix time.
pub fn local_day(unix_secs: i64) -> NaiveDate {
    berlin(unix_secs)
        .map(|at| at.date_naive())
        .or_else(|| chrono::DateTime::from_timestamp(unix_secs, 0).map(|at| at.date_naive()))
        .unwrap_or_default()
}

/// Today in Europe/Berlin.
pub fn today() -> NaiveDate {
    local_day(now())
}

/// `01.07.2026 12:00:00`: to the second, for logs, lists and records.
pub fn display_exact(unix_secs: i64) -> String {
    berlin(unix_secs)
        .map(|at| at.format("%d.%m.%Y %H:%M:%S").to_string())
        .unwrap_or_else(|| unix_secs.to_string())
}

/// `2026-11-26`: the value of a date input and of the date columns.
pub fn iso_date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// `26.11.2026`.
pub fn display_date(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

/// `26.11.2026, 08:00 Uhr`.
pub fn display(unix_secs: i64) -> String {
    berlin(unix_secs)
        .map(|at| at.format("%d.%m.%Y, %H:%M Uhr").to_string())
        .unwrap_or_else(|| unix_secs.to_string())
}

/// `Do. 03.12.2026, 09:00–12:00 Uhr`: a span of time (training sessions);
/// a span over midnight names both days.
pub fn display_span(starts_at: i64, ends_at: i64) -> String {
    const DAYS: [&str; 7] = ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."];
    use chrono::Datelike;
    let (Some(start), Some(end)) = (berlin(starts_at), berlin(ends_at)) else {
        return String::new();
    };
    let day = |at: &chrono::DateTime<chrono_tz::Tz>| {
        format!(
            "{} {}",
            DAYS[at.weekday().num_days_from_monday() as usize],
            at.format("%d.%m.%Y")
        )
    };
    if start.date_naive() == end.date_naive() {
        format!(
            "{}, {}–{} Uhr",
            day(&start),
            start.format("%H:%M"),
            end.format("%H:%M")
        )
    } else {
        format!(
            "{}, {} Uhr – {}, {} Uhr",
            day(&start),
            start.format("%H:%M"),
            day(&end),
            end.format("%H:%M")
        )
    }
}

/// iCalendar (RFC 5545) local time for `TZID=Europe/Berlin`: `20260714T090000`.
pub fn calendar_local(unix_secs: i64) -> String {
    berlin(unix_secs)
        .map(|at| at.format("%Y%m%dT%H%M%S").to_string())
        .unwrap_or_default()
}

/// iCalendar (RFC 5545) UTC time, e.g. for `DTSTAMP`: `20260714T070000Z`.
pub fn calendar_utc(unix_secs: i64) -> String {
    chrono::DateTime::from_timestamp(unix_secs, 0)
        .map(|at| at.format("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_default()
}

/// The value of a `datetime-local` input: `2026-11-26T08:00`.
pub fn input_value(unix_secs: i64) -> String {
    berlin(unix_secs)
        .map(|at| at.format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
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
    fn local_day_follows_berlin_time() {
        // 2026-11-25 23:30 UTC is already the 26th in Berlin (UTC+1).
        let late = 1_795_649_400;
        assert_eq!(local_day(late).to_string(), "2026-11-26");
        // 2026-07-14 21:59 UTC is 23:59 in Berlin (UTC+2).
        let summer = 1_784_066_340;
        assert_eq!(local_day(summer).to_string(), "2026-07-14");
    }

    #[test]
    fn exact_local_time_is_berlin() {
        // 2026-07-01 10:00:00 UTC is 12:00 in summer time.
        assert_eq!(display_exact(1_782_900_000), "01.07.2026 12:00:00");
    }

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
    fn spans_name_the_weekday_and_both_days_over_midnight() {
        let start = parse_input("2026-12-03T09:00", "x").expect("valid");
        let end = parse_input("2026-12-03T12:15", "x").expect("valid");
        assert_eq!(display_span(start, end), "Do. 03.12.2026, 09:00–12:15 Uhr");
        let next = parse_input("2026-12-04T01:00", "x").expect("valid");
        assert_eq!(
            display_span(start, next),
            "Do. 03.12.2026, 09:00 Uhr – Fr. 04.12.2026, 01:00 Uhr"
        );
    }

    #[test]
    fn calendar_local_time_is_berlin_in_summer_and_winter() {
        let summer = parse_input("2026-07-14T09:00", "x").expect("valid");
        assert_eq!(calendar_local(summer), "20260714T090000");
        let winter = parse_input("2026-01-14T09:00", "x").expect("valid");
        assert_eq!(calendar_local(winter), "20260114T090000");
    }

    #[test]
    fn calendar_utc_time_ends_in_z() {
        // 2026-07-01 10:00:00 UTC.
        assert_eq!(calendar_utc(1_782_900_000), "20260701T100000Z");
        assert_eq!(calendar_utc(1_700_000_000), "20231114T221320Z");
    }

    #[test]
    fn nonsense_and_missing_hours_are_refused_in_german() {
        let error = parse_input("morgen", "Die Veröffentlichung").expect_err("invalid");
        assert!(error.to_string().contains("ungültig"));
        let gap = parse_input("2026-03-29T02:30", "Der Ablauf").expect_err("gap");
        assert!(gap.to_string().contains("Zeitumstellung"));
    }
}
