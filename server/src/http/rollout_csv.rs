//! `GET /einfuehrung/zahlen.csv?von=&bis=&einteilung=&gemeinde=`: the
//! rollout dashboard as a spreadsheet, with exactly the page's numbers and
//! permissions (project team: all municipalities; Administration: its own).

use super::download::{attachment, refuse};
use app::auth::SessionUser;
use app::error::AppError;
use app::rollout::{csv_export, service, DashboardRequest};
use app::state::AppState;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Extension;
use std::collections::HashMap;

pub async fn export(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(Extension(user)) = user else {
        return refuse(AppError::NotLoggedIn);
    };
    let request = DashboardRequest::from_query(|key| query.get(key).cloned());
    match service::dashboard(&state, &user, &request).await {
        Ok(dashboard) => attachment(
            "text/csv; charset=utf-8",
            csv_export::file_name(&dashboard),
            csv_export::write(&dashboard),
        ),
        Err(error) => refuse(error),
    }
}
