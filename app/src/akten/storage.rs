//! SQL for Akten. Every read is limited to what the user's municipality may
//! see: its own Akten and those explicitly shared with it.

use super::{aktenzeichen, AkteStatus, AkteSummary};
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    aktenzeichen: String,
    title: String,
    status: String,
    opened_on: String,
    responsible: String,
}

impl Row {
    fn into_summary(self) -> AkteSummary {
        AkteSummary {
            id: self.id,
            aktenzeichen: self.aktenzeichen,
            title: self.title,
            status: AkteStatus::parse(&self.status).unwrap_or(AkteStatus::Open),
            opened_on: self.opened_on,
            responsible: self.responsible,
        }
    }
}

/// Number of visible Akten per position.
pub async fn counts_by_position(
    pool: &SqlitePool,
    municipality_id: i64,
) -> Result<HashMap<i64, i64>, sqlx::Error> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(concat!(
        "SELECT a.position_id, COUNT(*) FROM akten a WHERE ",
        crate::akte_visible!("a", 1),
        " GROUP BY a.position_id"
    ))
    .bind(municipality_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().collect())
}

/// The visible Akten of a plan position, newest first, with their
/// Vorgänge counted.
pub async fn list_for_position(
    pool: &SqlitePool,
    position_id: i64,
    municipality_id: i64,
) -> Result<Vec<super::AkteListed>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Listed {
        #[sqlx(flatten)]
        row: Row,
        vorgaenge: i64,
        vorgaenge_open: i64,
    }
    let rows = sqlx::query_as::<_, Listed>(concat!(
        "SELECT a.id, a.aktenzeichen, a.title, a.status, a.opened_on, a.responsible,
                (SELECT COUNT(*) FROM vorgaenge v WHERE v.akte_id = a.id) AS vorgaenge,
                (SELECT COUNT(*) FROM vorgaenge v WHERE v.akte_id = a.id AND v.status <> 'closed')
                    AS vorgaenge_open
         FROM akten a WHERE a.position_id = ?2 AND ",
        crate::akte_visible!("a", 1),
        " ORDER BY a.running_number DESC LIMIT 200"
    ))
    .bind(municipality_id)
    .bind(position_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|l| super::AkteListed {
            akte: l.row.into_summary(),
            vorgaenge: l.vorgaenge,
            vorgaenge_open: l.vorgaenge_open,
        })
        .collect())
}

/// Open Akten of the municipality (or shared with it) whose Aktenzeichen
/// or title contains `query`, for filing documents.
pub async fn find_open(
    pool: &SqlitePool,
    municipality_id: i64,
    query: &str,
    limit: i64,
) -> Result<Vec<super::AkteRef>, sqlx::Error> {
    let pattern = crate::db::contains_pattern(query);
    let rows: Vec<(i64, String, String)> = sqlx::query_as(concat!(
        "SELECT a.id, a.aktenzeichen, a.title FROM akten a
         WHERE a.status = 'open' AND (a.aktenzeichen LIKE ?2 ESCAPE '\\' OR a.title LIKE ?2 ESCAPE '\\') AND ",
        crate::akte_visible!("a", 1),
        " ORDER BY a.created_at DESC LIMIT ?3"
    ))
    .bind(municipality_id)
    .bind(pattern)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, aktenzeichen, title)| super::AkteRef {
            id,
            aktenzeichen,
            title,
        })
        .collect())
}

/// The Akte, if the municipality may see it. Unknown and foreign ids look
/// the same, so ids cannot be probed.
pub async fn get_visible(
    pool: &SqlitePool,
    id: i64,
    municipality_id: i64,
) -> Result<Option<(AkteSummary, i64)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Full {
        #[sqlx(flatten)]
        row: Row,
        position_id: i64,
    }
    let found = sqlx::query_as::<_, Full>(concat!(
        "SELECT a.id, a.aktenzeichen, a.title, a.status, a.opened_on, a.responsible, a.position_id
         FROM akten a WHERE a.id = ?2 AND ",
        crate::akte_visible!("a", 1)
    ))
    .bind(municipality_id)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(found.map(|full| (full.row.into_summary(), full.position_id)))
}

/// The status of an Akte the municipality may see, read inside the caller's
/// transaction: an upload checks it again right before its rows are
/// written, since the Akte may have been closed or unshared meanwhile.
pub async fn status_in(
    conn: &mut SqliteConnection,
    id: i64,
    municipality_id: i64,
) -> Result<Option<AkteStatus>, sqlx::Error> {
    let status: Option<String> = sqlx::query_scalar(concat!(
        "SELECT a.status FROM akten a WHERE a.id = ?2 AND ",
        crate::akte_visible!("a", 1)
    ))
    .bind(municipality_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    // An unknown status takes nothing: only a known open Akte does.
    Ok(status.map(|s| AkteStatus::parse(&s).unwrap_or(AkteStatus::Closed)))
}

/// Owner, closing data and shares of a visible Akte.
pub struct AkteRecord {
    pub municipality_id: i64,
    pub owner: String,
    pub closed_on: Option<String>,
    pub retention_until: Option<String>,
    pub shared_with: Vec<crate::municipalities::Municipality>,
}

pub async fn record_of(pool: &SqlitePool, id: i64) -> Result<AkteRecord, sqlx::Error> {
    let (municipality_id, owner, closed_on, retention_until): (
        i64,
        String,
        Option<String>,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT a.municipality_id, m.name, a.closed_on, a.retention_until
             FROM akten a JOIN municipalities m ON m.id = a.municipality_id WHERE a.id = ?",
    )
    .bind(id)
    .fetch_one(pool)
    .await?;
    let shared_with = sqlx::query_as::<_, crate::municipalities::Municipality>(
        "SELECT m.id, m.code, m.name FROM akten_shares s JOIN municipalities m ON m.id = s.municipality_id
         WHERE s.akte_id = ? ORDER BY m.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(AkteRecord {
        municipality_id,
        owner,
        closed_on,
        retention_until,
        shared_with,
    })
}

/// Closes an open Akte (zdA) of `municipality_id` and stores the date its
/// retention ends. `false` when it is closed already or belongs to another
/// municipality.
pub async fn close(
    conn: &mut SqliteConnection,
    municipality_id: i64,
    id: i64,
    closed_on: &str,
    retention_until: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE akten SET status = 'closed', closed_on = ?, retention_until = ?
         WHERE id = ? AND municipality_id = ? AND status = 'open'",
    )
    .bind(closed_on)
    .bind(retention_until)
    .bind(id)
    .bind(municipality_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// How many Vorgänge of an Akte are not yet zdA, and the latest zdA day
/// of the others.
pub async fn vorgaenge_state(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<(i64, Option<String>), sqlx::Error> {
    sqlx::query_as(
        "SELECT COALESCE(SUM(status <> 'closed'), 0), MAX(closed_on) FROM vorgaenge WHERE akte_id = ?",
    )
    .bind(id)
    .fetch_one(conn)
    .await
}

/// Does `municipality_id` own the Akte (shared ones do not count)?
pub async fn is_owned_by(
    conn: &mut SqliteConnection,
    id: i64,
    municipality_id: i64,
) -> Result<bool, sqlx::Error> {
    let owned: Option<i64> =
        sqlx::query_scalar("SELECT id FROM akten WHERE id = ? AND municipality_id = ?")
            .bind(id)
            .bind(municipality_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(owned.is_some())
}

/// Aktenzeichen and status of an Akte `municipality_id` owns (shared ones
/// do not count), read inside the caller's transaction.
pub async fn owned_in(
    conn: &mut SqliteConnection,
    id: i64,
    municipality_id: i64,
) -> Result<Option<(String, AkteStatus)>, sqlx::Error> {
    let found: Option<(String, String)> = sqlx::query_as(
        "SELECT aktenzeichen, status FROM akten WHERE id = ? AND municipality_id = ?",
    )
    .bind(id)
    .bind(municipality_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.map(|(reference, status)| {
        (
            reference,
            AkteStatus::parse(&status).unwrap_or(AkteStatus::Closed),
        )
    }))
}

/// What became of a share or unshare.
#[derive(Debug, PartialEq, Eq)]
pub enum Sharing {
    Done,
    /// The partner municipality does not exist.
    UnknownMunicipality,
}

/// Shares an Akte with `municipality_id` (inter-municipal cooperation), or
/// ends the sharing. Sharing twice or ending a share that is not there
/// changes nothing.
pub async fn set_share(
    conn: &mut SqliteConnection,
    id: i64,
    municipality_id: i64,
    shared: bool,
    shared_by: i64,
) -> Result<Sharing, sqlx::Error> {
    let result = if shared {
        sqlx::query(
            "INSERT OR IGNORE INTO akten_shares (akte_id, municipality_id, shared_by, shared_at) VALUES (?, ?, ?, ?)",
        )
        .bind(id)
        .bind(municipality_id)
        .bind(shared_by)
        .bind(crate::time::now())
        .execute(&mut *conn)
        .await
    } else {
        sqlx::query("DELETE FROM akten_shares WHERE akte_id = ? AND municipality_id = ?")
            .bind(id)
            .bind(municipality_id)
            .execute(&mut *conn)
            .await
    };
    match result {
        Err(sqlx::Error::Database(error)) if error.is_foreign_key_violation() => {
            Ok(Sharing::UnknownMunicipality)
        }
        other => other.map(|_| Sharing::Done),
    }
}

/// What is needed to open an Akte.
pub struct NewAkte<'a> {
    pub municipality_id: i64,
    pub municipality_code: &'a str,
    pub position_id: i64,
    pub position_code: &'a str,
    pub title: &'a str,
    pub responsible: &'a str,
    pub opened_on: &'a str,
    pub user_id: i64,
    pub user_name: &'a str,
    pub ip: Option<String>,
}

/// Opens an Akte with the next running number of its position and
/// municipality. Call it inside a write transaction (begun with
/// [`crate::db::begin_write`]), so that concurrent openings get distinct
/// numbers; numbers are never reused. The audit entry is the caller's
/// ([`super::service::open_in`]); `user_name` and `ip` are not stored here.
pub async fn create_in(
    tx: &mut SqliteConnection,
    new: NewAkte<'_>,
) -> Result<AkteSummary, sqlx::Error> {
    let number: i64 = sqlx::query_scalar(
        "INSERT INTO akten_counters (municipality_id, position_id, last_number) VALUES (?, ?, 1)
         ON CONFLICT (municipality_id, position_id) DO UPDATE SET last_number = last_number + 1
         RETURNING last_number",
    )
    .bind(new.municipality_id)
    .bind(new.position_id)
    .fetch_one(&mut *tx)
    .await?;
    let reference = aktenzeichen(new.municipality_code, new.position_code, number);
    let id = sqlx::query(
        "INSERT INTO akten (municipality_id, position_id, running_number, aktenzeichen, title,
                            opened_on, responsible, status, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)",
    )
    .bind(new.municipality_id)
    .bind(new.position_id)
    .bind(number)
    .bind(&reference)
    .bind(new.title)
    .bind(new.opened_on)
    .bind(new.responsible)
    .bind(new.user_id)
    .bind(crate::time::now())
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    Ok(AkteSummary {
        id,
        aktenzeichen: reference,
        title: new.title.to_string(),
        status: AkteStatus::Open,
        opened_on: new.opened_on.to_string(),
        responsible: new.responsible.to_string(),
    })
}
