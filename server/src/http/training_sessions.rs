//! Downloads for training sessions:
//!
//! - `GET /schulungstermine/{id}/kalender.ics`: the calendar entry, for
//!   everyone who may see the session;
//! - `GET /schulungstermine/{id}/teilnehmende.csv`: the participant list,
//!   for the project team only.

use super::download::{allowed_with_id, attachment, refuse};
use app::auth::guard::Rule;
use app::auth::SessionUser;
use app::error::AppError;
use app::state::AppState;
use app::training_sessions::{self as sessions, ical, participants_csv};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;

/// The `.ics` file. `public_url` (if configured) links back to the session.
pub async fn calendar(
    state: AppState,
    user: Option<Extension<SessionUser>>,
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
    public_url: Option<String>,
) -> Response {
    let Some(Extension(user)) = user else {
        return refuse(AppError::NotLoggedIn);
    };
    let Ok(Path(id)) = id else {
        return refuse(AppError::NotFound("Der Schulungstermin".into()));
    };
    let now = app::time::now();
    let row = match sessions::service::visible(&state, &user, id, now).await {
        Ok((row, _, _)) => row,
        Err(error) => return refuse(error),
    };
    let host = public_url
        .as_deref()
        .and_then(|url| url.split("://").nth(1))
        .map(|rest| rest.split(['/', ':']).next().unwrap_or(rest))
        .filter(|host| !host.is_empty())
        .unwrap_or("aktenwerk");
    let page_url = public_url
        .as_deref()
        .map(|url| format!("{}/schulungstermine/{id}", url.trim_end_matches('/')));
    let text = ical::write(&ical::CalendarEvent {
        id,
        host,
        title: &row.title,
        description: &row.description,
        trainer: &row.trainer,
        place: &row.place,
        video_url: &row.video_url,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        revision: row.revision,
        cancelled: row.cancelled_at.is_some(),
        page_url,
        now,
    });
    attachment("text/calendar; charset=utf-8", ical::file_name(id), text)
}

/// The participant list as CSV (project team).
pub async fn participants(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
) -> Response {
    let (user, id) = match allowed_with_id(user, Rule::ProjectTeam, id, "Der Schulungstermin") {
        Ok(found) => found,
        Err(refusal) => return *refusal,
    };
    match sessions::service::participants(&state, &user, id).await {
        Ok(list) => attachment(
            "text/csv; charset=utf-8",
            participants_csv::file_name(id),
            participants_csv::write(&list),
        ),
        Err(error) => refuse(error),
    }
}
