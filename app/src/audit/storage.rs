//! Writing and checking the audit chain.

use super::ChainReport;
use sha2::{Digest, Sha256};
use sqlx::{SqliteConnection, SqlitePool};

/// The hash an empty log starts from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Clone, Debug, Default)]
pub struct NewEntry {
    pub actor_user_id: Option<i64>,
    pub actor_name: String,
    pub municipality_id: Option<i64>,
    pub action: &'static str,
    pub object_type: &'static str,
    pub object_id: Option<String>,
    pub details: serde_json::Value,
    pub ip: Option<String>,
}

impl NewEntry {
    /// An entry for something the signed-in `user` did in this request
    /// (their municipality, and the client address from the request).
    pub fn by(
        user: &crate::auth::SessionUser,
        action: &'static str,
        object_type: &'static str,
        object_id: impl ToString,
        details: serde_json::Value,
    ) -> NewEntry {
        NewEntry {
            actor_user_id: Some(user.id),
            actor_name: user.display_name.clone(),
            municipality_id: Some(user.municipality.id),
            action,
            object_type,
            object_id: Some(object_id.to_string()),
            details,
            ip: crate::auth::client_address(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct StoredEntry {
    id: i64,
    at: i64,
    actor_user_id: Option<i64>,
    actor_name: String,
    municipality_id: Option<i64>,
    action: String,
    object_type: String,
    object_id: Option<String>,
    details: String,
    ip: Option<String>,
    prev_hash: String,
    hash: String,
}

/// Fields are length-prefixed so that no two different entries can produce
/// the same input by shifting text between fields.
#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev_hash: &str,
    at: i64,
    actor_user_id: Option<i64>,
    actor_name: &str,
    municipality_id: Option<i64>,
    action: &str,
    object_type: &str,
    object_id: Option<&str>,
    details: &str,
    ip: Option<&str>,
) -> String {
    let mut hasher = Sha256::new();
    let mut field = |value: &str| {
        hasher.update((value.len() as u64).to_le_bytes());
        hasher.update(value.as_bytes());
    };
    field(prev_hash);
    field(&at.to_string());
    field(&actor_user_id.map(|id| id.to_string()).unwrap_or_default());
    field(actor_name);
    field(&municipality_id.map(|id| id.to_string()).unwrap_or_default());
    field(action);
    field(object_type);
    field(object_id.unwrap_or_default());
    field(details);
    field(ip.unwrap_or_default());
    hex::encode(hasher.finalize())
}

/// Appends an entry. Call it inside a transaction begun with
/// [`crate::db::begin_write`] so that chain links cannot interleave.
///
/// What happens inside a practice area is not a real record and is not
/// written: every audit entry passes here, so no practice action can reach
/// the real log. (Entering, leaving and resetting practice are recorded
/// under the user's real municipality.)
pub async fn record(conn: &mut SqliteConnection, entry: NewEntry) -> Result<(), sqlx::Error> {
    if let Some(municipality_id) = entry.municipality_id {
        if crate::municipalities::storage::is_practice(&mut *conn, municipality_id).await? {
            return Ok(());
        }
    }
    let prev_hash: String =
        sqlx::query_scalar("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or_else(|| GENESIS.to_string());
    let at = crate::time::now();
    let details = entry.details.to_string();
    let hash = entry_hash(
        &prev_hash,
        at,
        entry.actor_user_id,
        &entry.actor_name,
        entry.municipality_id,
        entry.action,
        entry.object_type,
        entry.object_id.as_deref(),
        &details,
        entry.ip.as_deref(),
    );
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, actor_name, municipality_id, action,
                                object_type, object_id, details, ip, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(at)
    .bind(entry.actor_user_id)
    .bind(&entry.actor_name)
    .bind(entry.municipality_id)
    .bind(entry.action)
    .bind(entry.object_type)
    .bind(entry.object_id)
    .bind(details)
    .bind(entry.ip)
    .bind(prev_hash)
    .bind(hash)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Re-computes every hash and link, oldest first, in batches so that memory
/// stays flat however long the log grows. This alone cannot notice entries
/// cut off at the end; [`super::anchor::verify`] adds the checkpoints.
pub async fn verify_chain(pool: &SqlitePool) -> Result<ChainReport, sqlx::Error> {
    verify_anchored(pool, &[]).await
}

/// [`verify_chain`], and every (authentic) checkpoint compared with the
/// entry it names. The walk goes on past a broken link so that the
/// checkpoints are compared with the whole log.
pub async fn verify_anchored(
    pool: &SqlitePool,
    checkpoints: &[super::anchor::Checkpoint],
) -> Result<ChainReport, sqlx::Error> {
    const BATCH: i64 = 2000;
    let wanted: std::collections::HashSet<i64> = checkpoints.iter().map(|c| c.id).collect();
    let mut stored = std::collections::HashMap::new();
    let mut expected_prev = GENESIS.to_string();
    let mut checked = 0u64;
    let mut first_broken_id = None;
    let mut after_id = 0i64;
    let mut newest_id = None;
    loop {
        let rows = sqlx::query_as::<_, StoredEntry>(
            "SELECT * FROM audit_log WHERE id > ? ORDER BY id LIMIT ?",
        )
        .bind(after_id)
        .bind(BATCH)
        .fetch_all(pool)
        .await?;
        let Some(last) = rows.last() else {
            break;
        };
        after_id = last.id;
        newest_id = Some(last.id);
        for row in rows {
            if wanted.contains(&row.id) {
                stored.insert(row.id, row.hash.clone());
            }
            if first_broken_id.is_some() {
                continue;
            }
            checked += 1;
            let recomputed = entry_hash(
                &row.prev_hash,
                row.at,
                row.actor_user_id,
                &row.actor_name,
                row.municipality_id,
                &row.action,
                &row.object_type,
                row.object_id.as_deref(),
                &row.details,
                row.ip.as_deref(),
            );
            if row.prev_hash != expected_prev || recomputed != row.hash {
                first_broken_id = Some(row.id);
                if wanted.is_empty() {
                    break;
                }
            }
            expected_prev = row.hash;
        }
        if first_broken_id.is_some() && wanted.is_empty() {
            break;
        }
    }
    Ok(ChainReport {
        entries_checked: checked,
        first_broken_id,
        checkpoints_checked: checkpoints.len() as u64,
        anchor_problems: super::anchor::compare(checkpoints, &stored, newest_id),
    })
}

/// Id and hash of the newest entry (what a checkpoint records).
pub async fn newest(pool: &SqlitePool) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
        .fetch_optional(pool)
        .await
}

/// What the audit list is narrowed to.
#[derive(Clone, Copy, Debug, Default)]
pub struct Filter<'a> {
    pub municipality_id: Option<i64>,
    pub action: Option<&'a str>,
    /// `(object_type, object_id)`, e.g. `("document", "42")`.
    pub object: Option<(&'a str, &'a str)>,
    pub before_id: Option<i64>,
}

/// An entry as listed, with the name of its municipality.
#[derive(sqlx::FromRow)]
pub struct ListedEntry {
    pub id: i64,
    pub at: i64,
    pub actor_name: String,
    pub municipality: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub details: String,
    pub ip: Option<String>,
}

/// One page of the log, newest first, narrowed by `filter`.
pub async fn entries(
    pool: &SqlitePool,
    filter: Filter<'_>,
    limit: i64,
) -> Result<Vec<ListedEntry>, sqlx::Error> {
    sqlx::query_as::<_, ListedEntry>(
        "SELECT a.id, a.at, a.actor_name, m.name AS municipality, a.action, a.object_type,
                a.object_id, a.details, a.ip
         FROM audit_log a LEFT JOIN municipalities m ON m.id = a.municipality_id
         WHERE (?1 IS NULL OR a.municipality_id = ?1)
           AND (?2 IS NULL OR a.action = ?2)
           AND (?3 IS NULL OR a.id < ?3)
           AND (?5 IS NULL OR (a.object_type = ?5 AND a.object_id = ?6))
         ORDER BY a.id DESC LIMIT ?4",
    )
    .bind(filter.municipality_id)
    .bind(filter.action)
    .bind(filter.before_id)
    .bind(limit)
    .bind(filter.object.map(|(kind, _)| kind))
    .bind(filter.object.map(|(_, id)| id))
    .fetch_all(pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::super::service::record_alone;
    use super::*;

    async fn pool() -> (tempfile::TempDir, SqlitePool) {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/audit.db", dir.path().display());
        let pool = crate::db::connect(&url).await.expect("connect");
        crate::db::migrate(&pool).await.expect("migrate");
        (dir, pool)
    }

    fn entry(action: &'static str) -> NewEntry {
        NewEntry {
            actor_name: "Test".into(),
            municipality_id: Some(2),
            action,
            object_type: "user",
            object_id: Some("1".into()),
            details: serde_json::json!({"note": "x"}),
            ..NewEntry::default()
        }
    }

    #[tokio::test]
    async fn chain_verifies_and_detects_edits_and_removals() {
        let (_dir, pool) = pool().await;
        for action in ["login", "user_created", "logout"] {
            record_alone(&pool, entry(action)).await.expect("record");
        }
        let report = verify_chain(&pool).await.expect("verify");
        assert_eq!(
            report,
            ChainReport {
                entries_checked: 3,
                ..ChainReport::default()
            }
        );

        // The triggers stop ordinary edits...
        assert!(
            sqlx::query("UPDATE audit_log SET actor_name = 'X' WHERE id = 2")
                .execute(&pool)
                .await
                .is_err()
        );
        assert!(sqlx::query("DELETE FROM audit_log WHERE id = 2")
            .execute(&pool)
            .await
            .is_err());

        // ...and someone who drops them is caught by the chain.
        sqlx::query("DROP TRIGGER audit_log_no_update")
            .execute(&pool)
            .await
            .expect("drop");
        sqlx::query("UPDATE audit_log SET actor_name = 'Mallory' WHERE id = 2")
            .execute(&pool)
            .await
            .expect("tamper");
        let report = verify_chain(&pool).await.expect("verify");
        assert_eq!(report.first_broken_id, Some(2));
    }

    #[tokio::test]
    async fn removed_entry_breaks_the_link() {
        let (_dir, pool) = pool().await;
        for action in ["login", "user_created", "logout"] {
            record_alone(&pool, entry(action)).await.expect("record");
        }
        sqlx::query("DROP TRIGGER audit_log_no_delete")
            .execute(&pool)
            .await
            .expect("drop");
        sqlx::query("DELETE FROM audit_log WHERE id = 2")
            .execute(&pool)
            .await
            .expect("delete");
        let report = verify_chain(&pool).await.expect("verify");
        assert_eq!(report.first_broken_id, Some(3));
    }

    #[tokio::test]
    async fn concurrent_writers_keep_one_chain() {
        let (_dir, pool) = pool().await;
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let pool = pool.clone();
            tasks.push(tokio::spawn(async move {
                record_alone(&pool, entry("login")).await
            }));
        }
        for task in tasks {
            task.await.expect("join").expect("record");
        }
        let report = verify_chain(&pool).await.expect("verify");
        assert_eq!(
            report,
            ChainReport {
                entries_checked: 20,
                ..ChainReport::default()
            }
        );
    }
}
