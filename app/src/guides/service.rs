//! Use cases for the library of Dienstanweisungen and Leitfäden: reading
//! for everyone signed in, writing for the project team, every write in
//! one transaction with its audit entry.

use super::storage::{self, Content};
use super::{GuideDetail, GuideDraft, Library, ValidGuide};
use crate::announcements;
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::{Role, SessionUser};
use crate::db;
use crate::documents::blobs::PendingBlob;
use crate::error::AppError;
use crate::state::AppState;
use crate::time::{display, now};

fn not_found() -> AppError {
    AppError::NotFound("Der Leitfaden".into())
}

fn guide_not_found() -> AppError {
    AppError::NotFound("Die Dienstanweisung bzw. der Leitfaden".into())
}

/// The library; guides without any version only for the project team.
pub async fn library(state: &AppState, user: &SessionUser) -> Result<Library, AppError> {
    guard::check(user, Rule::SignedIn)?;
    let may_edit = Rule::ProjectTeam.allows(user);
    Ok(Library {
        guides: storage::list(&state.pool, user.id, may_edit).await?,
        may_edit,
    })
}

/// One guide by id, or the newest one linked to `screen` (`None` when no
/// guide governs that screen yet).
pub async fn detail(
    state: &AppState,
    user: &SessionUser,
    id: Option<i64>,
    screen: Option<&str>,
) -> Result<Option<GuideDetail>, AppError> {
    guard::check(user, Rule::SignedIn)?;
    let may_edit = Rule::ProjectTeam.allows(user);
    let id = match (id, screen) {
        (Some(id), _) => id,
        (None, Some(screen)) => {
            if super::screen_label(screen).is_none() {
                return Err(AppError::NotFound("Dieser Bereich".into()));
            }
            match storage::newest_for_screen(&state.pool, screen).await? {
                Some(id) => id,
                None => return Ok(None),
            }
        }
        (None, None) => return Err(AppError::invalid("Bitte einen Leitfaden angeben.")),
    };
    let meta = storage::meta(&state.pool, id)
        .await?
        .ok_or_else(guide_not_found)?;
    let versions = storage::versions(&state.pool, id).await?;
    if versions.is_empty() && !may_edit {
        return Err(guide_not_found());
    }
    let ack_version = versions.iter().find(|v| v.requires_ack).map(|v| v.number);
    let mut my_ack = None;
    let mut ack_stats = None;
    if let Some(number) = ack_version {
        let acks = storage::acknowledgements_since(&state.pool, id, number).await?;
        my_ack = acks.get(&user.id).map(|at| display(*at));
        if may_edit {
            let names = announcements::storage::municipality_names(&state.pool).await?;
            let receipts = announcements::storage::active_people(&state.pool)
                .await?
                .into_iter()
                .map(|p| {
                    let at = acks.get(&p.id).map(|at| display(*at));
                    announcements::Receipt {
                        role: Role::parse(&p.role)
                            .map(|r| r.label().to_string())
                            .unwrap_or_default(),
                        name: p.display_name,
                        municipality_id: p.municipality_id,
                        municipality: p.municipality,
                        read_at: at.clone(),
                        acknowledged_at: at,
                    }
                })
                .collect();
            ack_stats = Some(announcements::summarize(&names, receipts).0);
        }
    }
    Ok(Some(GuideDetail {
        id,
        kind: meta.kind,
        title: meta.title,
        summary: meta.summary,
        screens: meta.screens,
        versions,
        ack_version,
        my_ack,
        may_edit,
        ack_stats,
    }))
}

fn details(guide: &ValidGuide) -> serde_json::Value {
    serde_json::json!({ "kind": guide.kind.as_str(), "title": guide.title, "screens": guide.screens })
}

/// Creates a guide (`id` None) or changes its title, kind, summary and
/// screens. Returns its id.
pub async fn save(
    state: &AppState,
    user: &SessionUser,
    id: Option<i64>,
    draft: &GuideDraft,
) -> Result<i64, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let valid = super::validate(draft)?;
    let now = now();
    let mut tx = db::begin_write(&state.pool).await?;
    let (id, action) = match id {
        Some(id) => {
            if !storage::update(&mut tx, id, &valid, now).await? {
                return Err(not_found());
            }
            (id, "guide_updated")
        }
        None => (
            storage::create(&mut tx, user.id, &valid, now).await?,
            "guide_created",
        ),
    };
    record(
        &mut tx,
        NewEntry::by(user, action, "guide", id, details(&valid)),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds the next version inside `tx` with its audit entry; `ip` overrides
/// the request's address when the caller knows it better (plain routes).
#[allow(clippy::too_many_arguments)]
async fn add_version(
    tx: &mut sqlx::SqliteConnection,
    user: &SessionUser,
    ip: Option<String>,
    guide_id: i64,
    content: Content<'_>,
    change_note: &str,
    requires_ack: bool,
) -> Result<i64, AppError> {
    let format = content.format();
    let number = storage::add_version(
        &mut *tx,
        user,
        guide_id,
        content,
        change_note,
        requires_ack,
        now(),
    )
    .await?
    .ok_or_else(not_found)?;
    let mut entry = NewEntry::by(
        user,
        "guide_version_published",
        "guide",
        guide_id,
        serde_json::json!({ "version": number, "format": format, "requires_ack": requires_ack, "note": change_note }),
    );
    entry.ip = ip.or(entry.ip);
    record(tx, entry).await?;
    Ok(number)
}

/// A new version written in Markdown. Returns its number.
pub async fn add_text(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    body: &str,
    change_note: &str,
    requires_ack: bool,
) -> Result<i64, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::invalid(
            "Bitte schreiben Sie den Text der neuen Version.",
        ));
    }
    crate::markdown::check_length(body, "Der Text")?;
    let note = super::validate_note(change_note)?;
    let mut tx = db::begin_write(&state.pool).await?;
    let number = add_version(
        &mut tx,
        user,
        None,
        id,
        Content::Markdown(body),
        &note,
        requires_ack,
    )
    .await?;
    tx.commit().await?;
    Ok(number)
}

/// Before a PDF is received: may `user` add a version to `guide_id`, and
/// is the change note acceptable? Returns the checked note.
pub async fn check_pdf_upload(
    state: &AppState,
    user: &SessionUser,
    guide_id: i64,
    change_note: &str,
) -> Result<String, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let note = super::validate_note(change_note)?;
    storage::meta(&state.pool, guide_id)
        .await?
        .ok_or_else(not_found)?;
    Ok(note)
}

/// A received and checked PDF becomes the guide's next version: the file
/// goes into the store, then the version and its audit entry in one
/// transaction. Returns the version's number.
#[allow(clippy::too_many_arguments)]
pub async fn add_pdf(
    state: &AppState,
    user: &SessionUser,
    ip: Option<String>,
    guide_id: i64,
    pending: PendingBlob,
    file_name: &str,
    change_note: &str,
    requires_ack: bool,
) -> Result<i64, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let sha256 = pending.sha256.clone();
    let size = pending.size;
    // Held until the version refers to the file, so that no clean-up can
    // take it away in between.
    let _shared = state.blobs.upload_guard().await;
    state.blobs.commit(pending).await.map_err(|error| {
        tracing::error!(%error, "guide pdf could not be stored");
        AppError::Internal
    })?;
    let mut tx = db::begin_write(&state.pool).await?;
    let number = add_version(
        &mut tx,
        user,
        ip,
        guide_id,
        Content::Pdf {
            sha256: &sha256,
            size,
            file_name,
        },
        change_note,
        requires_ack,
    )
    .await?;
    tx.commit().await?;
    Ok(number)
}

/// A PDF version's file for everyone signed in: (sha256, file name, size).
pub async fn pdf_file(
    state: &AppState,
    user: &SessionUser,
    version_id: i64,
) -> Result<(String, String, i64), AppError> {
    guard::check(user, Rule::SignedIn)?;
    storage::version_file(&state.pool, version_id)
        .await?
        .ok_or_else(|| AppError::NotFound("Die Datei".into()))
}

/// „Gelesen und zur Kenntnis genommen“ for the newest version.
pub async fn acknowledge(
    state: &AppState,
    user: &SessionUser,
    id: i64,
) -> Result<String, AppError> {
    guard::check(user, Rule::SignedIn)?;
    let versions = storage::versions(&state.pool, id).await?;
    let newest = versions.first().ok_or_else(guide_not_found)?;
    if !versions.iter().any(|v| v.requires_ack) {
        return Err(AppError::invalid(
            "Für dieses Dokument ist keine Kenntnisnahme erforderlich.",
        ));
    }
    let now = now();
    let mut tx = db::begin_write(&state.pool).await?;
    storage::acknowledge(&mut tx, user.id, newest.id, now).await?;
    tx.commit().await?;
    Ok(display(now))
}

pub async fn delete(state: &AppState, user: &SessionUser, id: i64) -> Result<(), AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let mut tx = db::begin_write(&state.pool).await?;
    let title = storage::delete(&mut tx, id).await?.ok_or_else(not_found)?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "guide_deleted",
            "guide",
            id,
            serde_json::json!({ "title": title }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
