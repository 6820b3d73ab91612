//! SQL for Vorgänge.

use super::{VorgangStatus, VorgangSummary};
use sqlx::{SqliteConnection, SqlitePool};

/// What a new Vorgang is made of; the audit entry is the caller's.
pub struct NewVorgang<'a> {
    pub akte_id: i64,
    pub municipality_id: i64,
    pub aktenzeichen: &'a str,
    pub title: &'a str,
    pub responsible_id: i64,
    pub opened_on: &'a str,
    pub user_id: i64,
}

/// Opens a Vorgang with the next number of its Akte. Call it inside a
/// write transaction (begun with [`crate::db::begin_write`]), so that
/// concurrent openings get distinct numbers; numbers are never reused.
pub async fn create_in(
    tx: &mut SqliteConnection,
    new: NewVorgang<'_>,
) -> Result<VorgangSummary, sqlx::Error> {
    let number: i64 = sqlx::query_scalar(
        "INSERT INTO vorgang_counters (akte_id, last_number) VALUES (?, 1)
         ON CONFLICT (akte_id) DO UPDATE SET last_number = last_number + 1
         RETURNING last_number",
    )
    .bind(new.akte_id)
    .fetch_one(&mut *tx)
    .await?;
    let reference = super::zeichen(new.aktenzeichen, number);
    let id = sqlx::query(
        "INSERT INTO vorgaenge (akte_id, municipality_id, number, zeichen, title, responsible_id,
                                status, opened_on, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
    )
    .bind(new.akte_id)
    .bind(new.municipality_id)
    .bind(number)
    .bind(&reference)
    .bind(new.title)
    .bind(new.responsible_id)
    .bind(new.opened_on)
    .bind(new.user_id)
    .bind(crate::time::now())
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    let responsible: String = sqlx::query_scalar("SELECT display_name FROM users WHERE id = ?")
        .bind(new.responsible_id)
        .fetch_one(&mut *tx)
        .await?;
    Ok(VorgangSummary {
        id,
        zeichen: reference,
        title: new.title.to_string(),
        status: VorgangStatus::Open,
        opened_on: new.opened_on.to_string(),
        closed_on: None,
        responsible,
        documents: 0,
    })
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    zeichen: String,
    title: String,
    status: String,
    opened_on: String,
    closed_on: Option<String>,
    responsible: String,
    documents: i64,
}

impl Row {
    fn into_summary(self) -> VorgangSummary {
        VorgangSummary {
            id: self.id,
            zeichen: self.zeichen,
            title: self.title,
            // An unknown status reads as closed: nothing is done in it.
            status: VorgangStatus::parse(&self.status).unwrap_or(VorgangStatus::Closed),
            opened_on: self.opened_on,
            closed_on: self.closed_on,
            responsible: self.responsible,
            documents: self.documents,
        }
    }
}

/// The Vorgänge of an Akte, by number. Visibility of the Akte is the
/// caller's check.
pub async fn list_for_akte(
    pool: &SqlitePool,
    akte_id: i64,
) -> Result<Vec<VorgangSummary>, sqlx::Error> {
    let rows = sqlx::query_as::<_, Row>(
        "SELECT v.id, v.zeichen, v.title, v.status, v.opened_on, v.closed_on,
                u.display_name AS responsible,
                (SELECT COUNT(*) FROM documents d
                  WHERE d.vorgang_id = v.id AND d.trashed_at IS NULL) AS documents
         FROM vorgaenge v JOIN users u ON u.id = v.responsible_id
         WHERE v.akte_id = ?
         ORDER BY v.number",
    )
    .bind(akte_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Row::into_summary).collect())
}

/// Sets the status of a Vorgang the municipality owns, from `from` to `to`.
/// False when there is no such Vorgang in that status.
pub async fn set_status(
    conn: &mut SqliteConnection,
    id: i64,
    municipality_id: i64,
    from: VorgangStatus,
    to: VorgangStatus,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE vorgaenge SET status = ? WHERE id = ? AND municipality_id = ? AND status = ?",
    )
    .bind(to.as_str())
    .bind(id)
    .bind(municipality_id)
    .bind(from.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The Akte and status of a Vorgang the municipality owns.
pub async fn owned(
    conn: &mut SqliteConnection,
    id: i64,
    municipality_id: i64,
) -> Result<Option<(i64, VorgangStatus)>, sqlx::Error> {
    let found: Option<(i64, String)> = sqlx::query_as(
        "SELECT akte_id, status FROM vorgaenge WHERE id = ? AND municipality_id = ?",
    )
    .bind(id)
    .bind(municipality_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.map(|(akte, status)| {
        (
            akte,
            VorgangStatus::parse(&status).unwrap_or(VorgangStatus::Closed),
        )
    }))
}
