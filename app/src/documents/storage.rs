//! SQL for documents, versions, tags and their jobs. Every read takes the
//! reader's municipality and answers "not found" for what it may not see,
//! so ids cannot be probed.

use super::filetype::FileKind;
use super::{AkteRef, CleanMetadata, DocType, DocumentDetail, DocumentSummary, VersionView};
use crate::audit::storage::{record, NewEntry};
use crate::auth::SessionUser;
use crate::time::display_exact;
use sqlx::{SqliteConnection, SqlitePool};

/// Columns of [`Row`], with the newest version joined in.
macro_rules! summary_select {
    () => {
        "SELECT d.id, d.title, d.doc_type, d.document_date, d.correspondent, d.created_at,
                d.municipality_id, d.trashed_at, d.notes,
                u.display_name AS uploaded_by, v.kind, v.size,
                (SELECT COUNT(*) FROM document_versions c WHERE c.document_id = d.id) AS versions,
                a.id AS akte_id, a.aktenzeichen, a.title AS akte_title,
                (SELECT group_concat(t.tag, char(31)) FROM document_tags t WHERE t.document_id = d.id) AS tags
         FROM documents d
         JOIN users u ON u.id = d.created_by
         JOIN document_versions v ON v.document_id = d.id
              AND v.number = (SELECT MAX(number) FROM document_versions m WHERE m.document_id = d.id)
         LEFT JOIN akten a ON a.id = d.akte_id "
    };
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    title: String,
    doc_type: String,
    document_date: Option<String>,
    correspondent: String,
    created_at: i64,
    municipality_id: i64,
    trashed_at: Option<i64>,
    notes: String,
    uploaded_by: String,
    kind: String,
    size: i64,
    versions: i64,
    akte_id: Option<i64>,
    aktenzeichen: Option<String>,
    akte_title: Option<String>,
    tags: Option<String>,
}

impl Row {
    fn summary(&self) -> DocumentSummary {
        let mut tags: Vec<String> = self
            .tags
            .as_deref()
            .map(|t| t.split('\u{1f}').map(str::to_string).collect())
            .unwrap_or_default();
        tags.sort_by_key(|t| t.to_lowercase());
        DocumentSummary {
            id: self.id,
            title: self.title.clone(),
            doc_type: DocType::parse(&self.doc_type).unwrap_or(DocType::Sonstiges),
            document_date: self.document_date.clone(),
            correspondent: self.correspondent.clone(),
            tags,
            kind_label: kind_label(&self.kind),
            size: self.size,
            versions: self.versions,
            uploaded_at: display_exact(self.created_at),
            uploaded_by: self.uploaded_by.clone(),
            akte: match (self.akte_id, &self.aktenzeichen, &self.akte_title) {
                (Some(id), Some(aktenzeichen), Some(title)) => Some(AkteRef {
                    id,
                    aktenzeichen: aktenzeichen.clone(),
                    title: title.clone(),
                }),
                _ => None,
            },
        }
    }
}

fn kind_label(kind: &str) -> String {
    FileKind::parse(kind).map_or_else(|| kind.to_string(), |k| k.label().to_string())
}

/// A new document with its first version.
pub struct NewDocument<'a> {
    pub user: &'a SessionUser,
    pub ip: Option<String>,
    pub akte_id: Option<i64>,
    pub title: &'a str,
    pub file: StoredFile<'a>,
}

/// A version's file, already on disk at its hash.
pub struct StoredFile<'a> {
    pub sha256: &'a str,
    pub size: u64,
    pub kind: FileKind,
    pub file_name: &'a str,
}

fn size_i64(size: u64) -> i64 {
    i64::try_from(size).unwrap_or(i64::MAX)
}

async fn insert_blob(
    conn: &mut SqliteConnection,
    file: &StoredFile<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)")
        .bind(file.sha256)
        .bind(size_i64(file.size))
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

async fn insert_version(
    conn: &mut SqliteConnection,
    document_id: i64,
    file: &StoredFile<'_>,
    user_id: i64,
    note: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let number: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM document_versions WHERE document_id = ?",
    )
    .bind(document_id)
    .fetch_one(&mut *conn)
    .await?;
    let version_id = sqlx::query(
        "INSERT INTO document_versions (document_id, number, sha256, size, kind, file_name, note, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(document_id)
    .bind(number)
    .bind(file.sha256)
    .bind(size_i64(file.size))
    .bind(file.kind.as_str())
    .bind(file.file_name)
    .bind(note)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    // Text extraction and thumbnails run later, from this row.
    sqlx::query(
        "INSERT INTO jobs (kind, version_id, created_at, updated_at) VALUES ('process_version', ?, ?, ?)",
    )
    .bind(version_id)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(number)
}

fn entry(
    user: &SessionUser,
    ip: Option<String>,
    action: &'static str,
    document_id: i64,
    details: serde_json::Value,
) -> NewEntry {
    NewEntry {
        ip,
        ..NewEntry::by(user, action, "document", document_id, details)
    }
}

/// Inserts document, first version, blob row, job and audit entry in the
/// caller's transaction.
pub async fn create(conn: &mut SqliteConnection, new: NewDocument<'_>) -> Result<i64, sqlx::Error> {
    let now = crate::time::now();
    insert_blob(conn, &new.file, now).await?;
    let document_id = sqlx::query(
        "INSERT INTO documents (municipality_id, akte_id, title, created_by, created_at, updated_at, filed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(new.user.municipality.id)
    .bind(new.akte_id)
    .bind(new.title)
    .bind(new.user.id)
    .bind(now)
    .bind(now)
    .bind(new.akte_id.map(|_| now))
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    insert_version(conn, document_id, &new.file, new.user.id, "", now).await?;
    record(
        conn,
        entry(
            new.user,
            new.ip,
            "document_uploaded",
            document_id,
            serde_json::json!({
                "title": new.title, "file_name": new.file.file_name, "sha256": new.file.sha256,
                "size": new.file.size, "kind": new.file.kind.as_str(), "akte_id": new.akte_id,
            }),
        ),
    )
    .await?;
    Ok(document_id)
}

/// Adds a version to a document the user may edit; returns its number.
pub async fn add_version(
    conn: &mut SqliteConnection,
    user: &SessionUser,
    ip: Option<String>,
    document_id: i64,
    file: StoredFile<'_>,
) -> Result<i64, sqlx::Error> {
    let now = crate::time::now();
    insert_blob(conn, &file, now).await?;
    let number = insert_version(conn, document_id, &file, user.id, "", now).await?;
    touch(conn, document_id, now).await?;
    record(
        conn,
        entry(
            user,
            ip,
            "document_version_added",
            document_id,
            serde_json::json!({
                "version": number, "file_name": file.file_name, "sha256": file.sha256, "size": file.size,
            }),
        ),
    )
    .await?;
    Ok(number)
}

async fn touch(conn: &mut SqliteConnection, document_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE documents SET updated_at = ? WHERE id = ?")
        .bind(now)
        .bind(document_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// An own-municipality document that already holds this content.
pub async fn find_duplicate<'e, E>(
    executor: E,
    municipality_id: i64,
    sha256: &str,
) -> Result<Option<(i64, String)>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    sqlx::query_as(
        "SELECT d.id, d.title FROM documents d JOIN document_versions v ON v.document_id = d.id
         WHERE d.municipality_id = ? AND v.sha256 = ? AND d.trashed_at IS NULL
         ORDER BY d.id LIMIT 1",
    )
    .bind(municipality_id)
    .bind(sha256)
    .fetch_optional(executor)
    .await
}

/// Access to one document for a reader from `municipality_id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// The owning municipality: read and change.
    Owner,
    /// Shared through an Akte: read only.
    Shared,
}

/// How the municipality may reach the document, or `None` (unknown and
/// foreign look the same).
pub async fn access<'e, E>(
    executor: E,
    document_id: i64,
    municipality_id: i64,
) -> Result<Option<Access>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    let owner: Option<i64> = sqlx::query_scalar(concat!(
        "SELECT d.municipality_id FROM documents d WHERE d.id = ?2 AND ",
        crate::document_visible!("d", 1)
    ))
    .bind(municipality_id)
    .bind(document_id)
    .fetch_optional(executor)
    .await?;
    Ok(owner.map(|owner| {
        if owner == municipality_id {
            Access::Owner
        } else {
            Access::Shared
        }
    }))
}

/// The Posteingang: own documents not yet filed, newest first.
pub async fn inbox(
    pool: &SqlitePool,
    municipality_id: i64,
) -> Result<Vec<DocumentSummary>, sqlx::Error> {
    let rows = sqlx::query_as::<_, Row>(concat!(
        summary_select!(),
        "WHERE d.municipality_id = ? AND d.akte_id IS NULL AND d.trashed_at IS NULL
         ORDER BY d.created_at DESC, d.id DESC LIMIT 500"
    ))
    .bind(municipality_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(Row::summary).collect())
}

/// Documents filed in an Akte the caller has already checked access to.
pub async fn in_akte(pool: &SqlitePool, akte_id: i64) -> Result<Vec<DocumentSummary>, sqlx::Error> {
    let rows = sqlx::query_as::<_, Row>(concat!(
        summary_select!(),
        "WHERE d.akte_id = ? AND d.trashed_at IS NULL ORDER BY COALESCE(d.document_date, ''), d.id"
    ))
    .bind(akte_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(Row::summary).collect())
}

/// The trash of a municipality (or of all for a central administrator).
pub async fn trash(
    pool: &SqlitePool,
    municipality_id: Option<i64>,
) -> Result<Vec<(DocumentSummary, String)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Trashed {
        #[sqlx(flatten)]
        row: Row,
        trashed_by: String,
    }
    let rows = sqlx::query_as::<_, Trashed>(concat!(
        "SELECT x.*, tu.display_name AS trashed_by FROM (",
        summary_select!(),
        // All municipalities means the real ones: practice areas keep
        // their own trash.
        "WHERE d.trashed_at IS NOT NULL AND (d.municipality_id = ?1
               OR (?1 IS NULL AND d.municipality_id IN (SELECT id FROM municipalities WHERE practice_user_id IS NULL)))) x
         JOIN documents dd ON dd.id = x.id JOIN users tu ON tu.id = dd.trashed_by
         ORDER BY x.trashed_at DESC"
    ))
    .bind(municipality_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|t| {
            let when = t.row.trashed_at.map(display_exact).unwrap_or_default();
            (t.row.summary(), format!("{when}, {}", t.trashed_by))
        })
        .collect())
}

/// A document with its versions, if the municipality may see it.
pub async fn detail(
    pool: &SqlitePool,
    document_id: i64,
    municipality_id: i64,
) -> Result<Option<DocumentDetail>, sqlx::Error> {
    let Some(row) = sqlx::query_as::<_, Row>(concat!(
        summary_select!(),
        "WHERE d.id = ?2 AND ",
        crate::document_visible!("d", 1)
    ))
    .bind(municipality_id)
    .bind(document_id)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    #[derive(sqlx::FromRow)]
    struct V {
        number: i64,
        file_name: String,
        kind: String,
        size: i64,
        created_at: i64,
        created_by: String,
        note: String,
    }
    let versions = sqlx::query_as::<_, V>(
        "SELECT v.number, v.file_name, v.kind, v.size, v.created_at, u.display_name AS created_by, v.note
         FROM document_versions v JOIN users u ON u.id = v.created_by
         WHERE v.document_id = ? ORDER BY v.number DESC",
    )
    .bind(document_id)
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|v| {
        let kind = FileKind::parse(&v.kind);
        VersionView {
            number: v.number,
            file_name: v.file_name,
            kind_label: kind_label(&v.kind),
            size: v.size,
            created_at: display_exact(v.created_at),
            created_by: v.created_by,
            note: v.note,
            previewable: kind.is_some_and(|k| k.is_inline_previewable()),
            is_image: kind.is_some_and(|k| k.is_image()),
        }
    })
    .collect();
    Ok(Some(DocumentDetail {
        summary: row.summary(),
        notes: row.notes.clone(),
        versions,
        trashed: row.trashed_at.is_some(),
        may_edit: row.municipality_id == municipality_id,
    }))
}

/// What a download needs about one version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionFile {
    pub sha256: String,
    pub size: i64,
    pub kind: Option<FileKind>,
    pub file_name: String,
}

/// A version's file, if the municipality may see the document.
pub async fn version_file(
    pool: &SqlitePool,
    document_id: i64,
    number: Option<i64>,
    municipality_id: i64,
) -> Result<Option<VersionFile>, sqlx::Error> {
    let found: Option<(String, i64, String, String)> = sqlx::query_as(concat!(
        "SELECT v.sha256, v.size, v.kind, v.file_name FROM document_versions v
         JOIN documents d ON d.id = v.document_id
         WHERE v.document_id = ?2 AND v.number = COALESCE(?3, (SELECT MAX(number) FROM document_versions WHERE document_id = ?2))
           AND ",
        crate::document_visible!("d", 1)
    ))
    .bind(municipality_id)
    .bind(document_id)
    .bind(number)
    .fetch_optional(pool)
    .await?;
    Ok(found.map(|(sha256, size, kind, file_name)| VersionFile {
        sha256,
        size,
        kind: FileKind::parse(&kind),
        file_name,
    }))
}

/// Records a view or download in the audit trail.
pub async fn record_access(
    pool: &SqlitePool,
    user: &SessionUser,
    ip: Option<String>,
    action: &'static str,
    document_id: i64,
    version: Option<i64>,
) -> Result<(), sqlx::Error> {
    let mut tx = crate::db::begin_write(pool).await?;
    record(
        &mut tx,
        entry(
            user,
            ip,
            action,
            document_id,
            serde_json::json!({ "version": version }),
        ),
    )
    .await?;
    tx.commit().await
}

/// Saves new metadata of an own document.
pub async fn update_metadata(
    pool: &SqlitePool,
    user: &SessionUser,
    document_id: i64,
    meta: &CleanMetadata,
) -> Result<bool, sqlx::Error> {
    let mut tx = crate::db::begin_write(pool).await?;
    if access(&mut *tx, document_id, user.municipality.id).await? != Some(Access::Owner) {
        return Ok(false);
    }
    let now = crate::time::now();
    sqlx::query(
        "UPDATE documents SET title = ?, doc_type = ?, document_date = ?, correspondent = ?, notes = ?, updated_at = ?
         WHERE id = ?",
    )
    .bind(&meta.title)
    .bind(meta.doc_type.as_str())
    .bind(&meta.document_date)
    .bind(&meta.correspondent)
    .bind(&meta.notes)
    .bind(now)
    .bind(document_id)
    .execute(&mut *tx)
    .await?;
    set_tags(&mut tx, document_id, &meta.tags).await?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "document_metadata_changed",
            "document",
            document_id,
            serde_json::json!({
                "title": meta.title, "doc_type": meta.doc_type.as_str(), "document_date": meta.document_date,
                "correspondent": meta.correspondent, "tags": meta.tags,
            }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

async fn set_tags(
    conn: &mut SqliteConnection,
    document_id: i64,
    tags: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM document_tags WHERE document_id = ?")
        .bind(document_id)
        .execute(&mut *conn)
        .await?;
    for tag in tags {
        sqlx::query("INSERT OR IGNORE INTO document_tags (document_id, tag) VALUES (?, ?)")
            .bind(document_id)
            .bind(tag)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// One step of a bulk action on own documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BulkAction {
    /// Into an open Akte the user's municipality owns or shares.
    File {
        akte_id: i64,
    },
    AddTag(String),
    SetType(DocType),
    Trash,
    Untrash,
}

/// Applies one action to several own documents, all or nothing. Returns
/// how many changed; any id the user may not change refuses the whole set.
pub async fn bulk(
    pool: &SqlitePool,
    user: &SessionUser,
    document_ids: &[i64],
    action: &BulkAction,
) -> Result<Result<usize, BulkRefusal>, sqlx::Error> {
    let mut tx = crate::db::begin_write(pool).await?;
    let now = crate::time::now();
    if let BulkAction::File { akte_id } = action {
        let open: Option<String> = sqlx::query_scalar(
            "SELECT a.status FROM akten a WHERE a.id = ?2 AND (a.municipality_id = ?1
               OR EXISTS (SELECT 1 FROM akten_shares s WHERE s.akte_id = a.id AND s.municipality_id = ?1))",
        )
        .bind(user.municipality.id)
        .bind(akte_id)
        .fetch_optional(&mut *tx)
        .await?;
        match open.as_deref() {
            None => return Ok(Err(BulkRefusal::UnknownAkte)),
            Some("open") => {}
            Some(_) => return Ok(Err(BulkRefusal::AkteClosed)),
        }
    }
    let mut changed = 0;
    for &id in document_ids {
        let trashed: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT trashed_at FROM documents WHERE id = ? AND municipality_id = ?",
        )
        .bind(id)
        .bind(user.municipality.id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(trashed) = trashed else {
            return Ok(Err(BulkRefusal::UnknownDocument(id)));
        };
        let (sql, audit_action, details) = match action {
            BulkAction::File { akte_id } => {
                sqlx::query(
                    "UPDATE documents SET akte_id = ?, filed_at = ?, updated_at = ? WHERE id = ?",
                )
                .bind(akte_id)
                .bind(now)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                (
                    None,
                    "document_filed",
                    serde_json::json!({ "akte_id": akte_id }),
                )
            }
            BulkAction::AddTag(tag) => {
                sqlx::query("INSERT OR IGNORE INTO document_tags (document_id, tag) VALUES (?, ?)")
                    .bind(id)
                    .bind(tag)
                    .execute(&mut *tx)
                    .await?;
                (None, "document_tagged", serde_json::json!({ "tag": tag }))
            }
            BulkAction::SetType(doc_type) => (
                Some((
                    "UPDATE documents SET doc_type = ?, updated_at = ? WHERE id = ?",
                    doc_type.as_str(),
                )),
                "document_metadata_changed",
                serde_json::json!({ "doc_type": doc_type.as_str() }),
            ),
            BulkAction::Trash => {
                if trashed.is_some() {
                    continue;
                }
                sqlx::query("UPDATE documents SET trashed_at = ?, trashed_by = ?, updated_at = ? WHERE id = ?")
                    .bind(now)
                    .bind(user.id)
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                (None, "document_trashed", serde_json::json!({}))
            }
            BulkAction::Untrash => {
                if trashed.is_none() {
                    continue;
                }
                sqlx::query("UPDATE documents SET trashed_at = NULL, trashed_by = NULL, updated_at = ? WHERE id = ?")
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                (None, "document_restored", serde_json::json!({}))
            }
        };
        if let Some((sql, value)) = sql {
            sqlx::query(sql)
                .bind(value)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        record(
            &mut tx,
            NewEntry::by(user, audit_action, "document", id, details),
        )
        .await?;
        changed += 1;
    }
    tx.commit().await?;
    Ok(Ok(changed))
}

/// Why a bulk action was refused as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BulkRefusal {
    UnknownDocument(i64),
    UnknownAkte,
    AkteClosed,
}

/// Makes an old version the newest again (as a new version).
pub async fn restore_version(
    pool: &SqlitePool,
    user: &SessionUser,
    document_id: i64,
    number: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = crate::db::begin_write(pool).await?;
    if access(&mut *tx, document_id, user.municipality.id).await? != Some(Access::Owner) {
        return Ok(None);
    }
    let Some((sha256, size, kind, file_name)): Option<(String, i64, String, String)> = sqlx::query_as(
        "SELECT sha256, size, kind, file_name FROM document_versions WHERE document_id = ? AND number = ?",
    )
    .bind(document_id)
    .bind(number)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    let Some(kind) = FileKind::parse(&kind) else {
        return Ok(None);
    };
    let now = crate::time::now();
    let file = StoredFile {
        sha256: &sha256,
        size: u64::try_from(size).unwrap_or(0),
        kind,
        file_name: &file_name,
    };
    let new_number = insert_version(
        &mut tx,
        document_id,
        &file,
        user.id,
        &format!("Wiederhergestellt aus Version {number}"),
        now,
    )
    .await?;
    touch(&mut tx, document_id, now).await?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "document_version_restored",
            "document",
            document_id,
            serde_json::json!({ "from_version": number, "new_version": new_number }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(new_number))
}

/// Tables whose rows point at a document (`document_id`), children first.
/// Destroying a document deletes from each; a new table referring to
/// `documents` must be named here (a test compares this with the schema).
pub const DOCUMENT_REFERENCES: [&str; 2] = ["document_tags", "document_versions"];

/// Tables whose rows point at a document version (`version_id`).
pub const VERSION_REFERENCES: [&str; 2] = ["version_texts", "jobs"];

/// Tables whose rows use a stored file (`sha256`). A blob is destroyed
/// only when none of them uses it any more.
pub const BLOB_REFERENCES: [&str; 2] = ["document_versions", "guide_versions"];

/// Destroys documents for good with everything that hangs off them
/// (versions, found texts, jobs, tags); the delete triggers queue them for
/// removal from the search index. Returns the blob hashes their versions
/// used, for [`release_unused_blobs`] once the caller's other writes are
/// done. The audit trail keeps its entries: it records that they existed.
pub async fn destroy(conn: &mut SqliteConnection, ids: &[i64]) -> Result<Vec<String>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let json = serde_json::Value::from(ids).to_string();
    const DOCUMENTS: &str = "(SELECT value FROM json_each(?1))";
    let hashes: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT sha256 FROM document_versions WHERE document_id IN {DOCUMENTS}"
    ))
    .bind(&json)
    .fetch_all(&mut *conn)
    .await?;
    for table in VERSION_REFERENCES {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE version_id IN
             (SELECT id FROM document_versions WHERE document_id IN {DOCUMENTS})"
        ))
        .bind(&json)
        .execute(&mut *conn)
        .await?;
    }
    for table in DOCUMENT_REFERENCES {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE document_id IN {DOCUMENTS}"
        ))
        .bind(&json)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(&format!("DELETE FROM documents WHERE id IN {DOCUMENTS}"))
        .bind(&json)
        .execute(&mut *conn)
        .await?;
    Ok(hashes)
}

/// Is this stored file still used by anything (a document version of any
/// municipality or practice area, a Dienstanweisung's PDF)?
pub async fn blob_in_use(conn: &mut SqliteConnection, sha256: &str) -> Result<bool, sqlx::Error> {
    let sql = format!(
        "SELECT {}",
        BLOB_REFERENCES
            .map(|table| format!("EXISTS (SELECT 1 FROM {table} WHERE sha256 = ?1)"))
            .join(" OR ")
    );
    sqlx::query_scalar(&sql).bind(sha256).fetch_one(conn).await
}

/// Deletes the rows of those blobs nothing uses any more and returns
/// their hashes; the caller removes the files after the commit
/// ([`super::blobs::BlobStore::remove_files`]), holding the removal guard
/// from before this call, so no upload can start using one meanwhile.
pub async fn release_unused_blobs(
    conn: &mut SqliteConnection,
    candidates: impl IntoIterator<Item = String>,
) -> Result<Vec<String>, sqlx::Error> {
    let mut unused = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for sha in candidates {
        if !seen.insert(sha.clone()) || blob_in_use(&mut *conn, &sha).await? {
            continue;
        }
        sqlx::query("DELETE FROM blobs WHERE sha256 = ?")
            .bind(&sha)
            .execute(&mut *conn)
            .await?;
        unused.push(sha);
    }
    Ok(unused)
}

/// Destroys trashed documents for good (administration). Blobs nothing
/// else uses are removed from the database here and from disk by the
/// caller after the commit. Returns (documents, blob hashes now unused).
pub async fn empty_trash(
    pool: &SqlitePool,
    user: &SessionUser,
    municipality_id: Option<i64>,
) -> Result<(usize, Vec<String>), sqlx::Error> {
    let mut tx = crate::db::begin_write(pool).await?;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM documents WHERE trashed_at IS NOT NULL AND (municipality_id = ?1
         OR (?1 IS NULL AND municipality_id IN (SELECT id FROM municipalities WHERE practice_user_id IS NULL)))",
    )
    .bind(municipality_id)
    .fetch_all(&mut *tx)
    .await?;
    let used = destroy(&mut tx, &ids).await?;
    let unused = release_unused_blobs(&mut tx, used).await?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "trash_emptied",
            "document",
            "papierkorb",
            serde_json::json!({ "documents": ids, "municipality_id": municipality_id }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok((ids.len(), unused))
}
