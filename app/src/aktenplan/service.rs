//! The use cases of the plan as a whole: exporting it and loading the
//! first version into an empty database. Browsing it is the explorer's
//! ([`super::explorer::service`]), changing it the Abstimmung's
//! ([`super::abstimmung::service`]).

use super::storage;
use super::PositionRecord;
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::state::AppState;
use sqlx::SqlitePool;
use std::collections::HashMap;

/// The whole plan in the CSV import format.
pub async fn export_csv(state: &AppState, user: &SessionUser) -> Result<String, AppError> {
    guard::check(user, Rule::OpenAkten)?;
    let records: Vec<_> = storage::all(&state.pool)
        .await?
        .into_iter()
        .map(|p| p.record)
        .collect();
    Ok(super::csv_format::write(&records))
}

/// Loads a whole plan into an empty database as version 1. `actor` is
/// `None` when the system seeds the plan.
pub async fn import_initial(
    pool: &SqlitePool,
    records: &[PositionRecord],
    actor: Option<(i64, String)>,
    release_title: &str,
) -> Result<usize, AppError> {
    let mut tx = crate::db::begin_write(pool).await?;
    if storage::count(&mut *tx).await? > 0 {
        return Err(AppError::Conflict(
            "Es gibt bereits einen Aktenplan. Änderungen laufen über Änderungsvorschläge.".into(),
        ));
    }
    let now = crate::time::now();
    let mut ids: HashMap<super::code::Kennzeichen, i64> = HashMap::new();
    for record in records {
        let parent_id = match record.code.parent() {
            Some(parent) => Some(*ids.get(&parent).ok_or_else(|| {
                AppError::invalid(format!("Die übergeordnete Position {parent} fehlt."))
            })?),
            None => None,
        };
        let id = storage::insert(&mut tx, parent_id, record, now).await?;
        ids.insert(record.code.clone(), id);
    }
    storage::insert_first_release(
        &mut tx,
        release_title,
        &format!("Erstfassung mit {} Positionen.", records.len()),
        now,
        actor.as_ref().map(|(id, _)| *id),
    )
    .await?;
    record(
        &mut tx,
        NewEntry {
            actor_user_id: actor.as_ref().map(|(id, _)| *id),
            actor_name: actor.map_or_else(|| "System".to_string(), |(_, name)| name),
            municipality_id: None,
            action: "plan_imported",
            object_type: "aktenplan",
            object_id: Some("1".into()),
            details: serde_json::json!({ "positions": records.len() }),
            ip: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(records.len())
}

/// Loads the shipped seed plan if the database has no plan yet.
pub async fn seed_if_empty(pool: &SqlitePool) -> Result<Option<usize>, AppError> {
    if storage::count(pool).await? > 0 {
        return Ok(None);
    }
    let records = super::csv_format::parse(storage::SEED_CSV).map_err(|problems| {
        tracing::error!(?problems, "shipped Aktenplan is invalid");
        AppError::Internal
    })?;
    let imported = import_initial(
        pool,
        &records,
        None,
        "Aktenplan der vier Gemeinden – Erstfassung",
    )
    .await?;
    Ok(Some(imported))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn seed_loads_once_and_exports_identically() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pool = crate::db::connect(&format!("sqlite://{}/plan.db", dir.path().display()))
            .await
            .expect("connect");
        crate::db::migrate(&pool).await.expect("migrate");
        let imported = seed_if_empty(&pool).await.expect("seed").expect("imported");
        assert!(imported >= 300);
        assert_eq!(seed_if_empty(&pool).await.expect("again"), None);

        let stored = storage::all(&pool).await.expect("all");
        assert_eq!(stored.len(), imported);
        let records: Vec<PositionRecord> = stored.into_iter().map(|p| p.record).collect();
        let exported = super::super::csv_format::write(&records);
        assert_eq!(exported, storage::SEED_CSV.replace("\r\n", "\n"));
    }
}
