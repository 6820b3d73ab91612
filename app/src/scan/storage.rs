//! SQL of the Scan-Ordner and of the files taken from them.

use crate::auth::SessionUser;
use sqlx::{SqliteConnection, SqlitePool};

/// A folder in use, as the sweep needs it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Folder {
    pub id: i64,
    pub municipality_id: i64,
    pub municipality_code: String,
    pub name: String,
    pub responsible_id: i64,
    pub akte_id: Option<i64>,
}

const FOLDER: &str = "SELECT o.id, o.municipality_id, m.code AS municipality_code, o.name,
                             o.responsible_id, o.akte_id
                      FROM scan_ordner o JOIN municipalities m ON m.id = o.municipality_id
                      WHERE o.active = 1";

/// Every folder in use, of all municipalities.
pub async fn active(pool: &SqlitePool) -> Result<Vec<Folder>, sqlx::Error> {
    sqlx::query_as(&format!("{FOLDER} ORDER BY o.id"))
        .fetch_all(pool)
        .await
}

/// A municipality's folders in use, by name.
pub async fn active_of(
    pool: &SqlitePool,
    municipality_id: i64,
) -> Result<Vec<Folder>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{FOLDER} AND o.municipality_id = ? ORDER BY o.name"
    ))
    .bind(municipality_id)
    .fetch_all(pool)
    .await
}

/// What the page shows beside a folder: its responsible clerk, its Akte,
/// and how many files it stored and refused, and when the last came.
#[derive(Debug, sqlx::FromRow)]
pub struct FolderFacts {
    pub id: i64,
    pub responsible: String,
    pub responsible_active: bool,
    pub akte: Option<String>,
    pub stored: i64,
    pub refused: i64,
    pub last_taken: Option<i64>,
}

pub async fn facts_of(
    pool: &SqlitePool,
    municipality_id: i64,
) -> Result<Vec<FolderFacts>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.id, u.display_name AS responsible, u.active AS responsible_active,
                a.aktenzeichen || ' ' || a.title AS akte,
                (SELECT COUNT(*) FROM scan_dateien f WHERE f.ordner_id = o.id AND f.outcome = 'stored') AS stored,
                (SELECT COUNT(*) FROM scan_dateien f WHERE f.ordner_id = o.id AND f.outcome = 'refused') AS refused,
                (SELECT MAX(f.taken_at) FROM scan_dateien f WHERE f.ordner_id = o.id) AS last_taken
         FROM scan_ordner o JOIN users u ON u.id = o.responsible_id
         LEFT JOIN akten a ON a.id = o.akte_id
         WHERE o.active = 1 AND o.municipality_id = ?",
    )
    .bind(municipality_id)
    .fetch_all(pool)
    .await
}

/// The municipality's latest refusals, newest first:
/// (folder, file, reason, when).
pub async fn recent_refusals(
    pool: &SqlitePool,
    municipality_id: i64,
    limit: i64,
) -> Result<Vec<(String, String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.name, f.file_name, f.refusal, f.taken_at
         FROM scan_dateien f JOIN scan_ordner o ON o.id = f.ordner_id
         WHERE o.municipality_id = ? AND f.outcome = 'refused'
         ORDER BY f.taken_at DESC, f.id DESC LIMIT ?",
    )
    .bind(municipality_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Whether the municipality already uses a folder of that name.
pub async fn name_taken(
    conn: &mut SqliteConnection,
    municipality_id: i64,
    name: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM scan_ordner
                         WHERE municipality_id = ? AND active = 1 AND name = ? COLLATE NOCASE)",
    )
    .bind(municipality_id)
    .bind(name)
    .fetch_one(conn)
    .await
}

pub struct NewFolder<'a> {
    pub municipality_id: i64,
    pub name: &'a str,
    pub responsible_id: i64,
    pub akte_id: Option<i64>,
    pub created_by: i64,
}

pub async fn insert(conn: &mut SqliteConnection, new: NewFolder<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO scan_ordner (municipality_id, name, responsible_id, akte_id, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.municipality_id)
    .bind(new.name)
    .bind(new.responsible_id)
    .bind(new.akte_id)
    .bind(new.created_by)
    .bind(crate::time::now())
    .fetch_one(conn)
    .await
}

/// Takes a folder of the municipality out of use; its name, if it was
/// one in use.
pub async fn deactivate(
    conn: &mut SqliteConnection,
    id: i64,
    municipality_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE scan_ordner SET active = 0 WHERE id = ? AND municipality_id = ? AND active = 1
         RETURNING name",
    )
    .bind(id)
    .bind(municipality_id)
    .fetch_optional(conn)
    .await
}

/// The clerk a folder's documents are recorded under, as if signed in:
/// only while active and of the folder's municipality.
pub async fn responsible(
    pool: &SqlitePool,
    folder: &Folder,
) -> Result<Option<SessionUser>, sqlx::Error> {
    crate::users::storage::acting_as(pool, folder.responsible_id, folder.municipality_id).await
}

/// Notes that a file is being taken; its row id.
pub async fn note_taking(
    pool: &SqlitePool,
    folder_id: i64,
    file_name: &str,
    sha256: &str,
    size: u64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO scan_dateien (ordner_id, file_name, sha256, size, outcome, taken_at)
         VALUES (?, ?, ?, ?, 'taking', ?) RETURNING id",
    )
    .bind(folder_id)
    .bind(file_name)
    .bind(sha256)
    .bind(i64::try_from(size).unwrap_or(i64::MAX))
    .bind(crate::time::now())
    .fetch_one(pool)
    .await
}

/// Whether this folder was taking (or stored) this content before the
/// attempt `except`: then a duplicate of it is the same file found again
/// after a crash.
pub async fn taken_before(
    pool: &SqlitePool,
    folder_id: i64,
    sha256: &str,
    except: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM scan_dateien
                         WHERE ordner_id = ? AND sha256 = ? AND outcome IN ('taking', 'stored')
                           AND id <> ?)",
    )
    .bind(folder_id)
    .bind(sha256)
    .bind(except)
    .fetch_one(pool)
    .await
}

/// Drops the row of an attempt that changed nothing.
pub async fn forget(pool: &SqlitePool, row: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM scan_dateien WHERE id = ? AND outcome = 'taking'")
        .bind(row)
        .execute(pool)
        .await?;
    Ok(())
}

/// The file's row ends as stored, with its document.
pub async fn mark_stored(pool: &SqlitePool, row: i64, document_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE scan_dateien SET outcome = 'stored', document_id = ? WHERE id = ?")
        .bind(document_id)
        .bind(row)
        .execute(pool)
        .await?;
    Ok(())
}

/// Earlier rows of the same content in this folder that were still
/// 'taking' (a crash came between storing and noting it) end as stored.
pub async fn settle_taking(
    pool: &SqlitePool,
    folder_id: i64,
    sha256: &str,
    document_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE scan_dateien SET outcome = 'stored', document_id = ?
         WHERE ordner_id = ? AND sha256 = ? AND outcome = 'taking'",
    )
    .bind(document_id)
    .bind(folder_id)
    .bind(sha256)
    .execute(pool)
    .await?;
    Ok(())
}

/// Drops the rows of earlier attempts at this content that never got as
/// far as a document.
pub async fn forget_attempts(
    pool: &SqlitePool,
    folder_id: i64,
    sha256: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM scan_dateien WHERE ordner_id = ? AND sha256 = ? AND outcome = 'taking'",
    )
    .bind(folder_id)
    .bind(sha256)
    .execute(pool)
    .await?;
    Ok(())
}

/// The file's row ends as refused, with the reason.
pub async fn mark_refused(pool: &SqlitePool, row: i64, reason: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE scan_dateien SET outcome = 'refused', refusal = ? WHERE id = ?")
        .bind(reason)
        .bind(row)
        .execute(pool)
        .await?;
    Ok(())
}

/// A file refused before its content was read (unreadable, too large).
pub async fn insert_refused(
    pool: &SqlitePool,
    folder_id: i64,
    file_name: &str,
    size: u64,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO scan_dateien (ordner_id, file_name, sha256, size, outcome, refusal, taken_at)
         VALUES (?, ?, '', ?, 'refused', ?, ?)",
    )
    .bind(folder_id)
    .bind(file_name)
    .bind(i64::try_from(size).unwrap_or(i64::MAX))
    .bind(reason)
    .bind(crate::time::now())
    .execute(pool)
    .await?;
    Ok(())
}
