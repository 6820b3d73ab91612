//! The fetch from the Postfächer (`app::postfach::fetch`), every interval.

use app::postfach::fetch::fetch_all;
use app::state::AppState;
use std::time::Duration;

/// Looks into the Postfächer every `interval` for as long as the server
/// runs. A failed round is logged and the next one tries again; a failing
/// Postfach is noted on its page and does not stop the others.
pub async fn run(state: AppState, interval: Duration) {
    loop {
        match fetch_all(&state).await {
            Ok(done) if done.stored + done.duplicates + done.refused > 0 => {
                tracing::info!(?done, "postfaecher fetched");
            }
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "postfach round failed"),
        }
        tokio::time::sleep(interval).await;
    }
}
