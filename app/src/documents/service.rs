//! The use cases of documents. Each checks who may, opens the write
//! transaction, calls [`super::storage`], writes the audit entry and
//! commits; server functions and the HTTP handlers only extract the request,
//! call one of these and map the answer.
//!
//! Uploads come in two steps because the body streams in between:
//! [`upload_target`] refuses before a byte is read, [`upload`] decides the
//! type, applies the duplicate policy and stores the file as a new document
//! or a new version.

use super::blobs::{BlobError, PendingBlob, Step};
use super::filetype::{self, FileKind, ZipLimits};
use super::server_fns::{HistoryEntry, StoreCheck, TrashEntry};
use super::storage::{self, Access, NewDocument, StoredFile, VersionFile};
use super::{
    filename, DocType, DocumentDetail, DocumentSummary, FilingTarget, MetadataForm, UploadAnswer,
    UploadRefusal,
};
use crate::akten::AkteStatus;
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::rollout_days::{self, Subjects};
use crate::state::AppState;
use sqlx::SqliteConnection;

/// Unknown and foreign documents answer alike.
pub fn not_found() -> AppError {
    AppError::NotFound("Das Dokument".into())
}

fn entry(
    user: &SessionUser,
    ip: Option<String>,
    action: &'static str,
    document_id: i64,
    details: serde_json::Value,
) -> NewEntry {
    NewEntry {
        ip,
        ..NewEntry::by(user, action, "document", document_id, details)
    }
}

/// The configured largest file, for the upload hint.
pub fn upload_limit_mb(state: &AppState, user: &SessionUser) -> Result<u64, AppError> {
    // Settings are no secret, but every endpoint answers only to a
    // signed-in person (the permission matrix holds all to that).
    guard::check(user, Rule::SignedIn)?;
    Ok(state.settings.max_upload_bytes / (1024 * 1024))
}

/// The Posteingang: own documents not yet filed.
pub async fn inbox(state: &AppState, user: &SessionUser) -> Result<Vec<DocumentSummary>, AppError> {
    guard::check(user, Rule::Clerk)?;
    Ok(storage::inbox(&state.pool, user.municipality.id).await?)
}

/// Documents filed in an Akte the user's municipality owns or shares.
pub async fn akte_documents(
    state: &AppState,
    user: &SessionUser,
    akte_id: i64,
) -> Result<Vec<DocumentSummary>, AppError> {
    guard::check(user, Rule::Clerk)?;
    if crate::akten::storage::get_visible(&state.pool, akte_id, user.municipality.id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound("Die Akte".into()));
    }
    Ok(storage::in_akte(&state.pool, akte_id).await?)
}

/// Documents filed in a Vorgang whose Akte the user's municipality owns
/// or shares.
pub async fn vorgang_documents(
    state: &AppState,
    user: &SessionUser,
    vorgang_id: i64,
) -> Result<Vec<DocumentSummary>, AppError> {
    guard::check(user, Rule::Clerk)?;
    if crate::vorgaenge::storage::get_visible(&state.pool, vorgang_id, user.municipality.id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound("Der Vorgang".into()));
    }
    Ok(storage::in_vorgang(&state.pool, vorgang_id).await?)
}

/// A document with its versions.
pub async fn detail(
    state: &AppState,
    user: &SessionUser,
    document_id: i64,
) -> Result<DocumentDetail, AppError> {
    guard::check(user, Rule::Clerk)?;
    storage::detail(&state.pool, document_id, user.municipality.id)
        .await?
        .ok_or_else(not_found)
}

/// Whether the municipality may read the document and whether it owns it;
/// for other features' use cases (processing), which answer like this one.
pub async fn access(
    state: &AppState,
    user: &SessionUser,
    document_id: i64,
) -> Result<Access, AppError> {
    guard::check(user, Rule::Clerk)?;
    storage::access(&state.pool, document_id, user.municipality.id)
        .await?
        .ok_or_else(not_found)
}

/// Saves the metadata of an own document.
pub async fn save_metadata(
    state: &AppState,
    user: &SessionUser,
    document_id: i64,
    meta: &MetadataForm,
) -> Result<(), AppError> {
    guard::check(user, Rule::Clerk)?;
    let clean = super::validate_metadata(meta).map_err(AppError::Invalid)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    if storage::access(&mut *tx, document_id, user.municipality.id).await? != Some(Access::Owner) {
        return Err(not_found());
    }
    storage::update_metadata(&mut tx, document_id, &clean, crate::time::now()).await?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "document_metadata_changed",
            "document",
            document_id,
            serde_json::json!({
                "title": clean.title, "doc_type": clean.doc_type.as_str(), "document_date": clean.document_date,
                "correspondent": clean.correspondent, "tags": clean.tags,
            }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One step of a bulk action on own documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BulkAction {
    /// Into an open Akte the user's municipality owns or shares,
    /// directly (out of any Vorgang it was in).
    File {
        akte_id: i64,
    },
    /// Into a Vorgang, not zdA, of such an Akte.
    FileIntoVorgang {
        vorgang_id: i64,
    },
    AddTag(String),
    SetType(DocType),
    Trash,
    Untrash,
}

impl BulkAction {
    /// The action as the lists send it: `file` (`value` = Akte id),
    /// `file_vorgang` (`value` = Vorgang id), `tag`, `type`, `trash` or
    /// `untrash`.
    pub fn parse(action: &str, value: &str) -> Result<BulkAction, AppError> {
        Ok(match action {
            "file" => BulkAction::File {
                akte_id: value
                    .trim()
                    .parse()
                    .map_err(|_| AppError::invalid("Bitte wählen Sie eine Akte aus."))?,
            },
            "file_vorgang" => BulkAction::FileIntoVorgang {
                vorgang_id: value
                    .trim()
                    .parse()
                    .map_err(|_| AppError::invalid("Bitte wählen Sie einen Vorgang aus."))?,
            },
            "tag" => {
                let tags = super::parse_tags(value).map_err(AppError::Invalid)?;
                let [tag] = tags.as_slice() else {
                    return Err(AppError::invalid(
                        "Bitte geben Sie genau ein Schlagwort an.",
                    ));
                };
                BulkAction::AddTag(tag.clone())
            }
            "type" => BulkAction::SetType(DocType::parse(value.trim()).ok_or_else(|| {
                AppError::invalid("Bitte wählen Sie eine Dokumentart aus der Liste.")
            })?),
            "trash" => BulkAction::Trash,
            "untrash" => BulkAction::Untrash,
            _ => return Err(AppError::invalid("Diese Aktion gibt es nicht.")),
        })
    }
}

/// Applies one action to several own documents, all or nothing; any id
/// the user may not change refuses the whole set. Returns how many changed.
pub async fn bulk(
    state: &AppState,
    user: &SessionUser,
    document_ids: &[i64],
    action: &BulkAction,
) -> Result<usize, AppError> {
    guard::check(user, Rule::Clerk)?;
    if document_ids.is_empty() {
        return Err(AppError::invalid(
            "Bitte wählen Sie mindestens ein Dokument aus.",
        ));
    }
    if document_ids.len() > 500 {
        return Err(AppError::invalid(
            "Bitte höchstens 500 Dokumente auf einmal.",
        ));
    }
    let municipality = user.municipality.id;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let now = crate::time::now();
    // Where filing puts the documents: Akte and Vorgang.
    let filing = match action {
        BulkAction::File { akte_id } => {
            match crate::akten::storage::status_in(&mut tx, *akte_id, municipality).await? {
                None => return Err(AppError::NotFound("Die Akte".into())),
                Some(AkteStatus::Open) => Some((*akte_id, None)),
                Some(_) => {
                    return Err(AppError::Conflict(
                        "Die Akte ist geschlossen (zdA). In geschlossene Akten kann nichts mehr abgelegt werden.".into(),
                    ))
                }
            }
        }
        BulkAction::FileIntoVorgang { vorgang_id } => {
            match crate::vorgaenge::storage::filing_akte(&mut tx, *vorgang_id, municipality).await? {
                None => return Err(AppError::NotFound("Der Vorgang".into())),
                Some((akte_id, true)) => Some((akte_id, Some(*vorgang_id))),
                Some((_, false)) => {
                    return Err(AppError::Conflict(
                        "Der Vorgang oder seine Akte ist zu den Akten verfügt. Dort kann nichts mehr abgelegt werden.".into(),
                    ))
                }
            }
        }
        _ => None,
    };
    // Filing, trash and restore change what the documents count for the
    // rollout figures (first filing, time in the Posteingang).
    let rollout = match action {
        BulkAction::File { .. }
        | BulkAction::FileIntoVorgang { .. }
        | BulkAction::Trash
        | BulkAction::Untrash => {
            Some(rollout_days::before(&mut tx, Subjects::Documents(document_ids.to_vec())).await?)
        }
        BulkAction::AddTag(_) | BulkAction::SetType(_) => None,
    };
    let mut changed = 0;
    for &id in document_ids {
        let Some(trashed) = storage::own_trashed_at(&mut tx, id, municipality).await? else {
            return Err(not_found());
        };
        let (audit_action, details) = match action {
            BulkAction::File { .. } | BulkAction::FileIntoVorgang { .. } => {
                let Some((akte_id, vorgang_id)) = filing else {
                    continue;
                };
                if storage::in_closed_record(&mut tx, id).await? {
                    return Err(AppError::Conflict(
                        "Ein Dokument liegt in einer geschlossenen Akte oder einem Vorgang, der zu den Akten verfügt ist; es bleibt dort. Es wurde nichts umgelegt.".into(),
                    ));
                }
                storage::file_into(&mut tx, id, akte_id, vorgang_id, now).await?;
                (
                    "document_filed",
                    serde_json::json!({ "akte_id": akte_id, "vorgang_id": vorgang_id }),
                )
            }
            BulkAction::AddTag(tag) => {
                storage::add_tag(&mut tx, id, tag).await?;
                ("document_tagged", serde_json::json!({ "tag": tag }))
            }
            BulkAction::SetType(doc_type) => {
                storage::set_type(&mut tx, id, *doc_type, now).await?;
                (
                    "document_metadata_changed",
                    serde_json::json!({ "doc_type": doc_type.as_str() }),
                )
            }
            BulkAction::Trash => {
                if trashed.is_some() {
                    continue;
                }
                storage::trash_one(&mut tx, id, user.id, now).await?;
                ("document_trashed", serde_json::json!({}))
            }
            BulkAction::Untrash => {
                if trashed.is_none() {
                    continue;
                }
                storage::untrash_one(&mut tx, id, now).await?;
                ("document_restored", serde_json::json!({}))
            }
        };
        record(
            &mut tx,
            NewEntry::by(user, audit_action, "document", id, details),
        )
        .await?;
        changed += 1;
    }
    if let Some(rollout) = rollout {
        rollout.settle(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// Makes an old version the newest again, as a new version; returns its
/// number.
pub async fn restore_version(
    state: &AppState,
    user: &SessionUser,
    document_id: i64,
    number: i64,
) -> Result<i64, AppError> {
    guard::check(user, Rule::Clerk)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    if storage::access(&mut *tx, document_id, user.municipality.id).await? != Some(Access::Owner) {
        return Err(not_found());
    }
    let Some((sha256, size, kind, file_name)) =
        storage::version_row(&mut tx, document_id, number).await?
    else {
        return Err(not_found());
    };
    let Some(kind) = FileKind::parse(&kind) else {
        return Err(not_found());
    };
    let now = crate::time::now();
    let file = StoredFile {
        sha256: &sha256,
        size: u64::try_from(size).unwrap_or(0),
        kind,
        file_name: &file_name,
    };
    let version = storage::insert_next_version(
        &mut tx,
        document_id,
        &file,
        user.id,
        &format!("Wiederhergestellt aus Version {number}"),
        now,
    )
    .await?;
    crate::processing::storage::enqueue(&mut tx, version.version_id, now).await?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "document_version_restored",
            "document",
            document_id,
            serde_json::json!({ "from_version": number, "new_version": version.number }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(version.number)
}

/// Open Akten and their Vorgänge to file into, found by Aktenzeichen,
/// Zeichen or title: the Akten first, then the Vorgänge.
pub async fn find_filing_targets(
    state: &AppState,
    user: &SessionUser,
    query: &str,
) -> Result<Vec<FilingTarget>, AppError> {
    guard::check(user, Rule::Clerk)?;
    let query = query.trim();
    let akten =
        crate::akten::storage::find_open(&state.pool, user.municipality.id, query, 20).await?;
    let vorgaenge =
        crate::vorgaenge::storage::find_for_filing(&state.pool, user.municipality.id, query, 20)
            .await?;
    Ok(akten
        .into_iter()
        .map(|akte| FilingTarget {
            akte,
            vorgang: None,
        })
        .chain(vorgaenge.into_iter().map(|(akte, vorgang)| FilingTarget {
            akte,
            vorgang: Some(vorgang),
        }))
        .collect())
}

/// Whose trash the user sees: clerks their municipality's, administrators
/// (who empty it) theirs or, responsible for all, every real one (`None`).
fn trash_scope(user: &SessionUser) -> Result<Option<i64>, AppError> {
    if Rule::Clerk.allows(user) {
        Ok(Some(user.municipality.id))
    } else if Rule::Administration.allows(user) {
        Ok((!user.all_municipalities).then_some(user.municipality.id))
    } else {
        Err(AppError::Forbidden)
    }
}

/// The trash list.
pub async fn trash(state: &AppState, user: &SessionUser) -> Result<Vec<TrashEntry>, AppError> {
    guard::check(user, Rule::SignedIn)?;
    let scope = trash_scope(user)?;
    Ok(storage::trash(&state.pool, scope)
        .await?
        .into_iter()
        .map(|(document, trashed)| TrashEntry { document, trashed })
        .collect())
}

/// Destroys everything in the trash for good (administration). Blobs
/// nothing else uses are removed from the database in the transaction and
/// from disk after it. Returns how many documents went.
pub async fn empty_trash(state: &AppState, user: &SessionUser) -> Result<usize, AppError> {
    guard::check(user, Rule::Administration)?;
    let scope = trash_scope(user)?;
    // Exclusive: no upload may find a blob "already stored" that is about
    // to be removed.
    let _exclusive = state.blobs.removal_guard().await;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let ids = storage::trashed_ids(&mut tx, scope).await?;
    // Destroyed documents take their time in the Posteingang and their
    // pages out of the rollout figures; their upload and filing stay.
    let rollout = rollout_days::before(&mut tx, Subjects::Documents(ids.clone())).await?;
    let used = storage::destroy(&mut tx, &ids).await?;
    let unused = storage::release_unused_blobs(&mut tx, used).await?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "trash_emptied",
            "document",
            "papierkorb",
            serde_json::json!({ "documents": ids, "municipality_id": scope }),
        ),
    )
    .await?;
    rollout.settle(&mut tx).await?;
    tx.commit().await?;
    state.blobs.remove_files(&unused).await;
    state.wake.index.notify_one();
    Ok(ids.len())
}

/// Re-hashes every stored file and reports missing or changed ones. Only
/// administrators responsible for all municipalities (the store is shared
/// by all), one run at a time; the check itself is audited.
pub async fn verify_store(state: &AppState, user: &SessionUser) -> Result<StoreCheck, AppError> {
    guard::check(user, Rule::AllMunicipalityAdministration)?;
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
    crate::audit::service::record_alone(
        &state.pool,
        NewEntry::by(
            user,
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

/// Who did what with a document, newest first (the owning municipality
/// only; addresses stay in the administrators' log).
pub async fn history(
    state: &AppState,
    user: &SessionUser,
    document_id: i64,
) -> Result<Vec<HistoryEntry>, AppError> {
    guard::check(user, Rule::Clerk)?;
    if storage::access(&state.pool, document_id, user.municipality.id).await? != Some(Access::Owner)
    {
        return Err(not_found());
    }
    let id = document_id.to_string();
    let filter = crate::audit::storage::Filter {
        object: Some(("document", id.as_str())),
        ..Default::default()
    };
    Ok(crate::audit::service::page(&state.pool, filter, 200)
        .await?
        .into_iter()
        .map(|e| HistoryEntry {
            at: e.at,
            who: e.actor_name,
            what: e.action_label,
        })
        .collect())
}

/// A new document with its first version, queued for processing and
/// audited, in the caller's transaction (uploads, and practice areas
/// filling their template). Returns the document's id.
pub async fn create_in(
    conn: &mut SqliteConnection,
    new: NewDocument<'_>,
) -> Result<i64, sqlx::Error> {
    let now = crate::time::now();
    let version = storage::insert_document(conn, &new, now).await?;
    // Text extraction and thumbnails run later, from this job.
    crate::processing::storage::enqueue(conn, version.version_id, now).await?;
    record(
        conn,
        entry(
            new.user,
            new.ip,
            "document_uploaded",
            version.document_id,
            serde_json::json!({
                "title": new.title, "file_name": new.file.file_name, "sha256": new.file.sha256,
                "size": new.file.size, "kind": new.file.kind.as_str(), "akte_id": new.akte_id,
                "vorgang_id": new.vorgang_id,
            }),
        ),
    )
    .await?;
    // Its upload (and filing, straight into an Akte) for the rollout
    // figures, read from the entry just written.
    rollout_days::new_subjects(Subjects::Documents(vec![version.document_id]))
        .settle(conn)
        .await?;
    Ok(version.document_id)
}

/// A new version of a document, queued and audited in the caller's
/// transaction; returns its number.
async fn add_version_in(
    conn: &mut SqliteConnection,
    user: &SessionUser,
    ip: Option<String>,
    document_id: i64,
    file: StoredFile<'_>,
) -> Result<i64, sqlx::Error> {
    let now = crate::time::now();
    let version = storage::insert_next_version(conn, document_id, &file, user.id, "", now).await?;
    crate::processing::storage::enqueue(conn, version.version_id, now).await?;
    record(
        conn,
        entry(
            user,
            ip,
            "document_version_added",
            document_id,
            serde_json::json!({
                "version": version.number, "file_name": file.file_name, "sha256": file.sha256, "size": file.size,
            }),
        ),
    )
    .await?;
    Ok(version.number)
}

/// Where an upload goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Inbox,
    /// Into an Akte, directly or into one of its Vorgänge.
    Akte {
        akte: i64,
        vorgang: Option<i64>,
    },
    NewVersion(i64),
}

/// Why an upload was refused; every message is a German sentence for the
/// clerk, the [`UploadError::code`] is for the browser's upload list.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error(transparent)]
    Refused(AppError),
    #[error("Bitte nur eines angeben: eine Akte, einen Vorgang oder ein Dokument.")]
    AkteAndDocument,
    #[error("Die Akte wurde nicht gefunden.")]
    UnknownAkte,
    #[error("Der Vorgang wurde nicht gefunden.")]
    UnknownVorgang,
    #[error("Der Vorgang ist zu den Akten verfügt (zdA). In ihn kann nichts mehr abgelegt werden; die Datei wurde nicht gespeichert.")]
    VorgangClosed,
    #[error("Das Dokument wurde nicht gefunden.")]
    UnknownDocument,
    #[error("Dieses Dokument gehört einer anderen Gemeinde; neue Versionen legt nur sie an.")]
    ForeignDocument,
    #[error("Die Akte ist geschlossen (zdA). In geschlossene Akten kann nichts mehr abgelegt werden; die Datei wurde nicht gespeichert.")]
    AkteClosed,
    #[error("Die Akte ist für Ihre Gemeinde nicht mehr zugänglich; die Freigabe wurde während des Hochladens aufgehoben. Die Datei wurde nicht gespeichert.")]
    AkteUnavailable,
    /// The content check's own message.
    #[error("{0}")]
    TypeRefused(String),
    /// Content the municipality already holds; only its own documents are
    /// ever named, so nothing reveals what other municipalities store.
    #[error("„{name}“ ist bereits als „{title}“ abgelegt. Die Datei wurde kein zweites Mal gespeichert.")]
    Duplicate {
        name: String,
        existing_id: i64,
        title: String,
    },
    #[error("Die Datei konnte nicht gespeichert werden. Es wurde nichts abgelegt; bitte versuchen Sie es erneut.")]
    Internal,
}

impl From<sqlx::Error> for UploadError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "upload could not be stored");
        UploadError::Internal
    }
}

impl UploadError {
    /// The stable code of [`UploadRefusal::code`].
    pub fn code(&self) -> &'static str {
        match self {
            UploadError::Refused(AppError::NotLoggedIn) => "not_logged_in",
            UploadError::Refused(AppError::PasswordChangeRequired) => "password_change_required",
            UploadError::Refused(_) | UploadError::ForeignDocument => "forbidden",
            UploadError::AkteAndDocument => "invalid",
            UploadError::UnknownAkte
            | UploadError::UnknownVorgang
            | UploadError::UnknownDocument => "not_found",
            UploadError::AkteClosed => "akte_closed",
            UploadError::VorgangClosed => "vorgang_closed",
            UploadError::AkteUnavailable => "akte_unavailable",
            UploadError::TypeRefused(_) => "type_refused",
            UploadError::Duplicate { .. } => "duplicate",
            UploadError::Internal => "internal",
        }
    }

    /// The HTTP status the upload answers with.
    pub fn status_code(&self) -> u16 {
        match self {
            UploadError::Refused(error) => error.status_code(),
            UploadError::AkteAndDocument => 400,
            UploadError::ForeignDocument => 403,
            UploadError::UnknownAkte
            | UploadError::UnknownVorgang
            | UploadError::UnknownDocument => 404,
            UploadError::AkteClosed
            | UploadError::VorgangClosed
            | UploadError::AkteUnavailable
            | UploadError::Duplicate { .. } => 409,
            UploadError::TypeRefused(_) => 415,
            UploadError::Internal => 500,
        }
    }

    /// The JSON body of the refusal.
    pub fn refusal(&self) -> UploadRefusal {
        UploadRefusal {
            code: self.code().into(),
            message: self.to_string(),
            existing_id: match self {
                UploadError::Duplicate { existing_id, .. } => Some(*existing_id),
                _ => None,
            },
        }
    }
}

/// Where an upload asked for by `akte` / `vorgang` / `dokument` goes
/// (at most one of them), refused before its body is read when it cannot
/// go there.
pub async fn upload_target(
    state: &AppState,
    user: &SessionUser,
    akte: Option<i64>,
    vorgang: Option<i64>,
    dokument: Option<i64>,
) -> Result<Target, UploadError> {
    guard::check(user, Rule::Clerk).map_err(UploadError::Refused)?;
    let municipality = user.municipality.id;
    match (akte, vorgang, dokument) {
        (None, None, None) => Ok(Target::Inbox),
        (Some(akte_id), None, None) => {
            match crate::akten::storage::get_visible(&state.pool, akte_id, municipality).await? {
                Some((akte, _)) if akte.status == AkteStatus::Open => Ok(Target::Akte {
                    akte: akte_id,
                    vorgang: None,
                }),
                Some(_) => Err(UploadError::AkteClosed),
                None => Err(UploadError::UnknownAkte),
            }
        }
        (None, Some(vorgang_id), None) => {
            let mut conn = state.pool.acquire().await?;
            match crate::vorgaenge::storage::filing_akte(&mut conn, vorgang_id, municipality)
                .await?
            {
                Some((akte, true)) => Ok(Target::Akte {
                    akte,
                    vorgang: Some(vorgang_id),
                }),
                Some((_, false)) => Err(UploadError::VorgangClosed),
                None => Err(UploadError::UnknownVorgang),
            }
        }
        (None, None, Some(document_id)) => {
            match storage::access(&state.pool, document_id, municipality).await? {
                Some(Access::Owner) => Ok(Target::NewVersion(document_id)),
                Some(Access::Shared) => Err(UploadError::ForeignDocument),
                None => Err(UploadError::UnknownDocument),
            }
        }
        _ => Err(UploadError::AkteAndDocument),
    }
}

/// Decides the type from the content, off the async threads (zip
/// directories and whole text files are read); the error is the German
/// refusal.
pub async fn inspect(pending: &PendingBlob, name: &str) -> Result<FileKind, String> {
    let path = pending.temp_path().to_path_buf();
    let name = name.to_string();
    match tokio::task::spawn_blocking(move || {
        filetype::inspect(&path, &name, &ZipLimits::default())
    })
    .await
    {
        Ok(Ok(kind)) => Ok(kind),
        Ok(Err(error)) => Err(error.to_string()),
        Err(error) => {
            tracing::error!(%error, "file type check panicked");
            Err("Die Datei konnte nicht geprüft werden und wurde nicht gespeichert.".into())
        }
    }
}

/// Stores a received file at `target` under the (cleaned) `name`: checks
/// its type, refuses content the municipality already holds (except as a
/// new version), and writes document or version, job and audit entry in
/// one transaction after the file sits at its content address.
/// `arrived_via` names how a new document came when not through the
/// person's browser („Scan-Ordner „Poststelle““).
pub async fn upload(
    state: &AppState,
    user: &SessionUser,
    ip: Option<String>,
    target: Target,
    (name, arrived_via): (&str, Option<&str>),
    pending: PendingBlob,
) -> Result<UploadAnswer, UploadError> {
    if let Err(error) = guard::check(user, Rule::Clerk) {
        pending.discard().await;
        return Err(UploadError::Refused(error));
    }
    let kind = match inspect(&pending, name).await {
        Ok(kind) => kind,
        Err(message) => {
            pending.discard().await;
            return Err(UploadError::TypeRefused(message));
        }
    };
    // A cheap early answer; `store` checks again inside its transaction,
    // where concurrent uploads of the same content are serialised.
    if !matches!(target, Target::NewVersion(_)) {
        match storage::find_duplicate(&state.pool, user.municipality.id, &pending.sha256).await {
            Ok(Some((existing_id, title))) => {
                pending.discard().await;
                return Err(UploadError::Duplicate {
                    name: name.to_string(),
                    existing_id,
                    title,
                });
            }
            Ok(None) => {}
            Err(error) => {
                pending.discard().await;
                return Err(error.into());
            }
        }
    }
    // On a refusal after the commit of the file, the file already sits at
    // its content address without a row; the orphan sweep at the next
    // start removes it (it may also belong to another document, so it is
    // not deleted here).
    match store(state, user, ip, target, (name, arrived_via), kind, pending).await {
        Ok(answer) => {
            // The new version's extraction job is waiting: start it now.
            state.wake.jobs.notify_one();
            Ok(answer)
        }
        Err(StoreError::Refused(refusal)) => Err(refusal),
        Err(StoreError::Blob(BlobError::Injected(step))) => {
            tracing::warn!(?step, "upload stopped by an injected failure");
            Err(UploadError::Internal)
        }
        Err(StoreError::Blob(error)) => {
            tracing::error!(%error, "upload could not be stored");
            Err(UploadError::Internal)
        }
        Err(StoreError::Database(error)) => Err(error.into()),
    }
}

#[derive(Debug)]
enum StoreError {
    Refused(UploadError),
    Blob(BlobError),
    Database(sqlx::Error),
}

impl From<BlobError> for StoreError {
    fn from(error: BlobError) -> Self {
        StoreError::Blob(error)
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        StoreError::Database(error)
    }
}

async fn store(
    state: &AppState,
    user: &SessionUser,
    ip: Option<String>,
    target: Target,
    (name, arrived_via): (&str, Option<&str>),
    kind: FileKind,
    pending: PendingBlob,
) -> Result<UploadAnswer, StoreError> {
    let sha256 = pending.sha256.clone();
    let size = pending.size;
    let _shared = state.blobs.upload_guard().await;
    state.blobs.commit(pending).await?;
    let file = StoredFile {
        sha256: &sha256,
        size,
        kind,
        file_name: name,
    };
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let answer = match target {
        Target::Inbox | Target::Akte { .. } => {
            // Checked before the upload; checked again here, inside the
            // write transaction, since the Akte may have been closed or
            // unshared (or the Vorgang closed) while the file was arriving.
            // Nothing is written then.
            let (akte_id, vorgang_id) = match target {
                Target::Akte { akte, vorgang } => (Some(akte), vorgang),
                _ => (None, None),
            };
            if let Some(akte_id) = akte_id {
                match crate::akten::storage::status_in(&mut tx, akte_id, user.municipality.id)
                    .await?
                {
                    Some(AkteStatus::Open) => {}
                    Some(_) => return Err(StoreError::Refused(UploadError::AkteClosed)),
                    None => return Err(StoreError::Refused(UploadError::AkteUnavailable)),
                }
            }
            if let Some(vorgang_id) = vorgang_id {
                match crate::vorgaenge::storage::filing_akte(
                    &mut tx,
                    vorgang_id,
                    user.municipality.id,
                )
                .await?
                {
                    Some((akte, true)) if Some(akte) == akte_id => {}
                    Some(_) => return Err(StoreError::Refused(UploadError::VorgangClosed)),
                    None => return Err(StoreError::Refused(UploadError::AkteUnavailable)),
                }
            }
            if let Some((existing_id, title)) =
                storage::find_duplicate(&mut *tx, user.municipality.id, &sha256).await?
            {
                return Err(StoreError::Refused(UploadError::Duplicate {
                    name: name.to_string(),
                    existing_id,
                    title,
                }));
            }
            let title = filename::title_from_file_name(name);
            let id = create_in(
                &mut tx,
                NewDocument {
                    user,
                    ip,
                    akte_id,
                    vorgang_id,
                    title: &title,
                    file,
                    arrived_via,
                },
            )
            .await?;
            UploadAnswer {
                id,
                title,
                version: 1,
            }
        }
        Target::NewVersion(id) => {
            // Checked before the upload; checked again inside the
            // transaction, since it may have been trashed meanwhile.
            if storage::access(&mut *tx, id, user.municipality.id).await? != Some(Access::Owner) {
                return Err(StoreError::Refused(UploadError::UnknownDocument));
            }
            let version = add_version_in(&mut tx, user, ip, id, file).await?;
            let title = storage::title(&mut tx, id).await?;
            UploadAnswer { id, title, version }
        }
    };
    tx.commit().await?;
    state.blobs.checkpoint(Step::Committed)?;
    Ok(answer)
}

/// How a file is read: shown in the browser or saved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    View,
    Download,
}

/// The requested version's file (the newest for `None`), if the user's
/// municipality may read the document; downloads and previews check
/// exactly the same.
pub async fn readable_version(
    state: &AppState,
    user: &SessionUser,
    document_id: i64,
    version: Option<i64>,
) -> Result<VersionFile, AppError> {
    guard::check(user, Rule::Clerk)?;
    storage::version_file(&state.pool, document_id, version, user.municipality.id)
        .await?
        .ok_or_else(not_found)
}

/// Records a view or download in the audit trail: access that cannot be
/// audited does not happen, so the caller sends nothing on an error.
pub async fn record_reading(
    state: &AppState,
    user: &SessionUser,
    ip: Option<String>,
    reading: Reading,
    document_id: i64,
    version: Option<i64>,
) -> Result<(), AppError> {
    let action = match reading {
        Reading::View => "document_viewed",
        Reading::Download => "document_downloaded",
    };
    let mut tx = crate::db::begin_write(&state.pool).await?;
    record(
        &mut tx,
        entry(
            user,
            ip,
            action,
            document_id,
            serde_json::json!({ "version": version }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
