//! Applies the search outbox to the index: woken by new text, and polling
//! twice a second for metadata changes, so a document is searchable within
//! a second or two of its text being stored.

use app::state::AppState;
use std::time::Duration;

const POLL: Duration = Duration::from_millis(500);

pub async fn run(state: AppState) {
    loop {
        match app::search::sync::drain(&state.pool, &state.search).await {
            Ok(0) => {}
            Ok(documents) => tracing::debug!(documents, "search index updated"),
            Err(error) => {
                tracing::error!(%error, "updating the search index failed; retrying");
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        }
        tokio::select! {
            () = state.wake.index.notified() => {}
            () = tokio::time::sleep(POLL) => {}
        }
    }
}
