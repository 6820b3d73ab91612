//! The use cases of processing: a document's text state and found text,
//! reprocessing it, and the administration's queue. Each checks who may,
//! writes job and audit entry in one transaction, and wakes the workers.
//! The workers' own steps (take a job, store what it found, record a
//! failure) are the system's use cases at the end of this file: each is one
//! write transaction.

use super::storage::{ClaimedJob, Failure, FoundText};
use super::{backoff_secs, MAX_ATTEMPTS};
use super::{QueueOverview, TextState};
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::documents::service::not_found;
use crate::documents::storage::Access;
use crate::error::AppError;
use crate::state::AppState;
use sqlx::SqlitePool;

/// Where the newest version of a document stands.
pub async fn text_state(
    state: &AppState,
    user: &SessionUser,
    document_id: i64,
) -> Result<TextState, AppError> {
    crate::documents::service::access(state, user, document_id).await?;
    Ok(super::storage::text_state(&state.pool, document_id).await?)
}

/// Runs text extraction and OCR again for the newest version (the owning
/// municipality only).
pub async fn reprocess(
    state: &AppState,
    user: &SessionUser,
    document_id: i64,
) -> Result<TextState, AppError> {
    guard::check(user, Rule::Clerk)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    match crate::documents::storage::access(&mut *tx, document_id, user.municipality.id).await? {
        Some(Access::Owner) => {}
        Some(Access::Shared) => {
            return Err(AppError::invalid(
                "Nur die Gemeinde, der das Dokument gehört, kann die Texterkennung neu starten.",
            ))
        }
        None => return Err(not_found()),
    }
    if !super::storage::reprocess_document(&mut tx, document_id, crate::time::now()).await? {
        return Err(not_found());
    }
    record(
        &mut tx,
        NewEntry::by(
            user,
            "document_reprocess",
            "document",
            document_id,
            serde_json::json!({}),
        ),
    )
    .await?;
    tx.commit().await?;
    state.wake.jobs.notify_one();
    Ok(super::storage::text_state(&state.pool, document_id).await?)
}

/// The municipality whose processing an administrator drives: their own,
/// or `None` (every real one) when responsible for all.
fn scope(user: &SessionUser) -> Result<Option<i64>, AppError> {
    guard::check(user, Rule::Administration)?;
    Ok((!user.all_municipalities).then_some(user.municipality.id))
}

/// The processing queue for the administration.
pub async fn queue(state: &AppState, user: &SessionUser) -> Result<QueueOverview, AppError> {
    let scope = scope(user)?;
    Ok(super::storage::overview(&state.pool, 100, scope).await?)
}

/// Puts every job that failed for good back into the queue; returns how
/// many.
pub async fn retry_failed(state: &AppState, user: &SessionUser) -> Result<u64, AppError> {
    let scope = scope(user)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let count = super::storage::retry_failed(&mut tx, crate::time::now(), scope).await?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "jobs_retried",
            "jobs",
            0,
            serde_json::json!({ "count": count, "municipality_id": scope }),
        ),
    )
    .await?;
    tx.commit().await?;
    state.wake.jobs.notify_one();
    Ok(count)
}

/// The newest found text of a document the user may read, cut to `shown`
/// characters.
pub async fn found_text(
    state: &AppState,
    user: &SessionUser,
    document_id: i64,
    shown: usize,
) -> Result<Option<super::server_fns::FoundTextView>, AppError> {
    crate::documents::service::access(state, user, document_id).await?;
    Ok(super::storage::found_text(&state.pool, document_id)
        .await?
        .map(|text| {
            let truncated = text.chars().count() > shown;
            super::server_fns::FoundTextView {
                text: if truncated {
                    text.chars().take(shown).collect()
                } else {
                    text
                },
                truncated,
            }
        }))
}

/// A worker takes the oldest due job; `None` when nothing is due.
pub async fn claim_next(pool: &SqlitePool, now: i64) -> Result<Option<ClaimedJob>, sqlx::Error> {
    let mut tx = crate::db::begin_write(pool).await?;
    let job = super::storage::claim_next(&mut tx, now).await?;
    tx.commit().await?;
    Ok(job)
}

/// Stores the text and closes the job in one transaction. A job that is
/// gone (its document was destroyed while the worker read the file) keeps
/// nothing: the text must not bring back a piece of a destroyed record.
pub async fn complete(
    pool: &SqlitePool,
    job: &ClaimedJob,
    found: &FoundText,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = crate::db::begin_write(pool).await?;
    if !super::storage::close_done(&mut tx, job.job_id, now).await? {
        tracing::debug!(
            job = job.job_id,
            "job vanished while running; its text is dropped"
        );
        return Ok(());
    }
    // The pages count for the rollout figures on the day they were read
    // (a repeated extraction moves them there).
    let document = super::storage::document_of_version(&mut tx, job.version_id).await?;
    let rollout = crate::rollout_days::before(
        &mut tx,
        crate::rollout_days::Subjects::Documents(document.into_iter().collect()),
    )
    .await?;
    super::storage::store_text(&mut tx, job.version_id, found, now).await?;
    rollout.settle(&mut tx).await?;
    tx.commit().await
}

/// Records a failed attempt: retried after a pause while attempts remain and
/// the failure may pass, otherwise failed for good.
pub async fn fail(
    pool: &SqlitePool,
    job: &ClaimedJob,
    reason: &str,
    may_pass: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    let outcome = if may_pass && job.attempts < MAX_ATTEMPTS {
        Failure {
            status: "pending",
            reason,
            run_after: now + backoff_secs(job.attempts),
            finished_at: None,
        }
    } else {
        Failure {
            status: "failed",
            reason,
            run_after: 0,
            finished_at: Some(now),
        }
    };
    let mut tx = crate::db::begin_write(pool).await?;
    super::storage::record_failure(&mut tx, job.job_id, &outcome, now).await?;
    tx.commit().await
}
