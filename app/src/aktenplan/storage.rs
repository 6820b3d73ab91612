//! SQL for the Aktenplan: loading, the initial import, export.

use super::code::Kennzeichen;
use super::retention::{Archivwert, Retention, RetentionTrigger};
use super::PositionRecord;
use sqlx::{SqliteConnection, SqlitePool};

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

pub async fn count<'e, E>(executor: E) -> Result<i64, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    sqlx::query_scalar("SELECT COUNT(*) FROM plan_positions")
        .fetch_one(executor)
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

/// Writes release 1, the first version of the plan.
pub async fn insert_first_release(
    conn: &mut SqliteConnection,
    title: &str,
    notes: &str,
    now: i64,
    published_by: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO plan_releases (version, title, notes, published_at, published_by)
         VALUES (1, ?, ?, ?, ?)",
    )
    .bind(title)
    .bind(notes)
    .bind(now)
    .bind(published_by)
    .execute(conn)
    .await?;
    Ok(())
}

/// The newest published version, 0 before the first.
pub async fn current_version(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM plan_releases")
        .fetch_one(pool)
        .await
}

/// The shipped seed plan (`app/data/aktenplan.csv`).
pub const SEED_CSV: &str = include_str!("../../data/aktenplan.csv");
