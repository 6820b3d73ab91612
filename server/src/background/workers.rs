//! Extraction workers: each takes the oldest due job, runs extraction and
//! OCR in a child process with limits, and stores the text or the reason it
//! failed. A crash or hang of the child costs that one file, never the server.

use super::Extractor;
use app::processing::service;
use app::processing::storage::{ClaimedJob, FoundText};
use app::state::AppState;
use std::sync::Arc;
use std::time::Duration;

/// How long an idle worker sleeps before looking again (it is woken early
/// when an upload queues a job).
const IDLE: Duration = Duration::from_secs(2);

pub async fn run(state: AppState, extractor: Arc<Extractor>, number: usize) {
    loop {
        let now = app::time::now();
        match service::claim_next(&state.pool, now).await {
            Ok(Some(job)) => {
                process(&state, &extractor, &job).await;
                continue;
            }
            Ok(None) => {}
            Err(error) => tracing::error!(%error, worker = number, "cannot read the job queue"),
        }
        tokio::select! {
            () = state.wake.jobs.notified() => {}
            () = tokio::time::sleep(IDLE) => {}
        }
    }
}

/// Whether trying again later may help: missing tools and I/O trouble may
/// pass; a file that is malformed, too large or too expensive stays so.
fn may_pass(error: &extract::ExtractError) -> bool {
    use extract::ExtractError as E;
    !matches!(
        error,
        E::Malformed(_) | E::TooLarge(_) | E::Timeout { .. } | E::MemoryLimit
    )
}

/// The method as stored in `version_texts.method`.
fn method_name(method: extract::Method) -> &'static str {
    match method {
        extract::Method::Text => "text",
        extract::Method::Ocr => "ocr",
        extract::Method::Mixed => "mixed",
        extract::Method::None => "none",
    }
}

pub async fn process(state: &AppState, extractor: &Extractor, job: &ClaimedJob) {
    let started = std::time::Instant::now();
    let outcome = match extract::Kind::parse(&job.kind) {
        None => Err(None),
        Some(kind) => {
            let path = state.blobs.path_of(&job.sha256);
            let extractor = extractor.clone();
            let args: Vec<String> = extractor.args.clone();
            tokio::task::spawn_blocking(move || {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                extract::run_in_child(&extractor.program, &args, &path, kind, &extractor.limits)
            })
            .await
            .map_err(|_| None)
            .and_then(|result| result.map_err(Some))
        }
    };
    let now = app::time::now();
    let stored = match outcome {
        Ok(found) => {
            tracing::info!(
                job = job.job_id,
                pages = found.pages,
                ocr_pages = found.ocr_pages,
                chars = found.text.len(),
                millis = started.elapsed().as_millis() as u64,
                "text extracted"
            );
            let result = service::complete(
                &state.pool,
                job,
                &FoundText {
                    text: found.text,
                    pages: i64::from(found.pages),
                    ocr_pages: i64::from(found.ocr_pages),
                    method: method_name(found.method).to_string(),
                },
                now,
            )
            .await;
            state.wake.index.notify_one();
            result
        }
        Err(Some(error)) => {
            tracing::warn!(job = job.job_id, attempt = job.attempts, %error, "extraction failed");
            service::fail(&state.pool, job, &error.to_string(), may_pass(&error), now).await
        }
        Err(None) => {
            service::fail(
                &state.pool,
                job,
                "Diese Dateiart kann nicht gelesen werden.",
                false,
                now,
            )
            .await
        }
    };
    if let Err(error) = stored {
        tracing::error!(%error, job = job.job_id, "cannot record the job's outcome");
    }
}
