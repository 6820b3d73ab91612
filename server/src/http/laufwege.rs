//! `GET /dokumente/{id}/laufwege.csv`: a document's Laufwege with every
//! step and answer, as part of the record; for whoever may read the
//! document.

use super::download::{attachment, refuse};
use app::auth::SessionUser;
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;

pub async fn record(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
) -> Response {
    let Some(Extension(user)) = user else {
        return refuse(AppError::NotLoggedIn);
    };
    // The rule first: to others a malformed id is no different.
    if let Err(error) = app::auth::guard::check(&user, app::auth::guard::Rule::Clerk) {
        return refuse(error);
    }
    let Ok(Path(id)) = id else {
        return refuse(AppError::NotFound("Das Dokument".into()));
    };
    match app::laufwege::service::record_csv(&state, &user, id).await {
        Ok((name, text)) => attachment("text/csv; charset=utf-8", name, text),
        Err(error) => refuse(error),
    }
}
