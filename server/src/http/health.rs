//! `/healthz` for monitoring and load balancers: answers 200 when the
//! database answers, 503 otherwise.

use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    match sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.pool)
        .await
    {
        Ok(_) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") })),
        ),
        Err(error) => {
            tracing::error!(%error, "health check: database not reachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "database unavailable" })),
            )
        }
    }
}
