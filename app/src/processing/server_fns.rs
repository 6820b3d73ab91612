//! Server functions: a document's text state, reprocessing, the admin queue.

use super::{QueueOverview, TextState};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Rule};

/// Where the newest version of a document stands (polled by its page).
#[server(prefix = "/api", endpoint = "document_text_state", output = crate::server_json::Json)]
pub async fn document_text_state(id: i64) -> Result<TextState, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            service::text_state(&state, &user, id).await
        }
        .await,
    )
}

/// Runs text extraction and OCR again for the newest version.
#[server(prefix = "/api", endpoint = "reprocess_document", output = crate::server_json::Json)]
pub async fn reprocess_document(id: i64) -> Result<TextState, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            service::reprocess(&state, &user, id).await
        }
        .await,
    )
}

/// The processing queue for the administration.
#[server(prefix = "/api", endpoint = "processing_queue", output = crate::server_json::Json)]
pub async fn processing_queue() -> Result<QueueOverview, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Administration)?;
            service::queue(&state, &user).await
        }
        .await,
    )
}

/// Puts every job that failed for good back into the queue.
#[server(prefix = "/api", endpoint = "retry_failed_jobs", output = crate::server_json::Json)]
pub async fn retry_failed_jobs() -> Result<u64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Administration)?;
            service::retry_failed(&state, &user).await
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
#[server(prefix = "/api", endpoint = "document_found_text", output = crate::server_json::Json)]
pub async fn document_found_text(id: i64) -> Result<Option<FoundTextView>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            service::found_text(&state, &user, id, SHOWN_TEXT_CHARS).await
        }
        .await,
    )
}
