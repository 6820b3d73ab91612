//! SQL for documents, versions and tags. Every read takes the reader's
//! municipality and answers "not found" for what it may not see, so ids
//! cannot be probed. Transactions, audit entries and the processing job a
//! new version needs belong to the use cases in [`super::service`].

use super::filetype::FileKind;
use super::{
    AkteRef, CleanMetadata, DocType, DocumentDetail, DocumentSummary, LinkedDocument, VersionView,
    VorgangRef,
};
use crate::time::display_exact;
use sqlx::{SqliteConnection, SqlitePool};

/// Columns of [`Row`], with the newest version joined in.
macro_rules! summary_select {
    () => {
        "SELECT d.id, d.title, d.doc_type, d.document_date, d.correspondent, d.created_at,
                d.municipality_id, d.trashed_at, d.notes,
                u.display_name || COALESCE(' über ' || d.arrived_via, '') AS uploaded_by, v.kind, v.size,
                (SELECT COUNT(*) FROM document_versions c WHERE c.document_id = d.id) AS versions,
                a.id AS akte_id, a.aktenzeichen, a.title AS akte_title,
                vg.id AS vorgang_id, vg.zeichen AS vorgang_zeichen, vg.title AS vorgang_title,
                (SELECT group_concat(t.tag, char(31)) FROM document_tags t WHERE t.document_id = d.id) AS tags
         FROM documents d
         JOIN users u ON u.id = d.created_by
         JOIN document_versions v ON v.document_id = d.id
              AND v.number = (SELECT MAX(number) FROM document_versions m WHERE m.document_id = d.id)
         LEFT JOIN akten a ON a.id = d.akte_id
         LEFT JOIN vorgaenge vg ON vg.id = d.vorgang_id "
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
    vorgang_id: Option<i64>,
    vorgang_zeichen: Option<String>,
    vorgang_title: Option<String>,
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
            vorgang: match (self.vorgang_id, &self.vorgang_zeichen, &self.vorgang_title) {
                (Some(id), Some(zeichen), Some(title)) => Some(VorgangRef {
                    id,
                    zeichen: zeichen.clone(),
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
    pub user: &'a crate::auth::SessionUser,
    pub ip: Option<String>,
    pub akte_id: Option<i64>,
    /// A Vorgang of that Akte.
    pub vorgang_id: Option<i64>,
    pub title: &'a str,
    pub file: StoredFile<'a>,
    /// How it arrived when not through the person's browser
    /// („Scan-Ordner „Poststelle““).
    pub arrived_via: Option<&'a str>,
}

/// A version's file, already on disk at its hash.
pub struct StoredFile<'a> {
    pub sha256: &'a str,
    pub size: u64,
    pub kind: FileKind,
    pub file_name: &'a str,
}

/// The rows a new version got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewVersion {
    pub document_id: i64,
    pub version_id: i64,
    pub number: i64,
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
) -> Result<NewVersion, sqlx::Error> {
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
    Ok(NewVersion {
        document_id,
        version_id,
        number,
    })
}

/// Inserts the document, its first version and the blob row.
pub async fn insert_document(
    conn: &mut SqliteConnection,
    new: &NewDocument<'_>,
    now: i64,
) -> Result<NewVersion, sqlx::Error> {
    insert_blob(conn, &new.file, now).await?;
    let document_id = sqlx::query(
        "INSERT INTO documents (municipality_id, akte_id, vorgang_id, title, created_by, created_at, updated_at, filed_at,
                                arrived_via)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(new.user.municipality.id)
    .bind(new.akte_id)
    .bind(new.vorgang_id)
    .bind(new.title)
    .bind(new.user.id)
    .bind(now)
    .bind(now)
    .bind(new.akte_id.map(|_| now))
    .bind(new.arrived_via)
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    insert_version(conn, document_id, &new.file, new.user.id, "", now).await
}

/// Adds a version (and its blob row) to a document and marks the document
/// changed.
pub async fn insert_next_version(
    conn: &mut SqliteConnection,
    document_id: i64,
    file: &StoredFile<'_>,
    user_id: i64,
    note: &str,
    now: i64,
) -> Result<NewVersion, sqlx::Error> {
    insert_blob(conn, file, now).await?;
    let version = insert_version(conn, document_id, file, user_id, note, now).await?;
    touch(conn, document_id, now).await?;
    Ok(version)
}

async fn touch(conn: &mut SqliteConnection, document_id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE documents SET updated_at = ? WHERE id = ?")
        .bind(now)
        .bind(document_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The title of a document.
pub async fn title(conn: &mut SqliteConnection, document_id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT title FROM documents WHERE id = ?")
        .bind(document_id)
        .fetch_one(conn)
        .await
}

/// One stored version's file, as recorded (`None` when there is no such
/// version).
pub async fn version_row(
    conn: &mut SqliteConnection,
    document_id: i64,
    number: i64,
) -> Result<Option<(String, i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT sha256, size, kind, file_name FROM document_versions WHERE document_id = ? AND number = ?",
    )
    .bind(document_id)
    .bind(number)
    .fetch_optional(conn)
    .await
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

/// Documents filed in a Vorgang the caller has already checked access to.
pub async fn in_vorgang(
    pool: &SqlitePool,
    vorgang_id: i64,
) -> Result<Vec<DocumentSummary>, sqlx::Error> {
    let rows = sqlx::query_as::<_, Row>(concat!(
        summary_select!(),
        "WHERE d.vorgang_id = ? AND d.trashed_at IS NULL ORDER BY COALESCE(d.document_date, ''), d.id"
    ))
    .bind(vorgang_id)
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
        "WHERE d.trashed_at IS NOT NULL AND ",
        crate::in_admin_scope!("d", 1),
        ") x
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
        linked: linked(pool, document_id, municipality_id).await?,
    }))
}

/// The e-mail a document came with and its own attachments, each openable
/// only where the municipality may see it.
async fn linked(
    pool: &SqlitePool,
    document_id: i64,
    municipality_id: i64,
) -> Result<Vec<LinkedDocument>, sqlx::Error> {
    let rows: Vec<(bool, String, Option<i64>, Option<String>)> = sqlx::query_as(concat!(
        "SELECT 1, m.title, CASE WHEN ",
        crate::document_visible!("m", 1),
        " THEN m.id END, NULL
         FROM dokument_anhaenge a JOIN documents m ON m.id = a.document_id
         WHERE a.anhang_id = ?2
         UNION ALL
         SELECT 0, COALESCE(d.title, a.file_name), CASE WHEN ",
        crate::document_visible!("d", 1),
        " THEN d.id END, a.refusal
         FROM dokument_anhaenge a LEFT JOIN documents d ON d.id = a.anhang_id
         WHERE a.document_id = ?2"
    ))
    .bind(municipality_id)
    .bind(document_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(is_message, name, document_id, refusal)| LinkedDocument {
            is_message,
            name,
            document_id,
            refusal,
        })
        .collect())
}

/// Sets what an arriving e-mail says of itself: its subject as title,
/// its sender and the day it was sent.
pub async fn describe_arrival(
    conn: &mut SqliteConnection,
    document_id: i64,
    title: &str,
    correspondent: &str,
    document_date: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE documents SET title = ?, correspondent = ?, document_date = ? WHERE id = ?")
        .bind(title)
        .bind(correspondent)
        .bind(document_date)
        .bind(document_id)
        .execute(conn)
        .await
        .map(drop)
}

/// The attachment positions of an e-mail already linked.
pub async fn linked_positions(pool: &SqlitePool, message_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT position FROM dokument_anhaenge WHERE document_id = ? ORDER BY position",
    )
    .bind(message_id)
    .fetch_all(pool)
    .await
}

/// Links an e-mail's attachment at `position`: the document it became,
/// or why it was refused.
pub async fn link_attachment(
    pool: &SqlitePool,
    message_id: i64,
    position: i64,
    file_name: &str,
    outcome: Result<i64, &str>,
) -> Result<(), sqlx::Error> {
    let (anhang, refusal) = match outcome {
        Ok(id) => (Some(id), None),
        Err(reason) => (None, Some(reason)),
    };
    sqlx::query(
        "INSERT INTO dokument_anhaenge (document_id, position, file_name, anhang_id, refusal)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (document_id, position) DO NOTHING",
    )
    .bind(message_id)
    .bind(position)
    .bind(file_name)
    .bind(anhang)
    .bind(refusal)
    .execute(pool)
    .await
    .map(drop)
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

/// Saves new metadata of a document.
pub async fn update_metadata(
    conn: &mut SqliteConnection,
    document_id: i64,
    meta: &CleanMetadata,
    now: i64,
) -> Result<(), sqlx::Error> {
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
    .execute(&mut *conn)
    .await?;
    set_tags(conn, document_id, &meta.tags).await
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
        add_tag(conn, document_id, tag).await?;
    }
    Ok(())
}

/// Whether an own document is in the trash: `None` when the municipality
/// owns no such document, else when it was trashed.
pub async fn own_trashed_at(
    conn: &mut SqliteConnection,
    document_id: i64,
    municipality_id: i64,
) -> Result<Option<Option<i64>>, sqlx::Error> {
    sqlx::query_scalar("SELECT trashed_at FROM documents WHERE id = ? AND municipality_id = ?")
        .bind(document_id)
        .bind(municipality_id)
        .fetch_optional(conn)
        .await
}

/// Whether a document lies in a closed Akte or a Vorgang zdA: its place
/// is then part of a finished record and stays as it is.
pub async fn in_closed_record(
    conn: &mut SqliteConnection,
    document_id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM documents d
                         LEFT JOIN akten a ON a.id = d.akte_id
                         LEFT JOIN vorgaenge v ON v.id = d.vorgang_id
                         WHERE d.id = ? AND (a.status = 'closed' OR v.status = 'closed'))",
    )
    .bind(document_id)
    .fetch_one(conn)
    .await
}

/// Files a document into an Akte, directly or into one of its Vorgänge
/// (`vorgang_id`). Filed directly, it leaves any Vorgang it was in.
pub async fn file_into(
    conn: &mut SqliteConnection,
    document_id: i64,
    akte_id: i64,
    vorgang_id: Option<i64>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE documents SET vorgang_id = ?, akte_id = ?, filed_at = ?, updated_at = ?
         WHERE id = ?",
    )
    .bind(vorgang_id)
    .bind(akte_id)
    .bind(now)
    .bind(now)
    .bind(document_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn add_tag(
    conn: &mut SqliteConnection,
    document_id: i64,
    tag: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT OR IGNORE INTO document_tags (document_id, tag) VALUES (?, ?)")
        .bind(document_id)
        .bind(tag)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_type(
    conn: &mut SqliteConnection,
    document_id: i64,
    doc_type: DocType,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE documents SET doc_type = ?, updated_at = ? WHERE id = ?")
        .bind(doc_type.as_str())
        .bind(now)
        .bind(document_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves a document into the trash.
pub async fn trash_one(
    conn: &mut SqliteConnection,
    document_id: i64,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE documents SET trashed_at = ?, trashed_by = ?, updated_at = ? WHERE id = ?")
        .bind(now)
        .bind(user_id)
        .bind(now)
        .bind(document_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Takes a document out of the trash.
pub async fn untrash_one(
    conn: &mut SqliteConnection,
    document_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE documents SET trashed_at = NULL, trashed_by = NULL, updated_at = ? WHERE id = ?",
    )
    .bind(now)
    .bind(document_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Tables whose rows point at a document (`document_id`), children first.
/// Destroying a document deletes from each; a new table referring to
/// `documents` must be named here (a test compares this with the schema).
/// Wiedervorlagen and Zuweisungen of a destroyed document go with it:
/// there is nothing left to come back to.
/// A destroyed document's Laufwege go too, their steps first (see
/// [`destroy`]); so does the Scan-Ordner's note of the file it came from
/// (the same file delivered again is then a new document).
pub const DOCUMENT_REFERENCES: [&str; 8] = [
    "ablagevorschlaege",
    "dokument_anhaenge",
    "laufwege",
    "scan_dateien",
    "wiedervorlagen",
    "zuweisungen",
    "document_tags",
    "document_versions",
];

/// Tables whose rows point at a document version (`version_id`): all
/// processing's, which removes them itself.
pub const VERSION_REFERENCES: [&str; 2] = crate::processing::storage::VERSION_TABLES;

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
    crate::processing::storage::forget_documents(conn, &json).await?;
    sqlx::query(&format!(
        "DELETE FROM laufweg_schritte WHERE laufweg_id IN
           (SELECT id FROM laufwege WHERE document_id IN {DOCUMENTS})"
    ))
    .bind(&json)
    .execute(&mut *conn)
    .await?;
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

/// The trashed documents of a municipality, or of every real one for
/// `None`.
pub async fn trashed_ids(
    conn: &mut SqliteConnection,
    municipality_id: Option<i64>,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(concat!(
        "SELECT d.id FROM documents d WHERE d.trashed_at IS NOT NULL AND ",
        crate::in_admin_scope!("d", 1)
    ))
    .bind(municipality_id)
    .fetch_all(conn)
    .await
}
