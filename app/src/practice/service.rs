//! Use cases of practice mode: entering (the area is made from the
//! template on first use), leaving, the one-click reset and the overview.
//! Each acts on the caller's own area only; there is no id to pass.

use super::template::{self, TemplateDocument};
use super::{storage, PracticeOverview};
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::documents::blobs::BlobError;
use crate::error::AppError;
use crate::municipalities::Municipality;
use crate::state::AppState;

/// A real audit entry about the user (not about practice records), so it
/// goes under their real municipality.
fn entry(user: &SessionUser, action: &'static str, details: serde_json::Value) -> NewEntry {
    NewEntry {
        municipality_id: Some(user.home_municipality().id),
        ..NewEntry::by(user, action, "practice", user.id, details)
    }
}

fn blob_failed(error: BlobError) -> sqlx::Error {
    sqlx::Error::Io(std::io::Error::other(error.to_string()))
}

/// The template's files in the blob store, written before any row refers
/// to them (the store keeps identical content once).
async fn store_template_files(
    state: &AppState,
    documents: &[TemplateDocument],
) -> Result<Vec<String>, sqlx::Error> {
    let mut hashes = Vec::with_capacity(documents.len());
    for document in documents {
        let mut writer = state
            .blobs
            .create(document.bytes.len() as u64)
            .await
            .map_err(blob_failed)?;
        writer.write(&document.bytes).await.map_err(blob_failed)?;
        let pending = writer.finish().await.map_err(blob_failed)?;
        let sha256 = pending.sha256.clone();
        state.blobs.commit(pending).await.map_err(blob_failed)?;
        hashes.push(sha256);
    }
    Ok(hashes)
}

/// New work for the extraction and the index: the template's documents.
fn wake_workers(state: &AppState) {
    state.wake.jobs.notify_one();
    state.wake.index.notify_one();
}

/// The session user as they work inside their practice area, which is
/// created from the template on first use. Called by the session layer
/// (through `auth::hooks`) for everyone in practice mode.
pub async fn inside_area(state: &AppState, user: SessionUser) -> Result<SessionUser, sqlx::Error> {
    let area = match storage::find_area(&state.pool, user.id).await? {
        Some(area) => area,
        None => create_area(state, &user).await?,
    };
    Ok(storage::practising(user, area))
}

async fn create_area(state: &AppState, user: &SessionUser) -> Result<Municipality, sqlx::Error> {
    let documents = template::documents();
    let _shared = state.blobs.upload_guard().await;
    let hashes = store_template_files(state, &documents).await?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    // Two first requests at once: the second finds the area the first made.
    if let Some(area) = storage::find_area(&mut *tx, user.id).await? {
        return Ok(area);
    }
    let area = storage::insert_area(&mut tx, user).await?;
    let owner = storage::practising(user.clone(), area.clone());
    storage::fill(&mut tx, &state.plan.snapshot(), &owner, &documents, &hashes).await?;
    tx.commit().await?;
    wake_workers(state);
    tracing::info!(
        user_id = user.id,
        area_id = area.id,
        "practice area created"
    );
    Ok(area)
}

/// What the caller's area holds and what a fresh one would.
pub async fn overview(state: &AppState, user: &SessionUser) -> Result<PracticeOverview, AppError> {
    guard::check(user, Rule::SignedIn)?;
    let area = storage::find_area(&state.pool, user.id).await?;
    let (akten, documents, inbox) = match &area {
        Some(area) => storage::counts(&state.pool, area.id).await?,
        None => (0, 0, 0),
    };
    let template = template::documents();
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    Ok(PracticeOverview {
        active: user.in_practice(),
        may_switch: Rule::LeavePractice.allows(user),
        area_name: area.map(|a| a.name),
        akten,
        documents,
        inbox,
        template_akten: count(template::akten().len()),
        template_documents: count(template.len()),
        template_inbox: count(template.iter().filter(|d| d.akte.is_none()).count()),
    })
}

/// Switches practice mode on (creating the area on first use).
pub async fn enter(state: &AppState, user: &SessionUser) -> Result<(), AppError> {
    guard::check(user, Rule::SignedIn)?;
    if user.in_practice() {
        return Ok(());
    }
    inside_area(state, user.clone()).await?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    storage::set_active(&mut tx, user.id, true).await?;
    record(
        &mut tx,
        entry(user, "practice_entered", serde_json::json!({})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Switches practice mode off; trainees always stay in it.
pub async fn leave(state: &AppState, user: &SessionUser) -> Result<(), AppError> {
    guard::check(user, Rule::LeavePractice)?;
    if !user.in_practice() {
        return Ok(());
    }
    let mut tx = crate::db::begin_write(&state.pool).await?;
    storage::set_active(&mut tx, user.id, false).await?;
    record(&mut tx, entry(user, "practice_left", serde_json::json!({}))).await?;
    tx.commit().await?;
    Ok(())
}

/// Puts the caller's practice area back into the template state, in one
/// transaction with its audit entry; files nobody uses any more are
/// removed afterwards.
pub async fn reset(state: &AppState, user: &SessionUser) -> Result<(), AppError> {
    guard::check(user, Rule::SignedIn)?;
    if !user.in_practice() {
        return Err(AppError::invalid(
            "Der Übungsbereich kann nur im Übungsmodus zurückgesetzt werden.",
        ));
    }
    let documents = template::documents();
    // Exclusive: no upload may find a blob "already stored" that this
    // reset is about to remove.
    let _exclusive = state.blobs.removal_guard().await;
    let fresh = store_template_files(state, &documents).await?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let (area, used) = match storage::find_area(&mut *tx, user.id).await? {
        Some(area) => {
            let used = storage::clear(&mut tx, area.id).await?;
            (area, used)
        }
        None => (storage::insert_area(&mut tx, user).await?, Vec::new()),
    };
    let owner = storage::practising(user.clone(), area.clone());
    storage::fill(&mut tx, &state.plan.snapshot(), &owner, &documents, &fresh).await?;
    // After the refill: the template's own files are in use again.
    let unused = crate::documents::storage::release_unused_blobs(&mut tx, used).await?;
    record(
        &mut tx,
        entry(
            user,
            "practice_reset",
            serde_json::json!({ "area": area.code }),
        ),
    )
    .await?;
    tx.commit().await?;
    state.blobs.remove_files(&unused).await;
    wake_workers(state);
    Ok(())
}
