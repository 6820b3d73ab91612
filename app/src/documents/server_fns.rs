//! Server functions for documents. Uploads and file downloads are plain
//! HTTP routes in the server (they stream); everything else is here.

use super::{DocumentDetail, DocumentSummary, FilingTarget, MetadataForm};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The result of re-hashing the document store, for the admin page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreCheck {
    pub checked: usize,
    /// One German line per missing or changed file.
    pub problems: Vec<String>,
}

/// One entry of the trash list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrashEntry {
    pub document: DocumentSummary,
    /// When and by whom it was deleted.
    pub trashed: String,
}

#[cfg(feature = "ssr")]
use super::service;
#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Rule};

/// The configured largest file, for the upload hint.
#[server(prefix = "/api", endpoint = "upload_limit_mb", output = crate::server_json::Json)]
pub async fn upload_limit_mb() -> Result<u64, AppError> {
    crate::error::with_status(
        require(Rule::SignedIn).and_then(|(user, state)| service::upload_limit_mb(&state, &user)),
    )
}

/// Documents filed in a Vorgang whose Akte the user's municipality owns
/// or shares.
#[server(prefix = "/api", endpoint = "vorgang_documents", output = crate::server_json::Json)]
pub async fn vorgang_documents(vorgang_id: i64) -> Result<Vec<DocumentSummary>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            service::vorgang_documents(&state, &user, vorgang_id).await
        }
        .await,
    )
}

/// Documents filed in an Akte the user's municipality owns or shares.
#[server(prefix = "/api", endpoint = "akte_documents", output = crate::server_json::Json)]
pub async fn akte_documents(akte_id: i64) -> Result<Vec<DocumentSummary>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            service::akte_documents(&state, &user, akte_id).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "load_inbox", output = crate::server_json::Json)]
pub async fn load_inbox() -> Result<Vec<DocumentSummary>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            service::inbox(&state, &user).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "get_document", output = crate::server_json::Json)]
pub async fn get_document(id: i64) -> Result<DocumentDetail, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            service::detail(&state, &user, id).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "save_document", output = crate::server_json::Json)]
pub async fn save_document(id: i64, meta: MetadataForm) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            service::save_metadata(&state, &user, id, &meta).await
        }
        .await,
    )
}

/// Bulk actions from the Posteingang and Akten: `action` is `file`
/// (`value` = Akte id), `tag`, `type`, `trash` or `untrash`.
#[server(prefix = "/api", endpoint = "bulk_documents", output = crate::server_json::Json)]
pub async fn bulk_documents(
    ids: Vec<i64>,
    action: String,
    value: String,
) -> Result<usize, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            let action = service::BulkAction::parse(&action, &value)?;
            service::bulk(&state, &user, &ids, &action).await
        }
        .await,
    )
}

/// Makes an old version current again, as a new version.
#[server(prefix = "/api", endpoint = "restore_document_version", output = crate::server_json::Json)]
pub async fn restore_document_version(id: i64, number: i64) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            service::restore_version(&state, &user, id, number).await
        }
        .await,
    )
}

/// Open Akten and their Vorgänge to file into, found by Aktenzeichen,
/// Zeichen or title.
#[server(prefix = "/api", endpoint = "find_filing_targets", output = crate::server_json::Json)]
pub async fn find_filing_targets(query: String) -> Result<Vec<FilingTarget>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            service::find_filing_targets(&state, &user, &query).await
        }
        .await,
    )
}

/// The trash: clerks see their municipality's, administrators (who empty
/// it) theirs or all four for a central administrator.
#[server(prefix = "/api", endpoint = "list_trash", output = crate::server_json::Json)]
pub async fn list_trash() -> Result<Vec<TrashEntry>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            service::trash(&state, &user).await
        }
        .await,
    )
}

/// Destroys everything in the trash for good. Administration only.
#[server(prefix = "/api", endpoint = "empty_trash", output = crate::server_json::Json)]
pub async fn empty_trash() -> Result<usize, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Administration)?;
            service::empty_trash(&state, &user).await
        }
        .await,
    )
}

/// Re-hashes every stored file and reports missing or changed ones.
#[server(prefix = "/api", endpoint = "verify_store", output = crate::server_json::Json)]
pub async fn verify_store() -> Result<StoreCheck, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::AllMunicipalityAdministration)?;
            service::verify_store(&state, &user).await
        }
        .await,
    )
}

/// One step in a document's history, for the document page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: String,
    pub who: String,
    pub what: String,
}

/// Who did what with a document, newest first (the owning municipality
/// only; addresses stay in the administrators' log).
#[server(prefix = "/api", endpoint = "document_history", output = crate::server_json::Json)]
pub async fn document_history(id: i64) -> Result<Vec<HistoryEntry>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            service::history(&state, &user, id).await
        }
        .await,
    )
}
