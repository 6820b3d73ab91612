//! Use cases for training sessions: everyone signed in sees the sessions
//! meant for them and registers; the project team schedules, changes,
//! cancels and records attendance. Every write runs in one write
//! transaction, so capacity is counted under the lock that inserts.

use super::storage::{self, Audience, SessionRow, WriteError};
use super::{
    admission, registration_closed, Attendance, AttendanceSummaryRow, AttendedSession, MyStatus,
    SessionCard, SessionDetail, SessionForm, SessionList, SessionState, ValidSession,
};
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::db;
use crate::error::AppError;
use crate::rollout_days::{self, Subjects};
use crate::state::AppState;
use crate::time::now;

impl From<WriteError> for AppError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::UnknownMunicipality => {
                AppError::invalid("Eine der gewählten Gemeinden gibt es nicht.")
            }
            WriteError::Database(error) => error.into(),
        }
    }
}

fn not_found() -> AppError {
    AppError::NotFound("Der Schulungstermin".into())
}

/// Upcoming and recent sessions for this person, and their registrations.
/// The project team sees all sessions and may filter by municipality.
pub async fn list(
    state: &AppState,
    user: &SessionUser,
    municipality: Option<i64>,
) -> Result<SessionList, AppError> {
    guard::check(user, Rule::SignedIn)?;
    let manager = Rule::ProjectTeam.allows(user);
    let filter = if manager { municipality } else { None };
    let (upcoming, past, mine) = storage::list(&state.pool, user, manager, filter, now()).await?;
    let municipalities = if manager {
        crate::municipalities::storage::list(&state.pool).await?
    } else {
        Vec::new()
    };
    Ok(SessionList {
        upcoming,
        past,
        mine,
        may_manage: manager,
        municipalities,
        filter_municipality: filter,
    })
}

/// The session as `user` may see it; sessions meant for others answer
/// like unknown ones, so ids cannot be probed.
pub async fn visible(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    now: i64,
) -> Result<(SessionRow, Audience, SessionCard), AppError> {
    guard::check(user, Rule::SignedIn)?;
    let manager = Rule::ProjectTeam.allows(user);
    storage::get_visible(&state.pool, user, manager, id, now)
        .await?
        .ok_or_else(not_found)
}

/// One session; for the project team with participants.
pub async fn detail(
    state: &AppState,
    user: &SessionUser,
    id: i64,
) -> Result<SessionDetail, AppError> {
    let (row, audience, card) = visible(state, user, id, now()).await?;
    let manager = Rule::ProjectTeam.allows(user);
    let participants = if manager {
        storage::participants(&state.pool, id).await?
    } else {
        Vec::new()
    };
    Ok(SessionDetail {
        card,
        description: row.description.clone(),
        cancel_reason: row.cancel_reason.clone(),
        form: SessionForm {
            title: row.title.clone(),
            description: row.description.clone(),
            trainer: row.trainer.clone(),
            starts: crate::time::input_value(row.starts_at),
            ends: crate::time::input_value(row.ends_at),
            place: row.place.clone(),
            video_url: row.video_url.clone(),
            capacity: row.capacity.to_string(),
            municipality_ids: audience.municipality_ids.clone(),
            roles: audience
                .roles
                .iter()
                .map(|r| r.as_str().to_string())
                .collect(),
        },
        may_manage: manager,
        participants,
    })
}

/// The participant list of one session (project team), for the CSV file.
pub async fn participants(
    state: &AppState,
    user: &SessionUser,
    id: i64,
) -> Result<Vec<super::Participant>, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    storage::get(&state.pool, id).await?.ok_or_else(not_found)?;
    Ok(storage::participants(&state.pool, id).await?)
}

/// Registers for a session: a place, or the waiting list when it is full.
/// Count and insert happen under the write lock.
pub async fn register(state: &AppState, user: &SessionUser, id: i64) -> Result<MyStatus, AppError> {
    guard::check(user, Rule::SignedIn)?;
    let now = now();
    let mut tx = db::begin_write(&state.pool).await?;
    let (row, audience) = storage::get_on(&mut tx, id).await?.ok_or_else(not_found)?;
    if !audience.includes(user) {
        // Sessions for others are not shown; do not reveal them here either.
        return Err(not_found());
    }
    if let Some(reason) = registration_closed(row.state(now)) {
        return Err(AppError::Conflict(reason.into()));
    }
    let admission = admission(row.capacity, row.confirmed);
    if !storage::register(&mut tx, id, user.id, admission, now).await? {
        return Err(AppError::Conflict(
            "Sie sind für diesen Termin bereits angemeldet oder stehen auf der Warteliste.".into(),
        ));
    }
    let mine = storage::status_of(&mut tx, id, user.id)
        .await?
        .ok_or(AppError::Internal)?;
    tx.commit().await?;
    Ok(mine)
}

/// Takes the person off the session (or its waiting list) before it starts;
/// a freed place goes to the first on the waiting list.
pub async fn unregister(state: &AppState, user: &SessionUser, id: i64) -> Result<(), AppError> {
    guard::check(user, Rule::SignedIn)?;
    let now = now();
    let mut tx = db::begin_write(&state.pool).await?;
    let (row, audience) = storage::get_on(&mut tx, id).await?.ok_or_else(not_found)?;
    if !audience.includes(user) && !storage::is_registered(&mut tx, id, user.id).await? {
        // A session for others answers like an unknown one (as in
        // `register`); someone registered before the audience changed may
        // still leave it.
        return Err(not_found());
    }
    if matches!(row.state(now), SessionState::Running | SessionState::Past) {
        return Err(AppError::Conflict(
            "Der Termin hat bereits begonnen; eine Abmeldung ist nicht mehr möglich.".into(),
        ));
    }
    // A session moved into the future after attendance was taken can be
    // left again, and the attendance goes with it.
    let rollout = rollout_days::before(&mut tx, Subjects::People(vec![user.id])).await?;
    let had_place = storage::unregister(&mut tx, id, user.id)
        .await?
        .ok_or_else(|| AppError::Conflict("Sie sind für diesen Termin nicht angemeldet.".into()))?;
    rollout.settle(&mut tx).await?;
    if had_place && row.cancelled_at.is_none() {
        storage::promote(&mut tx, id, row.capacity, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn audit_details(session: &ValidSession) -> serde_json::Value {
    serde_json::json!({
        "title": session.title,
        "when": crate::time::display_span(session.starts_at, session.ends_at),
        "capacity": session.capacity,
        "municipalities": session.municipality_ids,
        "roles": session.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
    })
}

fn entry(
    user: &SessionUser,
    action: &'static str,
    session_id: i64,
    details: serde_json::Value,
) -> NewEntry {
    NewEntry::by(user, action, "training_session", session_id, details)
}

/// Schedules a session; returns its id.
pub async fn create(
    state: &AppState,
    user: &SessionUser,
    form: &SessionForm,
) -> Result<i64, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let now = now();
    let valid = super::validate(form, Some(now))?;
    let mut tx = db::begin_write(&state.pool).await?;
    let id = storage::create(&mut tx, user.id, &valid, now).await?;
    record(
        &mut tx,
        entry(user, "training_session_created", id, audit_details(&valid)),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a session that is not cancelled. New times must lie in the
/// future; unchanged times may be past (e.g. correcting the description
/// later). Capacity cannot drop below the confirmed places; raising it
/// moves people up from the waiting list.
pub async fn update(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    form: &SessionForm,
) -> Result<i64, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let now = now();
    let (stored, _) = storage::get(&state.pool, id).await?.ok_or_else(not_found)?;
    let unchecked = super::validate(form, None)?;
    let times_changed =
        unchecked.starts_at != stored.starts_at || unchecked.ends_at != stored.ends_at;
    let valid = if times_changed {
        super::validate(form, Some(now))?
    } else {
        unchecked
    };
    let mut tx = db::begin_write(&state.pool).await?;
    let (row, _) = storage::get_on(&mut tx, id).await?.ok_or_else(not_found)?;
    if row.cancelled_at.is_some() {
        return Err(AppError::Conflict(
            "Ein abgesagter Termin kann nicht mehr geändert werden.".into(),
        ));
    }
    if valid.capacity < row.confirmed {
        return Err(AppError::invalid(format!(
            "Es sind bereits {} Personen angemeldet; die Zahl der Plätze kann nicht darunter sinken.",
            row.confirmed
        )));
    }
    // Attendance counts on the session's day: new times move it.
    let attended = storage::attended_ids(&mut tx, id).await?;
    let rollout = rollout_days::before(&mut tx, Subjects::People(attended)).await?;
    storage::update(&mut tx, id, &valid, now).await?;
    rollout.settle(&mut tx).await?;
    let moved_up = storage::promote(&mut tx, id, valid.capacity, now).await?;
    let mut details = audit_details(&valid);
    details["moved_up"] = moved_up.into();
    record(
        &mut tx,
        entry(user, "training_session_updated", id, details),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Cancels a session that has not ended, with a reason everyone sees.
pub async fn cancel(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    reason: &str,
) -> Result<(), AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 || reason.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "Bitte nennen Sie den Grund der Absage (höchstens 500 Zeichen).",
        ));
    }
    let mut tx = db::begin_write(&state.pool).await?;
    if !storage::cancel(&mut tx, id, reason, now()).await? {
        return Err(match storage::get_on(&mut tx, id).await? {
            None => not_found(),
            Some(_) => {
                AppError::Conflict("Der Termin ist bereits abgesagt oder schon vorbei.".into())
            }
        });
    }
    record(
        &mut tx,
        entry(
            user,
            "training_session_cancelled",
            id,
            serde_json::json!({ "reason": reason }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The trainer marks a confirmed participant as present or absent, once
/// the session has started.
pub async fn mark_attendance(
    state: &AppState,
    user: &SessionUser,
    session_id: i64,
    participant: i64,
    attended: bool,
) -> Result<(), AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let attendance = if attended {
        Attendance::Attended
    } else {
        Attendance::Absent
    };
    let now = now();
    let mut tx = db::begin_write(&state.pool).await?;
    let (row, _) = storage::get_on(&mut tx, session_id)
        .await?
        .ok_or_else(not_found)?;
    match row.state(now) {
        SessionState::Cancelled => {
            return Err(AppError::Conflict(
                "Der Termin wurde abgesagt; Anwesenheit wird nicht erfasst.".into(),
            ))
        }
        SessionState::Upcoming => {
            return Err(AppError::Conflict(
                "Die Anwesenheit kann erst ab Beginn des Termins erfasst werden.".into(),
            ))
        }
        SessionState::Running | SessionState::Past => {}
    }
    let rollout = rollout_days::before(&mut tx, Subjects::People(vec![participant])).await?;
    if !storage::mark_attendance(&mut tx, session_id, participant, attendance, user.id, now).await?
    {
        return Err(AppError::NotFound("Die angemeldete Person".into()));
    }
    rollout.settle(&mut tx).await?;
    record(
        &mut tx,
        entry(
            user,
            "training_attendance_marked",
            session_id,
            serde_json::json!({ "user_id": participant, "attendance": attendance.as_str() }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sessions the person moved up into from the waiting list since their
/// last visit: id, title, when.
pub async fn moved_up_notices(
    state: &AppState,
    user: &SessionUser,
) -> Result<Vec<(i64, String, String)>, AppError> {
    guard::check(user, Rule::SignedIn)?;
    Ok(storage::moved_up_notices(&state.pool, user.id).await?)
}

/// The person has read the moved-up notices.
pub async fn dismiss_moved_up_notices(
    state: &AppState,
    user: &SessionUser,
) -> Result<(), AppError> {
    guard::check(user, Rule::SignedIn)?;
    let mut tx = db::begin_write(&state.pool).await?;
    storage::dismiss_moved_up_notices(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(())
}

/// The sessions the person attended (their training record).
pub async fn attended(
    state: &AppState,
    user: &SessionUser,
) -> Result<Vec<AttendedSession>, AppError> {
    guard::check(user, Rule::SignedIn)?;
    Ok(storage::attended_by(&state.pool, user.id).await?)
}

/// Attendance per municipality and role (project team).
pub async fn attendance_summary(
    state: &AppState,
    user: &SessionUser,
) -> Result<Vec<AttendanceSummaryRow>, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    Ok(storage::attendance_summary(&state.pool).await?)
}
