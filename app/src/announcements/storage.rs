//! SQL for announcements. Announcements are few (a handful a week), so
//! they are loaded whole and filtered with [`super::Targeting::addresses`]:
//! the page, the header count, the API and the statistics all ask the one
//! predicate the unit tests check.

use super::{Targeting, ValidAnnouncement};
use crate::auth::{Role, SessionUser};
use sqlx::{SqliteConnection, SqlitePool};
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
    load_all_on(&mut *pool.acquire().await?).await
}

/// [`load_all`] on a connection (the rollout figures read them inside their
/// read transaction).
pub async fn load_all_on(conn: &mut SqliteConnection) -> Result<Vec<Stored>, sqlx::Error> {
    let rows = sqlx::query_as::<_, Row>(
        "SELECT id, title, body, pinned, requires_ack, publish_at, expire_at, author_name
         FROM announcements ORDER BY pinned DESC, publish_at DESC, id DESC",
    )
    .fetch_all(&mut *conn)
    .await?;
    let places: Vec<(i64, i64)> =
        sqlx::query_as("SELECT announcement_id, municipality_id FROM announcement_municipalities")
            .fetch_all(&mut *conn)
            .await?;
    let roles: Vec<(i64, String)> =
        sqlx::query_as("SELECT announcement_id, role FROM announcement_roles")
            .fetch_all(&mut *conn)
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
    conn: &mut SqliteConnection,
    user_id: i64,
    ids: &[i64],
    now: i64,
) -> Result<(), sqlx::Error> {
    for id in ids {
        sqlx::query(
            "INSERT OR IGNORE INTO announcement_receipts (announcement_id, user_id, read_at) VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Acknowledges (and thereby reads); a second click keeps the first time.
pub async fn acknowledge(
    conn: &mut SqliteConnection,
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
    .execute(&mut *conn)
    .await?;
    let at: Option<i64> = sqlx::query_scalar(
        "SELECT acknowledged_at FROM announcement_receipts WHERE announcement_id = ? AND user_id = ?",
    )
    .bind(id)
    .bind(user_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(at.unwrap_or(now))
}

async fn write_targets(
    conn: &mut SqliteConnection,
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

/// Only one announcement stands on top: pinning one unpins the others.
async fn unpin_others(conn: &mut SqliteConnection, id: Option<i64>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE announcements SET pinned = 0 WHERE pinned = 1 AND id IS NOT ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Stores a new announcement by `author`; returns its id.
pub async fn create(
    conn: &mut SqliteConnection,
    author: &SessionUser,
    valid: &ValidAnnouncement,
    now: i64,
) -> Result<i64, sqlx::Error> {
    if valid.pinned {
        unpin_others(conn, None).await?;
    }
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
    .bind(author.id)
    .bind(&author.display_name)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    write_targets(conn, id, &valid.targeting).await?;
    Ok(id)
}

/// Changes an announcement; `false` if there is no such announcement.
pub async fn update(
    conn: &mut SqliteConnection,
    id: i64,
    valid: &ValidAnnouncement,
    now: i64,
) -> Result<bool, sqlx::Error> {
    if valid.pinned {
        unpin_others(conn, Some(id)).await?;
    }
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
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(false);
    }
    write_targets(conn, id, &valid.targeting).await?;
    Ok(true)
}

/// How many have read and how many acknowledged one announcement.
pub async fn receipt_counts(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT COUNT(*), COUNT(acknowledged_at) FROM announcement_receipts WHERE announcement_id = ?",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await
}

/// Removes an announcement with its receipts; returns its title, `None`
/// if there was no such announcement.
pub async fn delete(conn: &mut SqliteConnection, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("DELETE FROM announcements WHERE id = ? RETURNING title")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// `(id, name)` of every municipality, for labels and statistics.
pub async fn municipality_names(pool: &SqlitePool) -> Result<Vec<(i64, String)>, sqlx::Error> {
    Ok(crate::municipalities::storage::list(pool)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect())
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
