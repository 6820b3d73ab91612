//! `GET /dokumente/{id}/laufwege.csv`: a document's Laufwege with every
//! step and answer, as part of the record; for whoever may read the
//! document.

use super::download::{allowed_with_id, attachment, refuse};
use app::auth::guard::Rule;
use app::auth::SessionUser;
use app::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;

pub async fn record(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
) -> Response {
    let (user, id) = match allowed_with_id(user, Rule::Clerk, id, "Das Dokument") {
        Ok(found) => found,
        Err(refusal) => return *refusal,
    };
    match app::laufwege::service::record_csv(&state, &user, id).await {
        Ok((name, text)) => attachment("text/csv; charset=utf-8", name, text),
        Err(error) => refuse(error),
    }
}
