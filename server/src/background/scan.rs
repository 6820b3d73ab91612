//! The sweep of the Scan-Ordner (`app::scan::take`), every few seconds.

use app::scan::take::{sweep, Watch};
use app::state::AppState;
use std::time::Duration;

/// Looks into the Scan-Ordner every `interval` for as long as the server
/// runs. A failed sweep is logged and the next one tries again.
pub async fn run(state: AppState, interval: Duration) {
    let mut watch = Watch::default();
    loop {
        match sweep(&state, &mut watch).await {
            Ok(done) if done.stored + done.refused + done.removed > 0 => {
                tracing::info!(?done, "scan folders swept");
            }
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "scan folder sweep failed"),
        }
        tokio::time::sleep(interval).await;
    }
}
