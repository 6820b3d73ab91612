//! Server functions for training sessions.

use super::{
    AttendanceSummaryRow, AttendedSession, MyStatus, SessionDetail, SessionForm, SessionList,
};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Rule};

/// Upcoming and recent sessions for this person, and their registrations.
/// The project team sees all sessions and may filter by municipality.
#[server(prefix = "/api", endpoint = "list_training_sessions", output = crate::server_json::Json)]
pub async fn list_training_sessions(municipality: Option<i64>) -> Result<SessionList, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::list(&state, &user, municipality).await
        }
        .await,
    )
}

/// One session; for the project team with participants.
#[server(prefix = "/api", endpoint = "get_training_session", output = crate::server_json::Json)]
pub async fn get_training_session(id: i64) -> Result<SessionDetail, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::detail(&state, &user, id).await
        }
        .await,
    )
}

/// Registers for a session: a place, or the waiting list when it is full.
#[server(prefix = "/api", endpoint = "register_for_session", output = crate::server_json::Json)]
pub async fn register_for_session(id: i64) -> Result<MyStatus, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::register(&state, &user, id).await
        }
        .await,
    )
}

/// Unregisters (or leaves the waiting list); the first waiting moves up.
#[server(prefix = "/api", endpoint = "unregister_from_session", output = crate::server_json::Json)]
pub async fn unregister_from_session(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::unregister(&state, &user, id).await
        }
        .await,
    )
}

/// Schedules a session (project team).
#[server(prefix = "/api", endpoint = "create_training_session", output = crate::server_json::Json)]
pub async fn create_training_session(session: SessionForm) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::create(&state, &user, &session).await
        }
        .await,
    )
}

/// Changes a session (project team). New times must lie in the future;
/// unchanged times may be past (e.g. correcting the description later).
#[server(prefix = "/api", endpoint = "update_training_session", output = crate::server_json::Json)]
pub async fn update_training_session(id: i64, session: SessionForm) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::update(&state, &user, id, &session).await
        }
        .await,
    )
}

/// Cancels a session (project team) with a reason everyone sees.
#[server(prefix = "/api", endpoint = "cancel_training_session", output = crate::server_json::Json)]
pub async fn cancel_training_session(id: i64, reason: String) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::cancel(&state, &user, id, &reason).await
        }
        .await,
    )
}

/// Marks a confirmed participant present or absent (project team, from the
/// session's start on).
#[server(prefix = "/api", endpoint = "mark_attendance", output = crate::server_json::Json)]
pub async fn mark_attendance(
    session_id: i64,
    user_id: i64,
    attended: bool,
) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::mark_attendance(&state, &user, session_id, user_id, attended).await
        }
        .await,
    )
}

/// A session someone moved up into: id, title, when.
pub type MovedUp = (i64, String, String);

/// Sessions the person moved up into from the waiting list since their
/// last visit.
#[server(prefix = "/api", endpoint = "moved_up_notices", output = crate::server_json::Json)]
pub async fn moved_up_notices() -> Result<Vec<MovedUp>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::moved_up_notices(&state, &user).await
        }
        .await,
    )
}

/// The person has read the moved-up notices.
#[server(prefix = "/api", endpoint = "dismiss_moved_up_notices", output = crate::server_json::Json)]
pub async fn dismiss_moved_up_notices() -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::dismiss_moved_up_notices(&state, &user).await
        }
        .await,
    )
}

/// The sessions the signed-in person attended (their training record).
#[server(prefix = "/api", endpoint = "my_attended_sessions", output = crate::server_json::Json)]
pub async fn my_attended_sessions() -> Result<Vec<AttendedSession>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::attended(&state, &user).await
        }
        .await,
    )
}

/// Attendance per municipality and role (project team).
#[server(prefix = "/api", endpoint = "training_attendance_summary", output = crate::server_json::Json)]
pub async fn training_attendance_summary() -> Result<Vec<AttendanceSummaryRow>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::attendance_summary(&state, &user).await
        }
        .await,
    )
}
