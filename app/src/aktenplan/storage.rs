//! SQL for the Aktenplan: loading, the initial import, export.

use super::code::Kennzeichen;
use super::retention::{Archivwert, Retention, RetentionTrigger};
use super::PositionRecord;
use crate::audit::storage::{record, NewEntry};
use crate::error::AppError;
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;

/// A stored position with its id and parent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPosition {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub record: PositionRecord,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    parent_id: Option<i64>,
    code: String,
    title: String,
    description: String,
    keywords: String,
    retention_years: Option<i64>,
    retention_trigger: String,
    appraisal: String,
    active: bool,
}

impl Row {
    fn into_stored(self) -> Option<StoredPosition> {
        let retention = match self.retention_years {
            None => Retention::Permanent,
            Some(years) => Retention::Years(u16::try_from(years).ok()?),
        };
        Some(StoredPosition {
            id: self.id,
            parent_id: self.parent_id,
            record: PositionRecord {
                code: Kennzeichen::parse(&self.code).ok()?,
                title: self.title,
                description: self.description,
                keywords: super::split_keywords(&self.keywords),
                retention,
                trigger: RetentionTrigger::parse(&self.retention_trigger).ok()?,
                appraisal: Archivwert::parse(&self.appraisal).ok()?,
                active: self.active,
            },
        })
    }
}

fn trigger_value(trigger: RetentionTrigger) -> &'static str {
    match trigger {
        RetentionTrigger::Aktenschluss => "aktenschluss",
        RetentionTrigger::Jahresende => "jahresende",
    }
}

fn retention_value(retention: Retention) -> Option<i64> {
    match retention {
        Retention::Years(years) => Some(i64::from(years)),
        Retention::Permanent => None,
    }
}

/// Every position (active or not) in plan order.
pub async fn all<'e, E>(executor: E) -> Result<Vec<StoredPosition>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    let rows = sqlx::query_as::<_, Row>(
        "SELECT id, parent_id, code, title, description, keywords, retention_years,
                retention_trigger, appraisal, active
         FROM plan_positions ORDER BY sort_key, active DESC, id",
    )
    .fetch_all(executor)
    .await?;
    Ok(rows.into_iter().filter_map(Row::into_stored).collect())
}

pub async fn count(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM plan_positions")
        .fetch_one(pool)
        .await
}

type PositionQuery<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

/// Binds the columns `parent_id` to `active`, in table order, which
/// inserts and updates share.
fn bind_position<'q>(
    query: PositionQuery<'q>,
    parent_id: Option<i64>,
    record: &'q PositionRecord,
) -> PositionQuery<'q> {
    query
        .bind(parent_id)
        .bind(record.code.as_str())
        .bind(record.code.sort_key())
        .bind(&record.title)
        .bind(&record.description)
        .bind(record.keywords.join(", "))
        .bind(retention_value(record.retention))
        .bind(trigger_value(record.trigger))
        .bind(record.appraisal.letter())
        .bind(record.active)
}

/// Inserts one position; the parent must already exist.
pub async fn insert(
    conn: &mut SqliteConnection,
    parent_id: Option<i64>,
    record: &PositionRecord,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let query = sqlx::query(
        "INSERT INTO plan_positions (parent_id, code, sort_key, title, description, keywords,
                                     retention_years, retention_trigger, appraisal, active,
                                     created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    let done = bind_position(query, parent_id, record)
        .bind(now)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.last_insert_rowid())
}

/// Writes a position's new state (after a published change).
pub async fn update(
    conn: &mut SqliteConnection,
    id: i64,
    parent_id: Option<i64>,
    record: &PositionRecord,
    now: i64,
) -> Result<(), sqlx::Error> {
    let query = sqlx::query(
        "UPDATE plan_positions SET parent_id = ?, code = ?, sort_key = ?, title = ?, description = ?,
                keywords = ?, retention_years = ?, retention_trigger = ?, appraisal = ?, active = ?,
                updated_at = ?
         WHERE id = ?",
    );
    bind_position(query, parent_id, record)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Loads a whole plan into an empty database as version 1.
pub async fn import_initial(
    pool: &SqlitePool,
    records: &[PositionRecord],
    actor: Option<(i64, String)>,
    release_title: &str,
) -> Result<usize, AppError> {
    let mut tx = crate::db::begin_write(pool).await?;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_positions")
        .fetch_one(&mut *tx)
        .await?;
    if existing > 0 {
        return Err(AppError::Conflict(
            "Es gibt bereits einen Aktenplan. Änderungen laufen über Änderungsvorschläge.".into(),
        ));
    }
    let now = crate::time::now();
    let mut ids: HashMap<Kennzeichen, i64> = HashMap::new();
    for record in records {
        let parent_id = match record.code.parent() {
            Some(parent) => Some(*ids.get(&parent).ok_or_else(|| {
                AppError::invalid(format!("Die übergeordnete Position {parent} fehlt."))
            })?),
            None => None,
        };
        let id = insert(&mut tx, parent_id, record, now).await?;
        ids.insert(record.code.clone(), id);
    }
    sqlx::query(
        "INSERT INTO plan_releases (version, title, notes, published_at, published_by)
         VALUES (1, ?, ?, ?, ?)",
    )
    .bind(release_title)
    .bind(format!("Erstfassung mit {} Positionen.", records.len()))
    .bind(now)
    .bind(actor.as_ref().map(|(id, _)| *id))
    .execute(&mut *tx)
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

/// The shipped seed plan (`app/data/aktenplan.csv`).
pub const SEED_CSV: &str = include_str!("../../data/aktenplan.csv");

/// Loads the seed plan if the database has no plan yet.
pub async fn seed_if_empty(pool: &SqlitePool) -> Result<Option<usize>, AppError> {
    if count(pool).await? > 0 {
        return Ok(None);
    }
    let records = super::csv_format::parse(SEED_CSV).map_err(|problems| {
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

        let stored = all(&pool).await.expect("all");
        assert_eq!(stored.len(), imported);
        let records: Vec<PositionRecord> = stored.into_iter().map(|p| p.record).collect();
        let exported = super::super::csv_format::write(&records);
        assert_eq!(exported, SEED_CSV.replace("\r\n", "\n"));
    }
}
