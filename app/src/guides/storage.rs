//! SQL for the library of Dienstanweisungen and Leitfäden.
//!
//! Acknowledgement follows the newest version that requires it: whoever
//! acknowledged that version or a later one is done; a later version that
//! only fixes a typo (no acknowledgement required) asks nobody again.

use super::{GuideKind, GuideSummary, ValidGuide, VersionView};
use crate::auth::SessionUser;
use crate::time::display;
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;

/// SQL: the number of guide `g`'s newest version that requires acknowledgement.
const ACK_NUMBER: &str =
    "(SELECT MAX(number) FROM guide_versions r WHERE r.guide_id = g.id AND r.requires_ack = 1)";

/// A new guide without versions; returns its id.
pub async fn create(
    conn: &mut SqliteConnection,
    author_id: i64,
    guide: &ValidGuide,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO guides (kind, title, summary, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(guide.kind.as_str())
    .bind(&guide.title)
    .bind(&guide.summary)
    .bind(author_id)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    write_screens(conn, id, &guide.screens).await?;
    Ok(id)
}

async fn write_screens(
    conn: &mut SqliteConnection,
    id: i64,
    screens: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM guide_screens WHERE guide_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for screen in screens {
        sqlx::query("INSERT INTO guide_screens (guide_id, screen) VALUES (?, ?)")
            .bind(id)
            .bind(screen)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Changes title, kind, summary and screens; `false` if there is no such guide.
pub async fn update(
    conn: &mut SqliteConnection,
    id: i64,
    guide: &ValidGuide,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE guides SET kind = ?, title = ?, summary = ?, updated_at = ? WHERE id = ?",
    )
    .bind(guide.kind.as_str())
    .bind(&guide.title)
    .bind(&guide.summary)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(false);
    }
    write_screens(conn, id, &guide.screens).await?;
    Ok(true)
}

/// Removes a guide with its versions; returns its title, `None` if there
/// was no such guide.
pub async fn delete(conn: &mut SqliteConnection, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("DELETE FROM guides WHERE id = ? RETURNING title")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// The content of a new version: Markdown text or a stored PDF.
pub enum Content<'a> {
    Markdown(&'a str),
    Pdf {
        sha256: &'a str,
        size: u64,
        file_name: &'a str,
    },
}

impl Content<'_> {
    /// How the version is stored: `markdown` or `pdf`.
    pub fn format(&self) -> &'static str {
        match self {
            Content::Markdown(_) => "markdown",
            Content::Pdf { .. } => "pdf",
        }
    }
}

/// Adds the next version by `author`; `None` if the guide does not exist.
/// Returns the new version's number.
pub async fn add_version(
    conn: &mut SqliteConnection,
    author: &SessionUser,
    guide_id: i64,
    content: Content<'_>,
    change_note: &str,
    requires_ack: bool,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM guides WHERE id = ?")
        .bind(guide_id)
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_none() {
        return Ok(None);
    }
    let number: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM guide_versions WHERE guide_id = ?",
    )
    .bind(guide_id)
    .fetch_one(&mut *conn)
    .await?;
    let format = content.format();
    let (body, sha, size, name) = match content {
        Content::Markdown(body) => (Some(body), None, None, None),
        Content::Pdf {
            sha256,
            size,
            file_name,
        } => {
            let size = i64::try_from(size).unwrap_or(i64::MAX);
            sqlx::query("INSERT OR IGNORE INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)")
                .bind(sha256)
                .bind(size)
                .bind(now)
                .execute(&mut *conn)
                .await?;
            (None, Some(sha256), Some(size), Some(file_name))
        }
    };
    sqlx::query(
        "INSERT INTO guide_versions (guide_id, number, format, body, sha256, file_name, size,
                                     change_note, requires_ack, author_id, author_name, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(guide_id)
    .bind(number)
    .bind(format)
    .bind(body)
    .bind(sha)
    .bind(name)
    .bind(size)
    .bind(change_note)
    .bind(requires_ack)
    .bind(author.id)
    .bind(&author.display_name)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE guides SET updated_at = ? WHERE id = ?")
        .bind(now)
        .bind(guide_id)
        .execute(&mut *conn)
        .await?;
    Ok(Some(number))
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    kind: String,
    title: String,
    summary: String,
    updated_at: i64,
    version: Option<i64>,
    format: Option<String>,
    open_ack: bool,
}

/// The library; guides without any version only for the project team.
pub async fn list(
    pool: &SqlitePool,
    user_id: i64,
    with_drafts: bool,
) -> Result<Vec<GuideSummary>, sqlx::Error> {
    let sql = format!(
        "SELECT g.id, g.kind, g.title, g.summary, g.updated_at,
                (SELECT MAX(number) FROM guide_versions v WHERE v.guide_id = g.id) AS version,
                (SELECT format FROM guide_versions v WHERE v.guide_id = g.id ORDER BY number DESC LIMIT 1) AS format,
                ({ACK_NUMBER} IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM guide_acknowledgements a JOIN guide_versions w ON w.id = a.version_id
                    WHERE w.guide_id = g.id AND w.number >= {ACK_NUMBER} AND a.user_id = ?1)) AS open_ack
         FROM guides g ORDER BY g.kind, g.title COLLATE NOCASE"
    );
    let rows = sqlx::query_as::<_, SummaryRow>(&sql)
        .bind(user_id)
        .fetch_all(pool)
        .await?;
    let screens = all_screens(pool).await?;
    Ok(rows
        .into_iter()
        .filter(|r| with_drafts || r.version.is_some())
        .map(|r| GuideSummary {
            screens: screens.get(&r.id).cloned().unwrap_or_default(),
            id: r.id,
            kind: GuideKind::parse(&r.kind).unwrap_or(GuideKind::Leitfaden),
            title: r.title,
            summary: r.summary,
            version: r.version.unwrap_or(0),
            updated: display(r.updated_at),
            is_pdf: r.format.as_deref() == Some("pdf"),
            open_ack: r.open_ack,
        })
        .collect())
}

async fn all_screens(pool: &SqlitePool) -> Result<HashMap<i64, Vec<String>>, sqlx::Error> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT guide_id, screen FROM guide_screens ORDER BY screen")
            .fetch_all(pool)
            .await?;
    let mut map: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, screen) in rows {
        map.entry(id).or_default().push(screen);
    }
    Ok(map)
}

pub struct Meta {
    pub kind: GuideKind,
    pub title: String,
    pub summary: String,
    pub screens: Vec<String>,
}

pub async fn meta(pool: &SqlitePool, id: i64) -> Result<Option<Meta>, sqlx::Error> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT kind, title, summary FROM guides WHERE id = ?")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    let Some((kind, title, summary)) = row else {
        return Ok(None);
    };
    let screens =
        sqlx::query_scalar("SELECT screen FROM guide_screens WHERE guide_id = ? ORDER BY screen")
            .bind(id)
            .fetch_all(pool)
            .await?;
    Ok(Some(Meta {
        kind: GuideKind::parse(&kind).unwrap_or(GuideKind::Leitfaden),
        title,
        summary,
        screens,
    }))
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    id: i64,
    number: i64,
    body: Option<String>,
    file_name: Option<String>,
    size: Option<i64>,
    change_note: String,
    requires_ack: bool,
    created_at: i64,
    author_name: String,
}

/// Versions, newest first.
pub async fn versions(pool: &SqlitePool, id: i64) -> Result<Vec<VersionView>, sqlx::Error> {
    let rows = sqlx::query_as::<_, VersionRow>(
        "SELECT id, number, body, file_name, size, change_note, requires_ack, created_at, author_name
         FROM guide_versions WHERE guide_id = ? ORDER BY number DESC",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| VersionView {
            id: r.id,
            number: r.number,
            body_html: r.body.as_deref().map(crate::markdown::render),
            body: r.body,
            file_name: r.file_name,
            size: r.size,
            change_note: r.change_note,
            requires_ack: r.requires_ack,
            created: display(r.created_at),
            author_name: r.author_name,
        })
        .collect())
}

/// Acknowledgements that count for the version numbered `from` or later:
/// the first time per person.
pub async fn acknowledgements_since(
    pool: &SqlitePool,
    guide_id: i64,
    from: i64,
) -> Result<HashMap<i64, i64>, sqlx::Error> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT a.user_id, MIN(a.acknowledged_at) FROM guide_acknowledgements a
         JOIN guide_versions v ON v.id = a.version_id
         WHERE v.guide_id = ? AND v.number >= ? GROUP BY a.user_id",
    )
    .bind(guide_id)
    .bind(from)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Records the acknowledgement of `version_id` (kept at the first time).
pub async fn acknowledge(
    conn: &mut SqliteConnection,
    user_id: i64,
    version_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT OR IGNORE INTO guide_acknowledgements (version_id, user_id, acknowledged_at) VALUES (?, ?, ?)",
    )
    .bind(version_id)
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A version the person still has to acknowledge.
pub struct OpenAck {
    pub guide_id: i64,
    pub kind: GuideKind,
    pub title: String,
    pub number: i64,
}

pub async fn open_acknowledgements(
    pool: &SqlitePool,
    user_id: i64,
) -> Result<Vec<OpenAck>, sqlx::Error> {
    let sql = format!(
        "SELECT g.id, g.kind, g.title, {ACK_NUMBER} AS number FROM guides g
         WHERE {ACK_NUMBER} IS NOT NULL AND NOT EXISTS (
             SELECT 1 FROM guide_acknowledgements a JOIN guide_versions w ON w.id = a.version_id
             WHERE w.guide_id = g.id AND w.number >= {ACK_NUMBER} AND a.user_id = ?)
         ORDER BY g.updated_at DESC"
    );
    let rows: Vec<(i64, String, String, i64)> =
        sqlx::query_as(&sql).bind(user_id).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|(guide_id, kind, title, number)| OpenAck {
            guide_id,
            kind: GuideKind::parse(&kind).unwrap_or(GuideKind::Leitfaden),
            title,
            number,
        })
        .collect())
}

/// The guide linked to `screen` whose newest version is the most recent.
pub async fn newest_for_screen(
    pool: &SqlitePool,
    screen: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT s.guide_id FROM guide_screens s
         JOIN guide_versions v ON v.guide_id = s.guide_id
         WHERE s.screen = ? GROUP BY s.guide_id ORDER BY MAX(v.created_at) DESC, MAX(v.id) DESC LIMIT 1",
    )
    .bind(screen)
    .fetch_optional(pool)
    .await
}

/// A PDF version's file: (sha256, file name, size).
pub async fn version_file(
    pool: &SqlitePool,
    version_id: i64,
) -> Result<Option<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT sha256, COALESCE(file_name, 'dokument.pdf'), COALESCE(size, 0) FROM guide_versions
         WHERE id = ? AND format = 'pdf' AND sha256 IS NOT NULL",
    )
    .bind(version_id)
    .fetch_optional(pool)
    .await
}
