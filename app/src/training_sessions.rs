//! Training sessions (Schulungstermine): the project team schedules them for
//! some or all municipalities and roles; staff register and unregister, a
//! waiting list moves up by itself; the trainer marks attendance afterwards.
//! Attendance is one half of a person's training record.
//!
//! This file holds the transfer types and the plain rules (validation,
//! targeting, places and waiting list); `ical.rs` and `participants_csv.rs`
//! write the downloads; `storage.rs` has all SQL.

#[cfg(feature = "ssr")]
pub mod ical;
pub mod page;
#[cfg(feature = "ssr")]
pub mod participants_csv;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;

use crate::auth::Role;
#[cfg(feature = "ssr")]
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// Where a session stands in time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionState {
    /// Registration open (it has not started).
    Upcoming,
    /// Started, not yet over.
    Running,
    Past,
    Cancelled,
}

impl SessionState {
    pub fn of(starts_at: i64, ends_at: i64, cancelled: bool, now: i64) -> SessionState {
        if cancelled {
            SessionState::Cancelled
        } else if now < starts_at {
            SessionState::Upcoming
        } else if now < ends_at {
            SessionState::Running
        } else {
            SessionState::Past
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SessionState::Upcoming => "Anmeldung offen",
            SessionState::Running => "läuft gerade",
            SessionState::Past => "vergangen",
            SessionState::Cancelled => "abgesagt",
        }
    }
}

/// The signed-in person's place in a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MyStatus {
    Confirmed,
    /// Position on the waiting list, from 1.
    Waiting(i64),
}

impl MyStatus {
    pub fn label(self) -> String {
        match self {
            MyStatus::Confirmed => "Sie sind angemeldet.".into(),
            MyStatus::Waiting(position) => {
                format!("Sie stehen auf der Warteliste (Platz {position}).")
            }
        }
    }
}

/// A session in lists.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionCard {
    pub id: i64,
    pub title: String,
    /// e.g. `Do. 03.12.2026, 09:00–12:00 Uhr`.
    pub when: String,
    pub place: String,
    pub video_url: String,
    pub trainer: String,
    /// e.g. `Erbach, Oberzent · Sachbearbeitung`.
    pub audience: String,
    pub capacity: i64,
    pub confirmed: i64,
    pub waiting: i64,
    pub state: SessionState,
    pub mine: Option<MyStatus>,
}

impl SessionCard {
    pub fn free_places(&self) -> i64 {
        (self.capacity - self.confirmed).max(0)
    }

    /// "3 von 10 Plätzen frei" or "ausgebucht, 2 auf der Warteliste".
    pub fn places_label(&self) -> String {
        let free = self.free_places();
        if free > 0 {
            format!(
                "{free} von {} {} frei",
                self.capacity,
                if self.capacity == 1 {
                    "Platz"
                } else {
                    "Plätzen"
                }
            )
        } else if self.waiting > 0 {
            format!("ausgebucht, {} auf der Warteliste", self.waiting)
        } else {
            "ausgebucht, Warteliste offen".into()
        }
    }
}

/// The list page's data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionList {
    pub upcoming: Vec<SessionCard>,
    /// Recent past and cancelled sessions (newest first).
    pub past: Vec<SessionCard>,
    /// Sessions the person is registered for or waiting for, upcoming first.
    pub mine: Vec<SessionCard>,
    pub may_manage: bool,
    /// For the project team's municipality filter.
    pub municipalities: Vec<crate::municipalities::Municipality>,
    pub filter_municipality: Option<i64>,
}

/// One participant as the trainer sees them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub user_id: i64,
    pub name: String,
    pub username: String,
    pub municipality: String,
    pub role: Role,
    pub status: MyStatus,
    /// Local time, e.g. `25.11.2026 15:04:05`.
    pub registered_at: String,
    pub attendance: Option<Attendance>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Attendance {
    Attended,
    Absent,
}

impl Attendance {
    pub fn as_str(self) -> &'static str {
        match self {
            Attendance::Attended => "attended",
            Attendance::Absent => "absent",
        }
    }

    pub fn parse(value: &str) -> Option<Attendance> {
        match value {
            "attended" => Some(Attendance::Attended),
            "absent" => Some(Attendance::Absent),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Attendance::Attended => "anwesend",
            Attendance::Absent => "nicht anwesend",
        }
    }
}

/// Everything the detail page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionDetail {
    pub card: SessionCard,
    pub description: String,
    pub cancel_reason: Option<String>,
    /// The form's values for editing.
    pub form: SessionForm,
    pub may_manage: bool,
    /// Only for the project team; empty otherwise.
    pub participants: Vec<Participant>,
}

/// A session the person attended (their training record).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendedSession {
    pub session_id: i64,
    pub title: String,
    pub when: String,
    /// Day of the session, `YYYY-MM-DD` (Europe/Berlin), for sorting and merging.
    pub date: String,
    pub trainer: String,
}

/// Attendance per municipality and role, for the project team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceSummaryRow {
    pub municipality: String,
    pub role: Role,
    /// Active accounts in this group.
    pub people: i64,
    /// Of them, how many attended at least one session.
    pub trained: i64,
    /// Attendances in total.
    pub attendances: i64,
}

/// The scheduling form as it comes from the browser.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionForm {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub trainer: String,
    /// `YYYY-MM-DDTHH:MM`, local time in Europe/Berlin (`datetime-local`).
    pub starts: String,
    pub ends: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub video_url: String,
    pub capacity: String,
    /// Empty: all municipalities.
    #[serde(default)]
    pub municipality_ids: Vec<i64>,
    /// Stored role names; empty: all roles.
    #[serde(default)]
    pub roles: Vec<String>,
}

/// A checked [`SessionForm`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidSession {
    pub title: String,
    pub description: String,
    pub trainer: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub video_url: String,
    pub capacity: i64,
    pub municipality_ids: Vec<i64>,
    pub roles: Vec<Role>,
}

pub const MAX_CAPACITY: i64 = 500;
/// Longer is not a session but a course; schedule several sessions.
pub const MAX_DURATION_HOURS: i64 = 12;

#[cfg(feature = "ssr")]
fn text_field(
    value: &str,
    max: usize,
    required: Option<&str>,
    name: &str,
    multiline: bool,
) -> Result<String, AppError> {
    let value = value.trim();
    if let Some(message) = required {
        if value.is_empty() {
            return Err(AppError::invalid(message));
        }
    }
    if value.chars().count() > max {
        return Err(AppError::invalid(format!(
            "{name} ist zu lang (höchstens {max} Zeichen)."
        )));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\r' || c == '\t')))
    {
        return Err(AppError::invalid(format!(
            "{name} darf keine Steuerzeichen enthalten."
        )));
    }
    Ok(value.replace("\r\n", "\n"))
}

/// Checks the form. `now` decides whether the start lies in the future;
/// pass `None` when the times did not change (editing a running session's
/// description).
#[cfg(feature = "ssr")]
pub fn validate(form: &SessionForm, now: Option<i64>) -> Result<ValidSession, AppError> {
    let title = text_field(
        &form.title,
        200,
        Some("Bitte geben Sie dem Termin einen Titel."),
        "Der Titel",
        false,
    )?;
    let description = text_field(&form.description, 4000, None, "Die Beschreibung", true)?;
    let trainer = text_field(&form.trainer, 200, None, "Die Schulungsleitung", false)?;
    let place = text_field(&form.place, 300, None, "Der Ort", false)?;
    let video_url = text_field(&form.video_url, 500, None, "Der Videolink", false)?;
    if !video_url.is_empty()
        && (!(video_url.starts_with("https://") || video_url.starts_with("http://"))
            || video_url.contains(char::is_whitespace)
            || video_url.len() < "https://x.y".len())
    {
        return Err(AppError::invalid(
            "Der Videolink muss eine Webadresse sein, die mit https:// beginnt.",
        ));
    }
    if place.is_empty() && video_url.is_empty() {
        return Err(AppError::invalid(
            "Bitte geben Sie einen Ort oder einen Videolink an.",
        ));
    }
    let starts = crate::time::parse_input(&form.starts, "Der Beginn")?;
    let ends = crate::time::parse_input(&form.ends, "Das Ende")?;
    if ends <= starts {
        return Err(AppError::invalid("Das Ende muss nach dem Beginn liegen."));
    }
    if ends - starts > MAX_DURATION_HOURS * 3600 {
        return Err(AppError::invalid(format!(
            "Ein Termin dauert höchstens {MAX_DURATION_HOURS} Stunden. Für längere Schulungen legen Sie bitte mehrere Termine an."
        )));
    }
    if let Some(now) = now {
        if starts <= now {
            return Err(AppError::invalid("Der Beginn muss in der Zukunft liegen."));
        }
    }
    let capacity = form
        .capacity
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|c| (1..=MAX_CAPACITY).contains(c))
        .ok_or_else(|| {
            AppError::invalid(format!(
                "Die Zahl der Plätze muss zwischen 1 und {MAX_CAPACITY} liegen."
            ))
        })?;
    let mut municipality_ids = form.municipality_ids.clone();
    municipality_ids.sort_unstable();
    municipality_ids.dedup();
    let mut roles = Vec::new();
    for name in &form.roles {
        let role = Role::parse(name.trim())
            .ok_or_else(|| AppError::invalid("Eine der gewählten Rollen gibt es nicht."))?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    Ok(ValidSession {
        title,
        description,
        trainer,
        starts_at: starts,
        ends_at: ends,
        place,
        video_url,
        capacity,
        municipality_ids,
        roles,
    })
}

/// Is the session meant for this person? Empty lists mean "everyone";
/// people responsible for all municipalities match every municipality.
pub fn targets(
    municipality_ids: &[i64],
    roles: &[Role],
    user_municipality: i64,
    user_all_municipalities: bool,
    user_role: Role,
) -> bool {
    let municipality_ok = municipality_ids.is_empty()
        || user_all_municipalities
        || municipality_ids.contains(&user_municipality);
    let role_ok = roles.is_empty() || roles.contains(&user_role);
    municipality_ok && role_ok
}

/// Where a new registration goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Admission {
    Confirmed,
    Waiting,
}

pub fn admission(capacity: i64, confirmed: i64) -> Admission {
    if confirmed < capacity {
        Admission::Confirmed
    } else {
        Admission::Waiting
    }
}

/// How many people move up from the waiting list when `confirmed` of
/// `capacity` places are taken and `waiting` people wait.
pub fn to_promote(capacity: i64, confirmed: i64, waiting: i64) -> i64 {
    (capacity - confirmed).clamp(0, waiting.max(0))
}

/// Why registration is closed, or `None` when it is open.
pub fn registration_closed(state: SessionState) -> Option<&'static str> {
    match state {
        SessionState::Upcoming => None,
        SessionState::Cancelled => Some("Dieser Termin wurde abgesagt."),
        SessionState::Running | SessionState::Past => {
            Some("Die Anmeldung ist geschlossen: Der Termin hat bereits begonnen.")
        }
    }
}

/// "Alle Gemeinden · alle Rollen", or the names.
pub fn audience_label(municipalities: &[String], roles: &[Role]) -> String {
    let places = if municipalities.is_empty() {
        "Alle Gemeinden".to_string()
    } else {
        municipalities.join(", ")
    };
    let roles = if roles.is_empty() {
        "alle Rollen".to_string()
    } else {
        roles
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!("{places} · {roles}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    fn form(starts: &str, ends: &str) -> SessionForm {
        SessionForm {
            title: "Aktenwerk für Einsteiger".into(),
            description: "Grundlagen\nmit Übungen".into(),
            trainer: "Projektteam".into(),
            starts: starts.into(),
            ends: ends.into(),
            place: "Rathaus Erbach, Sitzungssaal".into(),
            video_url: String::new(),
            capacity: "12".into(),
            municipality_ids: vec![3, 2, 3],
            roles: vec!["sachbearbeitung".into()],
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn valid_form_is_read_in_berlin_time() {
        let valid = validate(&form("2026-07-14T09:00", "2026-07-14T12:30"), Some(0)).expect("ok");
        // 09:00 CEST is 07:00 UTC.
        assert_eq!(
            chrono::DateTime::from_timestamp(valid.starts_at, 0).map(|t| t.to_rfc3339()),
            Some("2026-07-14T07:00:00+00:00".into())
        );
        let winter = validate(&form("2026-01-14T09:00", "2026-01-14T10:00"), Some(0)).expect("ok");
        assert_eq!(
            chrono::DateTime::from_timestamp(winter.starts_at, 0).map(|t| t.to_rfc3339()),
            Some("2026-01-14T08:00:00+00:00".into())
        );
        assert_eq!(valid.municipality_ids, vec![2, 3]);
        assert_eq!(valid.roles, vec![Role::Sachbearbeitung]);
        assert_eq!(valid.capacity, 12);
        assert_eq!(
            crate::time::input_value(valid.starts_at),
            "2026-07-14T09:00"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn bad_forms_get_german_reasons() {
        let message = |f: SessionForm, now: Option<i64>| match validate(&f, now) {
            Err(AppError::Invalid(text)) => text,
            other => panic!("expected invalid, got {other:?}"),
        };
        assert!(
            message(form("2026-07-14T12:00", "2026-07-14T09:00"), None).contains("nach dem Beginn")
        );
        assert!(message(form("2026-07-14T06:00", "2026-07-14T19:00"), None)
            .contains("höchstens 12 Stunden"));
        assert!(message(form("gestern", "2026-07-14T09:00"), None).contains("Beginn ist ungültig"));
        // 29 March 2026, 02:30 does not exist in Berlin.
        assert!(
            message(form("2026-03-29T02:30", "2026-03-29T04:00"), None).contains("Zeitumstellung")
        );
        let start = crate::time::parse_input("2026-07-14T09:00", "x").expect("ok");
        assert!(
            message(form("2026-07-14T09:00", "2026-07-14T10:00"), Some(start)).contains("Zukunft")
        );
        for capacity in ["0", "-3", "501", "zehn", ""] {
            let mut f = form("2026-07-14T09:00", "2026-07-14T10:00");
            f.capacity = capacity.into();
            assert!(message(f, None).contains("Plätze"), "{capacity}");
        }
        let mut f = form("2026-07-14T09:00", "2026-07-14T10:00");
        f.place = " ".into();
        assert!(message(f.clone(), None).contains("Ort oder einen Videolink"));
        f.video_url = "javascript:alert(1)".into();
        assert!(message(f.clone(), None).contains("https://"));
        f.video_url = "https://konferenz.example/raum 1".into();
        assert!(message(f.clone(), None).contains("https://"));
        f.video_url = "https://konferenz.example/raum-1".into();
        assert!(validate(&f, None).is_ok());
        let mut f = form("2026-07-14T09:00", "2026-07-14T10:00");
        f.title = "  ".into();
        assert!(message(f.clone(), None).contains("Titel"));
        f.title = "Schulung\u{7}".into();
        assert!(message(f, None).contains("Steuerzeichen"));
        let mut f = form("2026-07-14T09:00", "2026-07-14T10:00");
        f.roles = vec!["chef".into()];
        assert!(message(f, None).contains("Rollen"));
    }

    #[test]
    fn targeting_empty_means_everyone() {
        use Role::*;
        assert!(targets(&[], &[], 4, false, Schulung));
        assert!(targets(&[2, 3], &[], 2, false, Sachbearbeitung));
        assert!(!targets(&[2, 3], &[], 1, false, Sachbearbeitung));
        assert!(
            targets(&[2, 3], &[], 1, true, Projektteam),
            "responsible for all"
        );
        assert!(targets(
            &[],
            &[Sachbearbeitung, Schulung],
            1,
            false,
            Schulung
        ));
        assert!(!targets(&[], &[Sachbearbeitung], 1, false, Schulung));
        assert!(!targets(&[1], &[Sachbearbeitung], 1, false, Administration));
    }

    #[test]
    fn places_and_waiting_list() {
        assert_eq!(admission(5, 4), Admission::Confirmed);
        assert_eq!(admission(5, 5), Admission::Waiting);
        assert_eq!(admission(5, 7), Admission::Waiting);
        assert_eq!(to_promote(5, 4, 3), 1);
        assert_eq!(to_promote(5, 2, 1), 1, "no more than wait");
        assert_eq!(to_promote(5, 5, 3), 0);
        assert_eq!(to_promote(8, 5, 10), 3, "capacity raised");
        assert_eq!(to_promote(3, 5, 2), 0, "over capacity never promotes");
    }

    #[test]
    fn state_follows_the_clock_and_cancellation() {
        assert_eq!(
            SessionState::of(100, 200, false, 99),
            SessionState::Upcoming
        );
        assert_eq!(
            SessionState::of(100, 200, false, 100),
            SessionState::Running
        );
        assert_eq!(SessionState::of(100, 200, false, 200), SessionState::Past);
        assert_eq!(
            SessionState::of(100, 200, true, 50),
            SessionState::Cancelled
        );
        assert!(registration_closed(SessionState::Upcoming).is_none());
        assert!(registration_closed(SessionState::Running).is_some());
        assert!(registration_closed(SessionState::Cancelled).is_some());
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn when_and_audience_read_naturally() {
        assert_eq!(audience_label(&[], &[]), "Alle Gemeinden · alle Rollen");
        assert_eq!(
            audience_label(
                &["Erbach".into(), "Oberzent".into()],
                &[Role::Sachbearbeitung]
            ),
            "Erbach, Oberzent · Sachbearbeitung"
        );
    }

    #[test]
    fn places_label_counts_free_places() {
        let mut card = SessionCard {
            id: 1,
            title: "T".into(),
            when: String::new(),
            place: String::new(),
            video_url: String::new(),
            trainer: String::new(),
            audience: String::new(),
            capacity: 10,
            confirmed: 7,
            waiting: 0,
            state: SessionState::Upcoming,
            mine: None,
        };
        assert_eq!(card.places_label(), "3 von 10 Plätzen frei");
        card.confirmed = 10;
        card.waiting = 2;
        assert_eq!(card.places_label(), "ausgebucht, 2 auf der Warteliste");
        card.capacity = 1;
        card.confirmed = 0;
        assert_eq!(card.places_label(), "1 von 1 Platz frei");
    }
}
