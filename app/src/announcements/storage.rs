//! SQL for announcements. Announcements are few (a handful a week), so
//! they are loaded whole and filtered with [`super::Targeting::addresses`]:
//! the page, the header count, the API and the statistics all ask the one
//! predicate the unit tests check.

use super::{Targeting, ValidAnnouncement};
use crate::audit::storage::{record, NewEntry};
use crate::auth::{Role, SessionUser};
use sqlx::SqlitePool;
use std::collections::HashMap;

#[derive(Clone, Debug)]
pub struct Stored {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub pinned: bool,
    pub requires_ack: bool,
    pub publish_at: i64,
    pub expire_at: Option<i64>,
    pub author_name: String,
    pub targeting: Targeting,
}

impl Stored {
    pub fn phase(&self, now: i64) -> super::Phase {
        super::Phase::at(now, self.publish_at, self.expire_at)
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    title: String,
    body: String,
    pinned: bool,
    requires_ack: bool,
    publish_at: i64,
    expire_at: Option<i64>,
    author_name: String,
}

/// All announcements, newest first (pinned ones before the rest).
pub async fn load_all(pool: &SqlitePool) -> Result<Vec<Stored>, sqlx::Error> {
    let rows = sqlx::query_as::<_, Row>(
        "SELECT id, title, body, pinned, requires_ack, publish_at, expire_at, author_name
         FROM announcements ORDER BY pinned DESC, publish_at DESC, id DESC",
    )
    .fetch_all(pool)
    .await?;
    let places: Vec<(i64, i64)> =
        sqlx::query_as("SELECT announcement_id, municipality_id FROM announcement_municipalities")
            .fetch_all(pool)
            .await?;
    let roles: Vec<(i64, String)> =
        sqlx::query_as("SELECT announcement_id, role FROM announcement_roles")
            .fetch_all(pool)
            .await?;
    let mut targets: HashMap<i64, Targeting> = HashMap::new();
    for (id, municipality) in places {
        targets
            .entry(id)
            .or_default()
            .municipalities
            .push(municipality);
    }
    for (id, role) in roles {
        if let Some(role) = Role::parse(&role) {
            targets.entry(id).or_default().roles.push(role);
        }
    }
    Ok(rows
        .into_iter()
        .map(|row| Stored {
            targeting: targets.remove(&row.id).unwrap_or_default(),
            id: row.id,
            title: row.title,
            body: row.body,
            pinned: row.pinned,
            requires_ack: row.requires_ack,
            publish_at: row.publish_at,
            expire_at: row.expire_at,
            author_name: row.author_name,
        })
        .collect())
}

pub async fn load(pool: &SqlitePool, id: i64) -> Result<Option<Stored>, sqlx::Error> {
    Ok(load_all(pool).await?.into_iter().find(|a| a.id == id))
}

/// The published, unexpired announcements addressed to `user`.
pub async fn current_for(
    pool: &SqlitePool,
    user: &SessionUser,
    now: i64,
) -> Result<Vec<Stored>, sqlx::Error> {
    Ok(load_all(pool)
        .await?
        .into_iter()
        .filter(|a| a.phase(now) == super::Phase::Current && a.targeting.addresses_user(user))
        .collect())
}

/// (read_at, acknowledged_at) per announcement for one reader.
pub async fn receipts_of(
    pool: &SqlitePool,
    user_id: i64,
) -> Result<HashMap<i64, (i64, Option<i64>)>, sqlx::Error> {
    let rows: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT announcement_id, read_at, acknowledged_at FROM announcement_receipts WHERE user_id = ?",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, r, a)| (id, (r, a))).collect())
}

/// Records the first reading; later readings keep the first time.
pub async fn mark_read(
    pool: &SqlitePool,
    user_id: i64,
    ids: &[i64],
    now: i64,
) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    for id in ids {
        sqlx::query(
            "INSERT OR IGNORE INTO announcement_receipts (announcement_id, user_id, read_at) VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// Acknowledges (and thereby reads); a second click keeps the first time.
pub async fn acknowledge(
    pool: &SqlitePool,
    user_id: i64,
    id: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO announcement_receipts (announcement_id, user_id, read_at, acknowledged_at)
         VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT (announcement_id, user_id)
         DO UPDATE SET acknowledged_at = COALESCE(acknowledged_at, excluded.acknowledged_at)",
    )
    .bind(id)
    .bind(user_id)
    .bind(now)
    .execute(pool)
    .await?;
    let at: Option<i64> = sqlx::query_scalar(
        "SELECT acknowledged_at FROM announcement_receipts WHERE announcement_id = ? AND user_id = ?",
    )
    .bind(id)
    .bind(user_id)
    .fetch_one(pool)
    .await?;
    Ok(at.unwrap_or(now))
}

async fn write_targets(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    targeting: &Targeting,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM announcement_municipalities WHERE announcement_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM announcement_roles WHERE announcement_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for municipality in &targeting.municipalities {
        sqlx::query(
            "INSERT INTO announcement_municipalities (announcement_id, municipality_id) VALUES (?, ?)",
        )
        .bind(id)
        .bind(municipality)
        .execute(&mut *conn)
        .await?;
    }
    for role in &targeting.roles {
        sqlx::query("INSERT INTO announcement_roles (announcement_id, role) VALUES (?, ?)")
            .bind(id)
            .bind(role.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

fn audit_details(valid: &ValidAnnouncement) -> serde_json::Value {
    serde_json::json!({
        "title": valid.title,
        "municipalities": valid.targeting.municipalities,
        "roles": valid.targeting.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        "pinned": valid.pinned,
        "requires_ack": valid.requires_ack,
        "publish_at": valid.publish_at,
        "expire_at": valid.expire_at,
    })
}

/// Creates (`id` None) or changes an announcement. Pinning one unpins the
/// others: only one stands on top.
pub async fn save(
    pool: &SqlitePool,
    user: &SessionUser,
    id: Option<i64>,
    valid: &ValidAnnouncement,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = crate::db::begin_write(pool).await?;
    if valid.pinned {
        sqlx::query("UPDATE announcements SET pinned = 0 WHERE pinned = 1 AND id IS NOT ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let id = match id {
        Some(id) => {
            let changed = sqlx::query(
                "UPDATE announcements SET title = ?, body = ?, pinned = ?, requires_ack = ?,
                        publish_at = ?, expire_at = ?, updated_at = ? WHERE id = ?",
            )
            .bind(&valid.title)
            .bind(&valid.body)
            .bind(valid.pinned)
            .bind(valid.requires_ack)
            .bind(valid.publish_at)
            .bind(valid.expire_at)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Ok(None);
            }
            record(
                &mut tx,
                NewEntry::by(
                    user,
                    "announcement_updated",
                    "announcement",
                    id,
                    audit_details(valid),
                ),
            )
            .await?;
            id
        }
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO announcements (title, body, pinned, requires_ack, publish_at, expire_at,
                                            author_id, author_name, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(&valid.title)
            .bind(&valid.body)
            .bind(valid.pinned)
            .bind(valid.requires_ack)
            .bind(valid.publish_at)
            .bind(valid.expire_at)
            .bind(user.id)
            .bind(&user.display_name)
            .bind(now)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            record(
                &mut tx,
                NewEntry::by(
                    user,
                    "announcement_published",
                    "announcement",
                    id,
                    audit_details(valid),
                ),
            )
            .await?;
            id
        }
    };
    write_targets(&mut tx, id, &valid.targeting).await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// Removes an announcement with its receipts; the audit log keeps the
/// title and how many had read and acknowledged it.
pub async fn delete(pool: &SqlitePool, user: &SessionUser, id: i64) -> Result<bool, sqlx::Error> {
    let (read, acknowledged): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(acknowledged_at) FROM announcement_receipts WHERE announcement_id = ?",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    delete_audited(
        pool,
        user,
        Deletion {
            table: "announcements",
            label_column: "title",
            action: "announcement_deleted",
            object_type: "announcement",
            id,
            details: serde_json::json!({ "read": read, "acknowledged": acknowledged }),
        },
    )
    .await
}

/// A row to delete (with its cascading children) and how to audit it.
pub(crate) struct Deletion {
    pub table: &'static str,
    /// The column that names the row in the audit entry.
    pub label_column: &'static str,
    pub action: &'static str,
    pub object_type: &'static str,
    pub id: i64,
    /// More facts for the audit entry (an object; the label is added).
    pub details: serde_json::Value,
}

/// Deletes the row and records it in the audit log in one transaction;
/// `false` if there was no such row. Shared by announcements, guides and
/// FAQ entries.
pub(crate) async fn delete_audited(
    pool: &SqlitePool,
    user: &SessionUser,
    deletion: Deletion,
) -> Result<bool, sqlx::Error> {
    let Deletion {
        table,
        label_column,
        action,
        object_type,
        id,
        mut details,
    } = deletion;
    let mut tx = crate::db::begin_write(pool).await?;
    let label: Option<String> =
        sqlx::query_scalar(&format!("SELECT {label_column} FROM {table} WHERE id = ?"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(label) = label else {
        return Ok(false);
    };
    sqlx::query(&format!("DELETE FROM {table} WHERE id = ?"))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if let Some(object) = details.as_object_mut() {
        object.insert(label_column.to_string(), serde_json::Value::String(label));
    }
    record(
        &mut tx,
        NewEntry::by(user, action, object_type, id, details),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// An active account as the statistics see it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Person {
    pub id: i64,
    pub display_name: String,
    pub municipality_id: i64,
    pub municipality: String,
    pub role: String,
}

pub async fn active_people(pool: &SqlitePool) -> Result<Vec<Person>, sqlx::Error> {
    sqlx::query_as::<_, Person>(
        "SELECT u.id, u.display_name, u.municipality_id, m.name AS municipality, u.role
         FROM users u JOIN municipalities m ON m.id = u.municipality_id
         WHERE u.active = 1 ORDER BY m.id, u.display_name",
    )
    .fetch_all(pool)
    .await
}

/// (read_at, acknowledged_at) per reader of one announcement.
pub async fn receipts_for(
    pool: &SqlitePool,
    id: i64,
) -> Result<HashMap<i64, (i64, Option<i64>)>, sqlx::Error> {
    let rows: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT user_id, read_at, acknowledged_at FROM announcement_receipts WHERE announcement_id = ?",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(u, r, a)| (u, (r, a))).collect())
}
