//! The iCalendar file (RFC 5545) for one session, so that staff can put it
//! into Outlook or Thunderbird. Times are local Berlin times with a
//! `VTIMEZONE` that carries the daylight-saving rules, so calendars show the
//! right hour on either side of the clock change.

use crate::time::{calendar_local as local, calendar_utc as utc};

/// What goes into the calendar entry.
#[derive(Clone, Debug)]
pub struct CalendarEvent<'a> {
    pub id: i64,
    /// The host part of the UID, e.g. `aktenwerk.example.de`.
    pub host: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub trainer: &'a str,
    pub place: &'a str,
    pub video_url: &'a str,
    pub starts_at: i64,
    pub ends_at: i64,
    /// Raised on every change; calendars replace older copies.
    pub revision: i64,
    pub cancelled: bool,
    /// Link to the session page, if the public address is known.
    pub page_url: Option<String>,
    /// DTSTAMP: when this file was made (Unix seconds).
    pub now: i64,
}

const VTIMEZONE_BERLIN: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "X-LIC-LOCATION:Europe/Berlin",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (never inside a UTF-8 character) and
/// ends every physical line with CRLF.
pub fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    let mut limit = 75;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > limit {
            out.push_str("\r\n ");
            used = 0;
            // The leading space counts towards the next line's 75 octets.
            limit = 74;
        }
        out.push(c);
        used += width;
    }
    out.push_str("\r\n");
    out
}

/// The whole `.ics` file.
pub fn write(event: &CalendarEvent<'_>) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//Aktenwerk//Schulungstermine//DE".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
    ];
    lines.extend(VTIMEZONE_BERLIN.iter().map(|l| l.to_string()));
    lines.push("BEGIN:VEVENT".into());
    lines.push(format!(
        "UID:schulungstermin-{}@{}",
        event.id,
        escape_text(event.host)
    ));
    lines.push(format!("DTSTAMP:{}", utc(event.now)));
    lines.push(format!("SEQUENCE:{}", event.revision.max(0)));
    lines.push(format!(
        "DTSTART;TZID=Europe/Berlin:{}",
        local(event.starts_at)
    ));
    lines.push(format!("DTEND;TZID=Europe/Berlin:{}", local(event.ends_at)));
    let summary = if event.cancelled {
        format!("ABGESAGT: {}", event.title)
    } else {
        event.title.to_string()
    };
    lines.push(format!("SUMMARY:{}", escape_text(&summary)));
    let mut description = event.description.trim().to_string();
    let mut add = |text: String| {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&text);
    };
    if !event.trainer.trim().is_empty() {
        add(format!("Leitung: {}", event.trainer.trim()));
    }
    if !event.video_url.is_empty() {
        add(format!("Videokonferenz: {}", event.video_url));
    }
    if let Some(page) = &event.page_url {
        add(format!("Anmeldung und Details in Aktenwerk: {page}"));
    }
    if !description.is_empty() {
        lines.push(format!("DESCRIPTION:{}", escape_text(&description)));
    }
    let location = if event.place.is_empty() {
        event.video_url
    } else {
        event.place
    };
    lines.push(format!("LOCATION:{}", escape_text(location)));
    if let Some(url) = event.page_url.as_deref().or(if event.video_url.is_empty() {
        None
    } else {
        Some(event.video_url)
    }) {
        // URI values are not TEXT: no escaping, but no line breaks either.
        lines.push(format!("URL:{}", url.replace(['\r', '\n'], "")));
    }
    lines.push(format!(
        "STATUS:{}",
        if event.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        }
    ));
    lines.push("TRANSP:OPAQUE".into());
    lines.push("END:VEVENT".into());
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold_line(l)).collect()
}

/// `schulungstermin-12.ics`: plain ASCII, safe in any header.
pub fn file_name(id: i64) -> String {
    format!("schulungstermin-{id}.ics")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event<'a>(starts: &str, ends: &str) -> CalendarEvent<'a> {
        CalendarEvent {
            id: 7,
            host: "aktenwerk.test",
            title: "Aktenwerk, Teil 1; Grundlagen",
            description: "Bitte Laptop mitbringen.\nPause um 10:30 \\ Kaffee",
            trainer: "Projektteam",
            place: "Rathaus Erbach, Sitzungssaal",
            video_url: "",
            starts_at: crate::time::parse_input(starts, "x").expect("ok"),
            ends_at: crate::time::parse_input(ends, "x").expect("ok"),
            revision: 2,
            cancelled: false,
            page_url: None,
            now: 1_700_000_000,
        }
    }

    #[test]
    fn escapes_text_values() {
        assert_eq!(escape_text("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let line = format!("DESCRIPTION:{}", "ä".repeat(100));
        let folded = fold_line(&line);
        assert!(folded.ends_with("\r\n"));
        for physical in folded.split("\r\n") {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
        assert_eq!(fold_line("SHORT:x"), "SHORT:x\r\n");
    }

    #[test]
    fn writes_local_times_with_berlin_zone() {
        let summer = write(&event("2026-07-14T09:00", "2026-07-14T12:00"));
        assert!(summer.contains("DTSTART;TZID=Europe/Berlin:20260714T090000\r\n"));
        assert!(summer.contains("DTEND;TZID=Europe/Berlin:20260714T120000\r\n"));
        assert!(summer.contains("TZID:Europe/Berlin\r\n"));
        assert!(summer.contains("DTSTAMP:20231114T221320Z\r\n"));
        assert!(summer.contains("SUMMARY:Aktenwerk\\, Teil 1\\; Grundlagen\r\n"));
        assert!(summer.contains("UID:schulungstermin-7@aktenwerk.test\r\n"));
        assert!(summer.contains("SEQUENCE:2\r\n"));
        assert!(summer.contains("STATUS:CONFIRMED"));
        assert!(
            !summer.replace("\r\n", "").contains('\n'),
            "only CRLF line ends"
        );
        let winter = write(&event("2026-01-14T09:00", "2026-01-14T12:00"));
        assert!(winter.contains("DTSTART;TZID=Europe/Berlin:20260114T090000\r\n"));
        let mut cancelled = event("2026-01-14T09:00", "2026-01-14T12:00");
        cancelled.cancelled = true;
        let cancelled = write(&cancelled);
        assert!(cancelled.contains("STATUS:CANCELLED"));
        assert!(cancelled.contains("SUMMARY:ABGESAGT: "));
    }

    #[test]
    fn file_name_is_plain_ascii() {
        assert_eq!(file_name(12), "schulungstermin-12.ics");
    }
}
