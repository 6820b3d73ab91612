//! SQL for Vorgänge.

use super::{VorgangStatus, VorgangSummary};
use sqlx::{SqliteConnection, SqlitePool};

/// The columns [`Row`] reads, from `vorgaenge v`.
macro_rules! row_select {
    () => {
        "SELECT v.id, v.zeichen, v.title, v.status, v.opened_on, v.closed_on,
                u.display_name AS responsible,
                (SELECT COUNT(*) FROM documents d
                  WHERE d.vorgang_id = v.id AND d.trashed_at IS NULL) AS documents
         FROM vorgaenge v JOIN users u ON u.id = v.responsible_id "
    };
}

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
    let rows = sqlx::query_as::<_, Row>(concat!(
        row_select!(),
        "WHERE v.akte_id = ? ORDER BY v.number"
    ))
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

/// A Vorgang with its Akte, as its page reads it.
pub struct Visible {
    pub vorgang: VorgangSummary,
    pub akte: crate::akten::AkteRef,
    pub akte_open: bool,
    pub position_id: i64,
    pub municipality_id: i64,
    pub retention_until: Option<String>,
}

/// A Vorgang whose Akte the municipality may see (its own, or shared
/// with it); `None` for foreign and unknown ids alike.
pub async fn get_visible(
    pool: &SqlitePool,
    id: i64,
    municipality_id: i64,
) -> Result<Option<Visible>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Full {
        #[sqlx(flatten)]
        row: Row,
        akte_id: i64,
        aktenzeichen: String,
        akte_title: String,
        akte_status: String,
        position_id: i64,
        owner_id: i64,
        retention_until: Option<String>,
    }
    let found = sqlx::query_as::<_, Full>(concat!(
        "SELECT x.*, a.id AS akte_id, a.aktenzeichen, a.title AS akte_title,
                a.status AS akte_status, a.position_id, vv.municipality_id AS owner_id,
                vv.retention_until
         FROM (",
        row_select!(),
        "WHERE v.id = ?2) x
         JOIN vorgaenge vv ON vv.id = x.id
         JOIN akten a ON a.id = vv.akte_id
         WHERE ",
        crate::akte_visible!("a", 1)
    ))
    .bind(municipality_id)
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(found.map(|f| Visible {
        vorgang: f.row.into_summary(),
        akte: crate::akten::AkteRef {
            id: f.akte_id,
            aktenzeichen: f.aktenzeichen,
            title: f.akte_title,
        },
        akte_open: f.akte_status == "open",
        position_id: f.position_id,
        municipality_id: f.owner_id,
        retention_until: f.retention_until,
    }))
}

/// Closes a Vorgang (zdA) the municipality owns and that is not yet
/// closed. False when there is none.
pub async fn close(
    conn: &mut SqliteConnection,
    id: i64,
    municipality_id: i64,
    closed_on: &str,
    retention_until: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE vorgaenge SET status = 'closed', closed_on = ?, retention_until = ?
         WHERE id = ? AND municipality_id = ? AND status <> 'closed'",
    )
    .bind(closed_on)
    .bind(retention_until)
    .bind(id)
    .bind(municipality_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// What a Vorgang's closing needs to know, read in the caller's
/// transaction: opening day, status and plan position of a Vorgang the
/// municipality owns.
pub async fn closing_facts(
    conn: &mut SqliteConnection,
    id: i64,
    municipality_id: i64,
) -> Result<Option<(String, VorgangStatus, i64)>, sqlx::Error> {
    let found: Option<(String, String, i64)> = sqlx::query_as(
        "SELECT v.opened_on, v.status, a.position_id
         FROM vorgaenge v JOIN akten a ON a.id = v.akte_id
         WHERE v.id = ? AND v.municipality_id = ?",
    )
    .bind(id)
    .bind(municipality_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.map(|(opened, status, position)| {
        (
            opened,
            VorgangStatus::parse(&status).unwrap_or(VorgangStatus::Closed),
            position,
        )
    }))
}

/// A Vorgang documents can be filed into: not zdA, in an open Akte the
/// municipality may see. Returns its Akte. Read inside the filing
/// transaction.
pub async fn filing_akte(
    conn: &mut SqliteConnection,
    id: i64,
    municipality_id: i64,
) -> Result<Option<(i64, bool)>, sqlx::Error> {
    let found: Option<(i64, String, String)> = sqlx::query_as(concat!(
        "SELECT a.id, a.status, v.status FROM vorgaenge v JOIN akten a ON a.id = v.akte_id
         WHERE v.id = ?2 AND ",
        crate::akte_visible!("a", 1)
    ))
    .bind(municipality_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(
        found
            .map(|(akte, akte_status, status)| (akte, akte_status == "open" && status != "closed")),
    )
}

/// Vorgänge to file into, found by Zeichen or title: not zdA, in open
/// Akten the municipality may see, newest first.
pub async fn find_for_filing(
    pool: &SqlitePool,
    municipality_id: i64,
    query: &str,
    limit: i64,
) -> Result<Vec<(crate::akten::AkteRef, super::VorgangRef)>, sqlx::Error> {
    let pattern = crate::db::contains_pattern(query);
    let rows: Vec<(i64, String, String, i64, String, String)> = sqlx::query_as(concat!(
        "SELECT a.id, a.aktenzeichen, a.title, v.id, v.zeichen, v.title
         FROM vorgaenge v JOIN akten a ON a.id = v.akte_id
         WHERE v.status <> 'closed' AND a.status = 'open'
           AND (v.zeichen LIKE ?2 ESCAPE '\\' OR v.title LIKE ?2 ESCAPE '\\'
                OR a.title LIKE ?2 ESCAPE '\\') AND ",
        crate::akte_visible!("a", 1),
        " ORDER BY v.created_at DESC, v.id DESC LIMIT ?3"
    ))
    .bind(municipality_id)
    .bind(pattern)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(akte_id, aktenzeichen, akte_title, id, zeichen, title)| {
            (
                crate::akten::AkteRef {
                    id: akte_id,
                    aktenzeichen,
                    title: akte_title,
                },
                super::VorgangRef { id, zeichen, title },
            )
        })
        .collect())
}

/// Vorgänge a person is responsible for in the municipality and that are
/// not zdA, the oldest first (the Postkorb).
pub async fn open_for_responsible(
    pool: &SqlitePool,
    user_id: i64,
    municipality_id: i64,
    limit: i64,
) -> Result<Vec<VorgangSummary>, sqlx::Error> {
    let rows = sqlx::query_as::<_, Row>(concat!(
        row_select!(),
        "WHERE v.responsible_id = ? AND v.municipality_id = ? AND v.status <> 'closed'
         ORDER BY v.opened_on, v.id LIMIT ?"
    ))
    .bind(user_id)
    .bind(municipality_id)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Row::into_summary).collect())
}

/// How many Vorgänge not zdA a person is responsible for.
pub async fn open_count_for_responsible(
    pool: &SqlitePool,
    user_id: i64,
    municipality_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM vorgaenge
         WHERE responsible_id = ? AND municipality_id = ? AND status <> 'closed'",
    )
    .bind(user_id)
    .bind(municipality_id)
    .fetch_one(pool)
    .await
}

/// Makes `user_id` responsible for a Vorgang of the municipality.
pub async fn set_responsible(
    conn: &mut SqliteConnection,
    id: i64,
    municipality_id: i64,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE vorgaenge SET responsible_id = ? WHERE id = ? AND municipality_id = ?")
        .bind(user_id)
        .bind(id)
        .bind(municipality_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// What still waits in a Vorgang: open Wiedervorlagen on it or on its
/// documents, and running Laufwege of its documents.
/// What [`cancel_waiting_in`] ended: Wiedervorlagen (id, `document` or
/// `vorgang`, the subject's id) and Laufwege (id, document).
#[derive(Debug, Default)]
pub struct Cancelled {
    pub wiedervorlagen: Vec<(i64, &'static str, i64)>,
    pub laufwege: Vec<(i64, i64)>,
}

/// Cancels what waits in a Vorgang (the ones [`waiting_in`] counts): open
/// Wiedervorlagen are cancelled by `user_id`, running Laufwege withdrawn
/// with their open steps skipped.
pub async fn cancel_waiting_in(
    conn: &mut SqliteConnection,
    id: i64,
    user_id: i64,
    now: i64,
) -> Result<Cancelled, sqlx::Error> {
    let wiedervorlagen: Vec<(i64, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT w.id, w.document_id, w.vorgang_id FROM wiedervorlagen w
         WHERE w.status = 'open'
           AND (w.vorgang_id = ?1 OR w.document_id IN
                (SELECT id FROM documents WHERE vorgang_id = ?1 AND trashed_at IS NULL))",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let laufwege: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT l.id, l.document_id FROM laufwege l
         WHERE l.status = 'open' AND l.document_id IN
               (SELECT id FROM documents WHERE vorgang_id = ?1 AND trashed_at IS NULL)",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    for (wv, ..) in &wiedervorlagen {
        sqlx::query(
            "UPDATE wiedervorlagen SET status = 'cancelled', settled_by = ?, settled_at = ?
             WHERE id = ? AND status = 'open'",
        )
        .bind(user_id)
        .bind(now)
        .bind(wv)
        .execute(&mut *conn)
        .await?;
    }
    for (laufweg, _) in &laufwege {
        sqlx::query(
            "UPDATE laufweg_schritte SET state = 'skipped'
             WHERE laufweg_id = ? AND state IN ('waiting', 'active')",
        )
        .bind(laufweg)
        .execute(&mut *conn)
        .await?;
        sqlx::query("UPDATE laufwege SET status = 'cancelled', ended_at = ? WHERE id = ?")
            .bind(now)
            .bind(laufweg)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Cancelled {
        wiedervorlagen: wiedervorlagen
            .into_iter()
            .map(|(wv, document, vorgang)| match (document, vorgang) {
                (Some(document), _) => (wv, "document", document),
                (None, vorgang) => (wv, "vorgang", vorgang.unwrap_or(id)),
            })
            .collect(),
        laufwege,
    })
}

pub async fn waiting_in(conn: &mut SqliteConnection, id: i64) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM wiedervorlagen w
                  WHERE w.status = 'open'
                    AND (w.vorgang_id = ?1 OR w.document_id IN
                         (SELECT id FROM documents WHERE vorgang_id = ?1 AND trashed_at IS NULL))),
                (SELECT COUNT(*) FROM laufwege l
                  WHERE l.status = 'open' AND l.document_id IN
                        (SELECT id FROM documents WHERE vorgang_id = ?1 AND trashed_at IS NULL))",
    )
    .bind(id)
    .fetch_one(conn)
    .await
}
