//! The `jobs` table and the found texts (`version_texts`) belong to
//! processing alone: documents queue a new version through [`enqueue`]
//! inside their own transaction, and their destruction removes these rows
//! through [`forget_documents`]. Only SQL here; transactions and audit
//! entries of the administration's actions live in [`super::service`].

/// "Job `j` is not about a practice area": the administration's queue and
/// figures count real work only.
macro_rules! real_job {
    () => {
        "NOT EXISTS (SELECT 1 FROM document_versions pv JOIN documents pd ON pd.id = pv.document_id
                     JOIN municipalities pm ON pm.id = pd.municipality_id
                     WHERE pv.id = j.version_id AND pm.practice_user_id IS NOT NULL)"
    };
}

/// "Job `j` is about a document of municipality `?1`", or any real one
/// when `?1` is NULL (an administrator responsible for all).
macro_rules! job_in_scope {
    () => {
        concat!(
            real_job!(),
            " AND (?1 IS NULL OR EXISTS (SELECT 1 FROM document_versions sv JOIN documents sd ON sd.id = sv.document_id
                                        WHERE sv.id = j.version_id AND sd.municipality_id = ?1))"
        )
    };
}

use super::{QueueEntry, QueueOverview, TextState};
use crate::time::display_exact;
use sqlx::{SqliteConnection, SqlitePool};

/// A job a worker has taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimedJob {
    pub job_id: i64,
    pub version_id: i64,
    /// Including this attempt.
    pub attempts: i64,
    pub sha256: String,
    /// The stored file kind (`FileKind::as_str`).
    pub kind: String,
}

/// What extraction found, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundText {
    pub text: String,
    pub pages: i64,
    pub ocr_pages: i64,
    /// `text`, `ocr`, `mixed` or `none`.
    pub method: String,
}

/// Takes the oldest due job and marks it running; `None` when nothing is
/// due. Run inside the caller's write transaction, so that two workers never
/// take the same job.
pub async fn claim_next(
    conn: &mut SqliteConnection,
    now: i64,
) -> Result<Option<ClaimedJob>, sqlx::Error> {
    let claimed: Option<(i64, i64, i64)> = sqlx::query_as(
        "UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = ?1, updated_at = ?1
         WHERE id = (SELECT id FROM jobs WHERE status = 'pending' AND run_after <= ?1
                     AND kind = 'process_version' ORDER BY run_after, id LIMIT 1)
         RETURNING id, version_id, attempts",
    )
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((job_id, version_id, attempts)) = claimed else {
        return Ok(None);
    };
    let (sha256, kind): (String, String) =
        sqlx::query_as("SELECT sha256, kind FROM document_versions WHERE id = ?")
            .bind(version_id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(Some(ClaimedJob {
        job_id,
        version_id,
        attempts,
        sha256,
        kind,
    }))
}

/// Marks a running job done; `false` when the job is gone (its document was
/// destroyed while the worker read the file).
pub async fn close_done(
    conn: &mut SqliteConnection,
    job_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let closed = sqlx::query(
        "UPDATE jobs SET status = 'done', last_error = NULL, finished_at = ?, updated_at = ? WHERE id = ?",
    )
    .bind(now)
    .bind(now)
    .bind(job_id)
    .execute(&mut *conn)
    .await?;
    Ok(closed.rows_affected() > 0)
}

/// The document a version belongs to.
pub async fn document_of_version(
    conn: &mut SqliteConnection,
    version_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT document_id FROM document_versions WHERE id = ?")
        .bind(version_id)
        .fetch_optional(conn)
        .await
}

/// Stores (or replaces) the text found in a version.
pub async fn store_text(
    conn: &mut SqliteConnection,
    version_id: i64,
    found: &FoundText,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO version_texts (version_id, text, pages, ocr_pages, method, extracted_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (version_id) DO UPDATE SET text = excluded.text, pages = excluded.pages,
             ocr_pages = excluded.ocr_pages, method = excluded.method, extracted_at = excluded.extracted_at",
    )
    .bind(version_id)
    .bind(&found.text)
    .bind(found.pages)
    .bind(found.ocr_pages)
    .bind(&found.method)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes the outcome of a failed attempt (decided by
/// [`super::service::fail`]).
pub async fn record_failure(
    conn: &mut SqliteConnection,
    job_id: i64,
    outcome: &Failure<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE jobs SET status = ?, last_error = ?, run_after = ?, finished_at = ?, updated_at = ? WHERE id = ?",
    )
    .bind(outcome.status)
    .bind(outcome.reason)
    .bind(outcome.run_after)
    .bind(outcome.finished_at)
    .bind(now)
    .bind(job_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// How a failed attempt leaves its job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failure<'a> {
    /// `pending` (retried later) or `failed` (for good).
    pub status: &'a str,
    pub reason: &'a str,
    pub run_after: i64,
    pub finished_at: Option<i64>,
}

/// Jobs that were running when the server stopped go back to the queue; the
/// interrupted attempt does not count.
pub async fn requeue_interrupted(pool: &SqlitePool) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'pending', attempts = MAX(attempts - 1, 0), run_after = 0
         WHERE status = 'running'",
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// Queues a stored version for text extraction and thumbnails, in the
/// caller's transaction (the one that stores the version).
pub async fn enqueue(
    conn: &mut SqliteConnection,
    version_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO jobs (kind, version_id, created_at, updated_at) VALUES ('process_version', ?, ?, ?)",
    )
    .bind(version_id)
    .bind(now)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Tables of processing whose rows point at a document version
/// (`version_id`); destroying a version deletes from each.
pub const VERSION_TABLES: [&str; 2] = ["version_texts", "jobs"];

/// Deletes jobs and found texts of every version of the documents in the
/// JSON array `document_ids`, in the caller's transaction.
pub async fn forget_documents(
    conn: &mut SqliteConnection,
    document_ids: &str,
) -> Result<(), sqlx::Error> {
    for table in VERSION_TABLES {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE version_id IN
             (SELECT id FROM document_versions WHERE document_id IN (SELECT value FROM json_each(?1)))"
        ))
        .bind(document_ids)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Queues the newest version of a document again (the "reprocess" action).
/// A job already waiting or running for it is reused. Returns false when the
/// document has no version.
pub async fn reprocess_document(
    conn: &mut SqliteConnection,
    document_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let version: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM document_versions WHERE document_id = ? ORDER BY number DESC LIMIT 1",
    )
    .bind(document_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((version_id,)) = version else {
        return Ok(false);
    };
    let open: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM jobs WHERE version_id = ? AND status IN ('pending', 'running') LIMIT 1",
    )
    .bind(version_id)
    .fetch_optional(&mut *conn)
    .await?;
    match open {
        Some((job_id,)) => {
            sqlx::query(
                "UPDATE jobs SET run_after = 0, updated_at = ? WHERE id = ? AND status = 'pending'",
            )
            .bind(now)
            .bind(job_id)
            .execute(&mut *conn)
            .await?;
        }
        None => enqueue(conn, version_id, now).await?,
    }
    Ok(true)
}

/// Puts every job that failed for good back into the queue: those of
/// `municipality_id`, or of every real municipality for `None`.
pub async fn retry_failed(
    conn: &mut SqliteConnection,
    now: i64,
    municipality_id: Option<i64>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        concat!(
            "UPDATE jobs AS j SET status = 'pending', attempts = 0, run_after = 0, updated_at = ?2 WHERE status = 'failed' AND ",
            job_in_scope!()
        ),
    )
    .bind(municipality_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The state of a document's newest version.
pub async fn text_state(pool: &SqlitePool, document_id: i64) -> Result<TextState, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        version_id: i64,
        text_pages: Option<i64>,
        ocr_pages: Option<i64>,
        method: Option<String>,
        job_status: Option<String>,
        attempts: Option<i64>,
        last_error: Option<String>,
        run_after: Option<i64>,
        queued_for_index: i64,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT v.id AS version_id, t.pages AS text_pages, t.ocr_pages, t.method,
                j.status AS job_status, j.attempts, j.last_error, j.run_after,
                EXISTS (SELECT 1 FROM search_outbox o WHERE o.document_id = v.document_id) AS queued_for_index
         FROM document_versions v
         LEFT JOIN version_texts t ON t.version_id = v.id
         LEFT JOIN jobs j ON j.id = (SELECT MAX(id) FROM jobs WHERE version_id = v.id)
         WHERE v.document_id = ? ORDER BY v.number DESC LIMIT 1",
    )
    .bind(document_id)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(TextState::Waiting);
    };
    let _ = row.version_id;
    Ok(match row.job_status.as_deref() {
        Some("running") => TextState::Running,
        Some("pending") if row.attempts.unwrap_or(0) > 0 => TextState::Retrying {
            attempt: row.attempts.unwrap_or(0),
            next_at: display_exact(row.run_after.unwrap_or(0)),
            reason: row.last_error.unwrap_or_default(),
        },
        Some("pending") => TextState::Waiting,
        Some("failed") => TextState::Failed {
            reason: row.last_error.unwrap_or_default(),
        },
        _ => match (row.text_pages, row.method) {
            (Some(pages), Some(method)) if row.queued_for_index == 0 => TextState::Searchable {
                pages,
                ocr_pages: row.ocr_pages.unwrap_or(0),
                method,
            },
            (Some(_), Some(_)) => TextState::Indexing,
            _ => TextState::Waiting,
        },
    })
}

/// Counts and the jobs worth looking at, for the administration of
/// `municipality_id`, or of every real municipality for `None`.
pub async fn overview(
    pool: &SqlitePool,
    limit: i64,
    municipality_id: Option<i64>,
) -> Result<QueueOverview, sqlx::Error> {
    let counts: Vec<(String, i64)> = sqlx::query_as(concat!(
        "SELECT status, COUNT(*) FROM jobs j WHERE ",
        job_in_scope!(),
        " GROUP BY status"
    ))
    .bind(municipality_id)
    .fetch_all(pool)
    .await?;
    let mut result = QueueOverview::default();
    for (status, count) in counts {
        match status.as_str() {
            "pending" => result.counts.pending = count,
            "running" => result.counts.running = count,
            "done" => result.counts.done = count,
            "failed" => result.counts.failed = count,
            _ => {}
        }
    }
    let (ocr_pages,): (i64,) =
        sqlx::query_as(
            "SELECT COALESCE(SUM(t.ocr_pages), 0) FROM version_texts t
             JOIN document_versions v ON v.id = t.version_id JOIN documents d ON d.id = v.document_id
             JOIN municipalities m ON m.id = d.municipality_id
             WHERE m.practice_user_id IS NULL AND (?1 IS NULL OR d.municipality_id = ?1)",
        )
            .bind(municipality_id)
            .fetch_one(pool)
            .await?;
    result.counts.ocr_pages = ocr_pages;
    #[derive(sqlx::FromRow)]
    struct Row {
        job_id: i64,
        document_id: i64,
        version: i64,
        municipality_code: String,
        kind: String,
        size: i64,
        status: String,
        attempts: i64,
        last_error: Option<String>,
        created_at: i64,
        run_after: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT j.id AS job_id, v.document_id, v.number AS version, m.code AS municipality_code,
                v.kind, v.size, j.status, j.attempts, j.last_error, j.created_at, j.run_after
         FROM jobs j
         JOIN document_versions v ON v.id = j.version_id
         JOIN documents d ON d.id = v.document_id
         JOIN municipalities m ON m.id = d.municipality_id
         WHERE j.status != 'done' AND m.practice_user_id IS NULL AND (?1 IS NULL OR d.municipality_id = ?1)
         ORDER BY CASE j.status WHEN 'failed' THEN 0 WHEN 'running' THEN 1 ELSE 2 END, j.id
         LIMIT ?2",
    )
    .bind(municipality_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    result.entries = rows
        .into_iter()
        .map(|row| QueueEntry {
            job_id: row.job_id,
            document_id: row.document_id,
            version: row.version,
            municipality_code: row.municipality_code,
            file_kind: row.kind,
            size: row.size,
            when: display_exact(if row.status == "pending" && row.run_after > 0 {
                row.run_after
            } else {
                row.created_at
            }),
            status: row.status,
            attempts: row.attempts,
            last_error: row.last_error,
        })
        .collect();
    Ok(result)
}

/// The newest text found for a document (of the newest version that has one).
pub async fn found_text(
    pool: &SqlitePool,
    document_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT t.text FROM version_texts t JOIN document_versions v ON v.id = t.version_id
         WHERE v.document_id = ? ORDER BY v.number DESC LIMIT 1",
    )
    .bind(document_id)
    .fetch_optional(pool)
    .await
}
