//! Server functions: a document's text state, reprocessing, the admin queue.

use super::{QueueOverview, TextState};
use crate::error::AppError;
use leptos::prelude::*;

/// Where the newest version of a document stands (polled by its page).
#[server(prefix = "/api", endpoint = "document_text_state")]
pub async fn document_text_state(id: i64) -> Result<TextState, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::Clerk)?;
            if crate::documents::storage::access(&state.pool, id, user.municipality.id)
                .await?
                .is_none()
            {
                return Err(crate::documents::server_fns::ssr::not_found());
            }
            Ok(super::storage::text_state(&state.pool, id).await?)
        }
        .await,
    )
}

/// Runs text extraction and OCR again for the newest version.
#[server(prefix = "/api", endpoint = "reprocess_document")]
pub async fn reprocess_document(id: i64) -> Result<TextState, AppError> {
    crate::error::with_status(
        async {
            use crate::documents::storage::Access;
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::Clerk)?;
            match crate::documents::storage::access(&state.pool, id, user.municipality.id).await? {
                Some(Access::Owner) => {}
                Some(Access::Shared) => {
                    return Err(AppError::invalid(
                        "Nur die Gemeinde, der das Dokument gehört, kann die Texterkennung neu starten.",
                    ))
                }
                None => return Err(crate::documents::server_fns::ssr::not_found()),
            }
            let now = crate::time::now();
            if !super::storage::reprocess_document(&state.pool, id, now).await? {
                return Err(crate::documents::server_fns::ssr::not_found());
            }
            crate::audit::storage::record_alone(
                &state.pool,
                crate::audit::storage::NewEntry::by(
                    &user,
                    "document_reprocess",
                    "document",
                    id,
                    serde_json::json!({}),
                ),
            )
            .await?;
            state.wake.jobs.notify_one();
            Ok(super::storage::text_state(&state.pool, id).await?)
        }
        .await,
    )
}

/// An administrator with the municipality whose processing they drive:
/// their own, or `None` (every real one) when responsible for all.
#[cfg(feature = "ssr")]
fn operator() -> Result<
    (
        crate::auth::SessionUser,
        crate::state::AppState,
        Option<i64>,
    ),
    AppError,
> {
    let user = crate::auth::require_user()?;
    if !crate::auth::guard::Rule::Administration.allows(&user) {
        return Err(AppError::Forbidden);
    }
    let scope = (!user.all_municipalities).then_some(user.municipality.id);
    Ok((user, crate::state::AppState::from_context()?, scope))
}

/// The processing queue for the administration.
#[server(prefix = "/api", endpoint = "processing_queue")]
pub async fn processing_queue() -> Result<QueueOverview, AppError> {
    crate::error::with_status(
        async {
            let (_, state, scope) = operator()?;
            Ok(super::storage::overview(&state.pool, 100, scope).await?)
        }
        .await,
    )
}

/// Puts every job that failed for good back into the queue.
#[server(prefix = "/api", endpoint = "retry_failed_jobs")]
pub async fn retry_failed_jobs() -> Result<u64, AppError> {
    crate::error::with_status(
        async {
            let (user, state, scope) = operator()?;
            let now = crate::time::now();
            let count = super::storage::retry_failed(&state.pool, now, scope).await?;
            crate::audit::storage::record_alone(
                &state.pool,
                crate::audit::storage::NewEntry::by(
                    &user,
                    "jobs_retried",
                    "jobs",
                    0,
                    serde_json::json!({ "count": count, "municipality_id": scope }),
                ),
            )
            .await?;
            state.wake.jobs.notify_one();
            Ok(count)
        }
        .await,
    )
}

/// The text found in a document, as shown under "Erkannter Text".
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FoundTextView {
    pub text: String,
    /// The stored text was longer than what is shown.
    pub truncated: bool,
}

/// Characters of found text sent to the page.
pub const SHOWN_TEXT_CHARS: usize = 100_000;

/// The newest found text of a document the user may read.
#[server(prefix = "/api", endpoint = "document_found_text")]
pub async fn document_found_text(id: i64) -> Result<Option<FoundTextView>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::Clerk)?;
            if crate::documents::storage::access(&state.pool, id, user.municipality.id)
                .await?
                .is_none()
            {
                return Err(crate::documents::server_fns::ssr::not_found());
            }
            Ok(super::storage::found_text(&state.pool, id)
                .await?
                .map(|text| {
                    let truncated = text.chars().count() > SHOWN_TEXT_CHARS;
                    FoundTextView {
                        text: if truncated {
                            text.chars().take(SHOWN_TEXT_CHARS).collect()
                        } else {
                            text
                        },
                        truncated,
                    }
                }))
        }
        .await,
    )
}
