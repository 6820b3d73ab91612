//! Work the server does besides answering requests: the text-extraction
//! workers and the indexer that keeps the search in step with the database.

pub mod indexer;
pub mod scan;
pub mod workers;

use app::state::AppState;
use std::path::PathBuf;

/// How extraction runs: which program the child process is (the server's
/// own binary with the `extract` command) and its limits.
#[derive(Clone, Debug)]
pub struct Extractor {
    pub program: PathBuf,
    pub args: Vec<String>,
    pub limits: extract::Limits,
}

impl Extractor {
    /// This very binary, `aktenwerk extract …`.
    pub fn this_binary(timeout_secs: u64) -> std::io::Result<Extractor> {
        Ok(Extractor {
            program: std::env::current_exe()?,
            args: vec!["extract".into()],
            limits: extract::Limits {
                wall: std::time::Duration::from_secs(timeout_secs),
                ..extract::Limits::default()
            },
        })
    }
}

/// The running background tasks.
pub struct Background {
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Background {
    /// Stops every task at its next await point. A job cut off this way
    /// stays `running` in the database and is queued again at the next start.
    pub fn stop(self) {
        for task in self.tasks {
            task.abort();
        }
    }
}

/// Starts the indexer, `workers` extraction workers and the sweep of the
/// Scan-Ordner every `scan_interval`.
pub fn start(
    state: &AppState,
    extractor: Extractor,
    workers: usize,
    scan_interval: std::time::Duration,
) -> Background {
    let mut tasks = vec![
        tokio::spawn(indexer::run(state.clone())),
        tokio::spawn(scan::run(state.clone(), scan_interval)),
    ];
    let extractor = std::sync::Arc::new(extractor);
    for number in 0..workers.max(1) {
        tasks.push(tokio::spawn(workers::run(
            state.clone(),
            extractor.clone(),
            number,
        )));
    }
    Background { tasks }
}
