//! Work the server does besides answering requests: the text-extraction
//! workers and the indexer that keeps the search in step with the database.

pub mod indexer;
pub mod postfach;
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

/// How often the inputs that arrive by themselves are looked into.
#[derive(Clone, Copy, Debug)]
pub struct Intervals {
    /// The Scan-Ordner.
    pub scan: std::time::Duration,
    /// The Postfächer.
    pub mail: std::time::Duration,
}

impl Intervals {
    /// For tests that look into Scan-Ordner and Postfächer by hand: the
    /// background waits an hour.
    pub const BY_HAND: Intervals = Intervals {
        scan: std::time::Duration::from_secs(3600),
        mail: std::time::Duration::from_secs(3600),
    };
}

/// Starts the indexer, `workers` extraction workers, the sweep of the
/// Scan-Ordner and the fetch from the Postfächer.
pub fn start(
    state: &AppState,
    extractor: Extractor,
    workers: usize,
    intervals: Intervals,
) -> Background {
    let mut tasks = vec![
        tokio::spawn(indexer::run(state.clone())),
        tokio::spawn(scan::run(state.clone(), intervals.scan)),
        tokio::spawn(postfach::run(state.clone(), intervals.mail)),
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
