//! Server functions for documents. Uploads and file downloads are plain
//! HTTP routes in the server (they stream); everything else is here.

use super::{AkteRef, DocumentDetail, DocumentSummary, MetadataForm};
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
pub(crate) mod ssr {

    use crate::error::AppError;

    pub fn not_found() -> AppError {
        AppError::NotFound("Das Dokument".into())
    }
}

/// The configured largest file, for the upload hint.
#[server(prefix = "/api", endpoint = "upload_limit_mb")]
pub async fn upload_limit_mb() -> Result<u64, AppError> {
    crate::error::with_status(
        async {
            // Settings are no secret, but every endpoint answers only to a
            // signed-in person (the permission matrix holds all to that).
            crate::auth::require_user()?;
            let state = crate::state::AppState::from_context()?;
            Ok(state.settings.max_upload_bytes / (1024 * 1024))
        }
        .await,
    )
}

/// Documents filed in an Akte the user's municipality owns or shares.
#[server(prefix = "/api", endpoint = "akte_documents")]
pub async fn akte_documents(akte_id: i64) -> Result<Vec<DocumentSummary>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::Clerk)?;
            if crate::akten::storage::get_visible(&state.pool, akte_id, user.municipality.id)
                .await?
                .is_none()
            {
                return Err(AppError::NotFound("Die Akte".into()));
            }
            Ok(super::storage::in_akte(&state.pool, akte_id).await?)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "load_inbox")]
pub async fn load_inbox() -> Result<Vec<DocumentSummary>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::Clerk)?;
            Ok(super::storage::inbox(&state.pool, user.municipality.id).await?)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "get_document")]
pub async fn get_document(id: i64) -> Result<DocumentDetail, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::Clerk)?;
            super::storage::detail(&state.pool, id, user.municipality.id)
                .await?
                .ok_or_else(ssr::not_found)
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "save_document")]
pub async fn save_document(id: i64, meta: MetadataForm) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::Clerk)?;
            let clean = super::validate_metadata(&meta).map_err(AppError::Invalid)?;
            if super::storage::update_metadata(&state.pool, &user, id, &clean).await? {
                Ok(())
            } else {
                Err(ssr::not_found())
            }
        }
        .await,
    )
}

/// Bulk actions from the Posteingang and Akten: `action` is `file`
/// (`value` = Akte id), `tag`, `type`, `trash` or `untrash`.
#[server(prefix = "/api", endpoint = "bulk_documents")]
pub async fn bulk_documents(
    ids: Vec<i64>,
    action: String,
    value: String,
) -> Result<usize, AppError> {
    crate::error::with_status(
        async {
            use super::storage::{BulkAction, BulkRefusal};
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::Clerk)?;
            if ids.is_empty() {
                return Err(AppError::invalid("Bitte wählen Sie mindestens ein Dokument aus."));
            }
            if ids.len() > 500 {
                return Err(AppError::invalid("Bitte höchstens 500 Dokumente auf einmal."));
            }
            let action = match action.as_str() {
                "file" => BulkAction::File {
                    akte_id: value
                        .trim()
                        .parse()
                        .map_err(|_| AppError::invalid("Bitte wählen Sie eine Akte aus."))?,
                },
                "tag" => {
                    let tags = super::parse_tags(&value).map_err(AppError::Invalid)?;
                    let [tag] = tags.as_slice() else {
                        return Err(AppError::invalid("Bitte geben Sie genau ein Schlagwort an."));
                    };
                    BulkAction::AddTag(tag.clone())
                }
                "type" => BulkAction::SetType(
                    super::DocType::parse(value.trim())
                        .ok_or_else(|| AppError::invalid("Bitte wählen Sie eine Dokumentart aus der Liste."))?,
                ),
                "trash" => BulkAction::Trash,
                "untrash" => BulkAction::Untrash,
                _ => return Err(AppError::invalid("Diese Aktion gibt es nicht.")),
            };
            match super::storage::bulk(&state.pool, &user, &ids, &action).await? {
                Ok(changed) => Ok(changed),
                Err(BulkRefusal::UnknownDocument(_)) => Err(ssr::not_found()),
                Err(BulkRefusal::UnknownAkte) => Err(AppError::NotFound("Die Akte".into())),
                Err(BulkRefusal::AkteClosed) => Err(AppError::Conflict(
                    "Die Akte ist geschlossen (zdA). In geschlossene Akten kann nichts mehr abgelegt werden.".into(),
                )),
            }
        }
        .await,
    )
}

/// Makes an old version current again, as a new version.
#[server(prefix = "/api", endpoint = "restore_document_version")]
pub async fn restore_document_version(id: i64, number: i64) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::Clerk)?;
            super::storage::restore_version(&state.pool, &user, id, number)
                .await?
                .ok_or_else(ssr::not_found)
        }
        .await,
    )
}

/// Open Akten to file into, found by Aktenzeichen or title.
#[server(prefix = "/api", endpoint = "find_akten_for_filing")]
pub async fn find_akten_for_filing(query: String) -> Result<Vec<AkteRef>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::Clerk)?;
            Ok(crate::akten::storage::find_open(
                &state.pool,
                user.municipality.id,
                query.trim(),
                20,
            )
            .await?)
        }
        .await,
    )
}

/// The trash: clerks see their municipality's, administrators (who empty
/// it) theirs or all four for a central administrator.
#[server(prefix = "/api", endpoint = "list_trash")]
pub async fn list_trash() -> Result<Vec<TrashEntry>, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::require_user()?;
            let state = crate::state::AppState::from_context()?;
            let scope = trash_scope(&user)?;
            Ok(super::storage::trash(&state.pool, scope)
                .await?
                .into_iter()
                .map(|(document, trashed)| TrashEntry { document, trashed })
                .collect())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn trash_scope(user: &crate::auth::SessionUser) -> Result<Option<i64>, AppError> {
    if crate::auth::guard::Rule::Clerk.allows(user) {
        Ok(Some(user.municipality.id))
    } else if crate::auth::guard::Rule::Administration.allows(user) {
        Ok((!user.all_municipalities).then_some(user.municipality.id))
    } else {
        Err(AppError::Forbidden)
    }
}

/// Destroys everything in the trash for good. Administration only.
#[server(prefix = "/api", endpoint = "empty_trash")]
pub async fn empty_trash() -> Result<usize, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::require_user()?;
            if !crate::auth::guard::Rule::Administration.allows(&user) {
                return Err(AppError::Forbidden);
            }
            let state = crate::state::AppState::from_context()?;
            let scope = trash_scope(&user)?;
            // Exclusive: no upload may find a blob "already stored" that
            // is about to be removed.
            let _exclusive = state.blobs.removal_guard().await;
            let (count, unused) = super::storage::empty_trash(&state.pool, &user, scope).await?;
            state.blobs.remove_files(&unused).await;
            state.wake.index.notify_one();
            Ok(count)
        }
        .await,
    )
}

/// Re-hashes every stored file and reports missing or changed ones.
/// Only administrators responsible for all municipalities (the store is
/// shared by all), one run at a time; the check itself is audited.
#[server(prefix = "/api", endpoint = "verify_store")]
pub async fn verify_store() -> Result<StoreCheck, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::require_user()?;
            if !crate::auth::guard::Rule::AllMunicipalityAdministration.allows(&user) {
                return Err(AppError::Forbidden);
            }
            let state = crate::state::AppState::from_context()?;
            let Some(_running) = state.blobs.try_start_verification() else {
                return Err(AppError::Conflict(
                    "Eine Prüfung läuft bereits. Bitte warten Sie, bis sie abgeschlossen ist; das Ergebnis steht danach im Protokoll."
                        .into(),
                ));
            };
            let report = state.blobs.verify_all(&state.pool).await.map_err(|error| {
                tracing::error!(%error, "store verification failed");
                AppError::Internal
            })?;
            let problems: Vec<String> = report
                .problems
                .iter()
                .map(super::blobs::BlobProblem::describe)
                .collect();
            crate::audit::storage::record_alone(
                &state.pool,
                crate::audit::storage::NewEntry::by(
                    &user,
                    "blobs_verified",
                    "blobs",
                    "alle",
                    serde_json::json!({ "checked": report.checked, "problems": problems }),
                ),
            )
            .await?;
            Ok(StoreCheck {
                checked: report.checked,
                problems,
            })
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
#[server(prefix = "/api", endpoint = "document_history")]
pub async fn document_history(id: i64) -> Result<Vec<HistoryEntry>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::Clerk)?;
            if super::storage::access(&state.pool, id, user.municipality.id).await?
                != Some(super::storage::Access::Owner)
            {
                return Err(ssr::not_found());
            }
            let id = id.to_string();
            let filter = crate::audit::storage::Filter {
                object: Some(("document", id.as_str())),
                ..Default::default()
            };
            Ok(crate::audit::storage::list(&state.pool, filter, 200)
                .await?
                .into_iter()
                .map(|e| HistoryEntry {
                    at: e.at,
                    who: e.actor_name,
                    what: e.action_label,
                })
                .collect())
        }
        .await,
    )
}
