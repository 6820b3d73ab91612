//! Server functions for training sessions.

use super::{
    AttendanceSummaryRow, AttendedSession, MyStatus, SessionDetail, SessionForm, SessionList,
};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub mod ssr {}

/// Upcoming and recent sessions for this person, and their registrations.
/// The project team sees all sessions and may filter by municipality.
#[server(prefix = "/api", endpoint = "list_training_sessions")]
pub async fn list_training_sessions(municipality: Option<i64>) -> Result<SessionList, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            let manager = crate::auth::guard::Rule::ProjectTeam.allows(&user);
            let filter = if manager { municipality } else { None };
            let (upcoming, past, mine) =
                super::storage::list(&state.pool, &user, manager, filter, crate::time::now())
                    .await?;
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
        .await,
    )
}

/// One session; for the project team with participants.
#[server(prefix = "/api", endpoint = "get_training_session")]
pub async fn get_training_session(id: i64) -> Result<SessionDetail, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            let manager = crate::auth::guard::Rule::ProjectTeam.allows(&user);
            let (row, audience, card) =
                super::storage::get_visible(&state.pool, &user, manager, id, crate::time::now())
                    .await?
                    .ok_or_else(|| AppError::NotFound("Der Schulungstermin".into()))?;
            let participants = if manager {
                super::storage::participants(&state.pool, id).await?
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
                    starts: super::to_local_input(row.starts_at),
                    ends: super::to_local_input(row.ends_at),
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
        .await,
    )
}

/// Registers for a session: a place, or the waiting list when it is full.
#[server(prefix = "/api", endpoint = "register_for_session")]
pub async fn register_for_session(id: i64) -> Result<MyStatus, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            super::storage::register(&state.pool, &user, id, crate::time::now()).await
        }
        .await,
    )
}

/// Unregisters (or leaves the waiting list); the first waiting moves up.
#[server(prefix = "/api", endpoint = "unregister_from_session")]
pub async fn unregister_from_session(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            super::storage::unregister(&state.pool, &user, id, crate::time::now()).await
        }
        .await,
    )
}

/// Schedules a session (project team).
#[server(prefix = "/api", endpoint = "create_training_session")]
pub async fn create_training_session(session: SessionForm) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            let now = crate::time::now();
            let valid = super::validate(&session, Some(now))?;
            super::storage::create(&state.pool, &user, &valid, now).await
        }
        .await,
    )
}

/// Changes a session (project team). New times must lie in the future;
/// unchanged times may be past (e.g. correcting the description later).
#[server(prefix = "/api", endpoint = "update_training_session")]
pub async fn update_training_session(id: i64, session: SessionForm) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            let now = crate::time::now();
            let (row, _) = super::storage::get(&state.pool, id)
                .await?
                .ok_or_else(|| AppError::NotFound("Der Schulungstermin".into()))?;
            let unchecked = super::validate(&session, None)?;
            let times_changed =
                unchecked.starts_at != row.starts_at || unchecked.ends_at != row.ends_at;
            let valid = if times_changed {
                super::validate(&session, Some(now))?
            } else {
                unchecked
            };
            super::storage::update(&state.pool, &user, id, &valid, now).await?;
            Ok(id)
        }
        .await,
    )
}

/// Cancels a session (project team) with a reason everyone sees.
#[server(prefix = "/api", endpoint = "cancel_training_session")]
pub async fn cancel_training_session(id: i64, reason: String) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            let reason = reason.trim();
            if reason.is_empty()
                || reason.chars().count() > 500
                || reason.chars().any(char::is_control)
            {
                return Err(AppError::invalid(
                    "Bitte nennen Sie den Grund der Absage (höchstens 500 Zeichen).",
                ));
            }
            super::storage::cancel(&state.pool, &user, id, reason, crate::time::now()).await
        }
        .await,
    )
}

/// Marks a confirmed participant present or absent (project team, from the
/// session's start on).
#[server(prefix = "/api", endpoint = "mark_attendance")]
pub async fn mark_attendance(
    session_id: i64,
    user_id: i64,
    attended: bool,
) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            let attendance = if attended {
                super::Attendance::Attended
            } else {
                super::Attendance::Absent
            };
            super::storage::mark_attendance(
                &state.pool,
                &user,
                session_id,
                user_id,
                attendance,
                crate::time::now(),
            )
            .await
        }
        .await,
    )
}

/// A session someone moved up into: id, title, when.
pub type MovedUp = (i64, String, String);

/// Sessions the person moved up into from the waiting list since their
/// last visit.
#[server(prefix = "/api", endpoint = "moved_up_notices")]
pub async fn moved_up_notices() -> Result<Vec<MovedUp>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            Ok(super::storage::moved_up_notices(&state.pool, user.id).await?)
        }
        .await,
    )
}

/// The person has read the moved-up notices.
#[server(prefix = "/api", endpoint = "dismiss_moved_up_notices")]
pub async fn dismiss_moved_up_notices() -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            Ok(super::storage::dismiss_moved_up_notices(&state.pool, user.id).await?)
        }
        .await,
    )
}

/// The sessions the signed-in person attended (their training record).
#[server(prefix = "/api", endpoint = "my_attended_sessions")]
pub async fn my_attended_sessions() -> Result<Vec<AttendedSession>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            Ok(super::storage::attended_by(&state.pool, user.id).await?)
        }
        .await,
    )
}

/// Attendance per municipality and role (project team).
#[server(prefix = "/api", endpoint = "training_attendance_summary")]
pub async fn training_attendance_summary() -> Result<Vec<AttendanceSummaryRow>, AppError> {
    crate::error::with_status(
        async {
            let (_, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            Ok(super::storage::attendance_summary(&state.pool).await?)
        }
        .await,
    )
}
