//! `GET /export/aktenplan.csv`: the whole Aktenplan in the CSV import
//! format, for records officers and spreadsheets.

use app::auth::{Role, SessionUser};
use app::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

pub async fn export(
    State(state): State<AppState>,
    user: Option<Extension<SessionUser>>,
) -> Response {
    let text = |status: StatusCode, message: &'static str| {
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            message,
        )
            .into_response()
    };
    let Some(Extension(user)) = user else {
        return text(StatusCode::UNAUTHORIZED, "Bitte melden Sie sich an.");
    };
    if app::auth::permissions::acting_role(&user) == Role::Schulung {
        return text(StatusCode::FORBIDDEN, "Dafür fehlt Ihnen die Berechtigung.");
    }
    match app::aktenplan::storage::all(&state.pool).await {
        Ok(positions) => {
            let records: Vec<_> = positions.into_iter().map(|p| p.record).collect();
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"aktenplan.csv\"",
                    ),
                ],
                app::aktenplan::csv_format::write(&records),
            )
                .into_response()
        }
        Err(error) => {
            tracing::error!(%error, "Aktenplan export failed");
            text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Der Aktenplan konnte gerade nicht exportiert werden. Bitte versuchen Sie es erneut.",
            )
        }
    }
}
