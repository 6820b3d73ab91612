//! The use cases of the Scan-Ordner for the Administration of a
//! municipality: see them, set one up (its directory is made on the
//! server), take one out of use. Every change is audited under the
//! municipality. Taking files is [`super::take`].

use super::storage::{self, NewFolder};
use super::ScanOrdnerOverview;
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::ui::{ArrivalRefusal, ArrivalRow};
use std::path::PathBuf;

/// Where a municipality's folder lies on the server.
pub fn directory(state: &AppState, municipality_code: &str, name: &str) -> PathBuf {
    state.settings.scan_dir.join(municipality_code).join(name)
}

/// Its quarantine, beside it.
pub fn quarantine(state: &AppState, municipality_code: &str, name: &str) -> PathBuf {
    state
        .settings
        .scan_dir
        .join(municipality_code)
        .join(super::quarantine_name(name))
}

/// The folders of the Administration's own municipality, its clerks and
/// the latest refusals.
pub async fn overview(
    state: &AppState,
    admin: &SessionUser,
) -> Result<ScanOrdnerOverview, AppError> {
    guard::check(admin, Rule::Administration)?;
    let municipality = &admin.municipality;
    let facts = storage::facts_of(&state.pool, municipality.id).await?;
    let rows = storage::active_of(&state.pool, municipality.id)
        .await?
        .into_iter()
        .filter_map(|folder| {
            let facts = facts.iter().find(|f| f.id == folder.id)?;
            Some(ArrivalRow {
                id: folder.id,
                source: directory(state, &folder.municipality_code, &folder.name)
                    .display()
                    .to_string(),
                name: folder.name,
                responsible: facts.responsible.clone(),
                responsible_inactive: !facts.responsible_active,
                target: facts.akte.clone().unwrap_or_else(|| "Posteingang".into()),
                stored: facts.stored,
                refused: facts.refused,
                last: facts
                    .last_taken
                    .map_or_else(|| "–".into(), crate::time::display),
                last_error: None,
            })
        })
        .collect();
    let refusals = storage::recent_refusals(&state.pool, municipality.id, 20)
        .await?
        .into_iter()
        .map(|(ordner, file_name, reason, at)| ArrivalRefusal {
            what: file_name,
            context: format!(" · {ordner} · {}", crate::time::display(at)),
            why: reason,
        })
        .collect();
    let root = state.settings.scan_dir.join(&municipality.code);
    Ok(ScanOrdnerOverview {
        intro: format!(
            "Die Scan-Ordner von {} liegen auf dem Server unter {}. Richten Sie die Scanner so \
             ein, dass sie dorthin schreiben.",
            municipality.name,
            root.display()
        ),
        rows,
        clerks: crate::users::storage::clerk_options(&state.pool, municipality.id).await?,
        refusals,
    })
}

/// Sets up a folder: `name`, the clerk its documents are recorded under,
/// and the Aktenzeichen of an open Akte they go into (empty: the
/// Posteingang). Makes the directory and its quarantine. Returns its id.
pub async fn create(
    state: &AppState,
    admin: &SessionUser,
    name: &str,
    responsible_id: i64,
    aktenzeichen: &str,
) -> Result<i64, AppError> {
    guard::check(admin, Rule::Administration)?;
    let name = super::validate_name(name)?;
    let municipality = &admin.municipality;
    let akte =
        crate::akten::service::arrival_akte(&state.pool, municipality.id, aktenzeichen).await?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    if !crate::users::storage::is_clerk_of(&mut tx, responsible_id, municipality.id).await? {
        return Err(AppError::invalid(
            "Bitte wählen Sie eine Sachbearbeiterin oder einen Sachbearbeiter Ihrer Gemeinde aus der Liste.",
        ));
    }
    if storage::name_taken(&mut tx, municipality.id, &name).await? {
        return Err(AppError::invalid(format!(
            "Einen Scan-Ordner „{name}“ gibt es in Ihrer Gemeinde schon."
        )));
    }
    let id = storage::insert(
        &mut tx,
        NewFolder {
            municipality_id: municipality.id,
            name: &name,
            responsible_id,
            akte_id: akte.as_ref().map(|a| a.id),
            created_by: admin.id,
        },
    )
    .await?;
    let path = directory(state, &municipality.code, &name);
    record(
        &mut tx,
        NewEntry::by(
            admin,
            "scan_ordner_created",
            "scan_ordner",
            id,
            serde_json::json!({
                "name": name, "path": path.display().to_string(),
                "responsible_id": responsible_id,
                "akte": akte.as_ref().map(|a| a.aktenzeichen.clone()),
            }),
        ),
    )
    .await?;
    // The directories before the commit: a folder the scanner cannot
    // reach is not set up at all.
    for dir in [&path, &quarantine(state, &municipality.code, &name)] {
        if let Err(error) = tokio::fs::create_dir_all(dir).await {
            tracing::error!(%error, path = %dir.display(), "scan folder could not be made");
            return Err(AppError::invalid(format!(
                "Der Ordner {} konnte auf dem Server nicht angelegt werden. Bitte wenden Sie sich an \
                 die IT (Schreibrechte im Scan-Verzeichnis).",
                dir.display()
            )));
        }
    }
    tx.commit().await?;
    Ok(id)
}

/// Takes a folder out of use. Its directory and whatever lies in it stay
/// on the server; nothing more is taken from it.
pub async fn remove(state: &AppState, admin: &SessionUser, id: i64) -> Result<(), AppError> {
    guard::check(admin, Rule::Administration)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let name = storage::deactivate(&mut tx, id, admin.municipality.id)
        .await?
        .ok_or_else(|| AppError::NotFound("Der Scan-Ordner".into()))?;
    record(
        &mut tx,
        NewEntry::by(
            admin,
            "scan_ordner_removed",
            "scan_ordner",
            id,
            serde_json::json!({ "name": name }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
