//! `GET /export/aktenplan.csv`: the whole Aktenplan in the CSV import
//! format, for records officers and spreadsheets.

use app::auth::guard::{rules, Allowed};
use app::error::AppError;
use app::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

pub async fn export(
    State(state): State<AppState>,
    allowed: Allowed<rules::OpenAkten>,
) -> Result<Response, AppError> {
    let csv = app::aktenplan::service::export_csv(&state, &allowed.user).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"aktenplan.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}
