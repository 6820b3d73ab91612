//! The use cases of processing: a document's text state and found text,
//! reprocessing it, and the administration's queue. Each checks who may,
//! writes job and audit entry in one transaction, and wakes the workers.

use super::{QueueOverview, TextState};
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::documents::service::not_found;
use crate::documents::storage::Access;
use crate::error::AppError;
use crate::state::AppState;

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
