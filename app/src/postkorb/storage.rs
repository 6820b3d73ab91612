//! SQL of the Postkorb: Wiedervorlagen, Zuweisungen and the colleagues
//! they go to. Every read is limited to one municipality; the subject's
//! title and place are joined in.

use super::{urgency, Subject, Wiedervorlage, Zuweisung};
use sqlx::{SqliteConnection, SqlitePool};

/// The subject columns of a Wiedervorlage or Zuweisung `x`: its kind and
/// id, its title and the Zeichen of where it lies.
macro_rules! subject_select {
    ($x:literal) => {
        concat!(
            $x,
            ".document_id, ",
            $x,
            ".vorgang_id,
             COALESCE(d.title, v.title) AS subject_title,
             COALESCE(dv.zeichen, da.aktenzeichen, v.zeichen) AS subject_zeichen"
        )
    };
}

/// The joins [`subject_select`] reads from.
macro_rules! subject_joins {
    ($x:literal) => {
        concat!(
            " LEFT JOIN documents d ON d.id = ",
            $x,
            ".document_id
              LEFT JOIN akten da ON da.id = d.akte_id
              LEFT JOIN vorgaenge dv ON dv.id = d.vorgang_id
              LEFT JOIN vorgaenge v ON v.id = ",
            $x,
            ".vorgang_id "
        )
    };
}

/// Only items whose subject still takes work: a document not in the trash,
/// a Vorgang not zdA. The flag is kept by triggers (migration 0019), so a
/// count needs no join.
const ALIVE: &str = "subject_alive = 1";

fn subject(document_id: Option<i64>, vorgang_id: Option<i64>) -> Subject {
    match (document_id, vorgang_id) {
        (Some(id), _) => Subject::Document(id),
        (None, Some(id)) => Subject::Vorgang(id),
        // The table's CHECK makes this impossible.
        (None, None) => Subject::Document(0),
    }
}

fn columns(subject: Subject) -> (Option<i64>, Option<i64>) {
    match subject {
        Subject::Document(id) => (Some(id), None),
        Subject::Vorgang(id) => (None, Some(id)),
    }
}

#[derive(sqlx::FromRow)]
struct WvRow {
    id: i64,
    document_id: Option<i64>,
    vorgang_id: Option<i64>,
    subject_title: Option<String>,
    subject_zeichen: Option<String>,
    for_user_id: i64,
    for_user: String,
    due_on: String,
    reason: String,
    created_by: String,
}

impl WvRow {
    fn into_view(self, today: chrono::NaiveDate) -> Wiedervorlage {
        let due = chrono::NaiveDate::parse_from_str(&self.due_on, "%Y-%m-%d").unwrap_or(today);
        Wiedervorlage {
            id: self.id,
            subject: subject(self.document_id, self.vorgang_id),
            subject_title: self.subject_title.unwrap_or_default(),
            subject_zeichen: self.subject_zeichen,
            for_user_id: self.for_user_id,
            for_user: self.for_user,
            urgency: urgency(due, today),
            due_on: self.due_on,
            reason: self.reason,
            created_by: self.created_by,
        }
    }
}

macro_rules! wv_select {
    () => {
        concat!(
            "SELECT w.id, ",
            subject_select!("w"),
            ", w.for_user_id, fu.display_name AS for_user, w.due_on, w.reason,
               cu.display_name AS created_by
             FROM wiedervorlagen w
             JOIN users fu ON fu.id = w.for_user_id
             JOIN users cu ON cu.id = w.created_by",
            subject_joins!("w")
        )
    };
}

/// The title of a subject the municipality owns and that still takes
/// follow-ups: a document not in the trash, a Vorgang not zdA. `None`
/// for foreign, unknown and finished ones alike.
pub async fn live_subject(
    conn: &mut SqliteConnection,
    subject: Subject,
    municipality_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let sql = match subject {
        Subject::Document(_) => {
            "SELECT title FROM documents WHERE id = ? AND municipality_id = ? AND trashed_at IS NULL"
        }
        Subject::Vorgang(_) => {
            "SELECT title FROM vorgaenge WHERE id = ? AND municipality_id = ? AND status <> 'closed'"
        }
    };
    sqlx::query_scalar(sql)
        .bind(subject.id())
        .bind(municipality_id)
        .fetch_optional(conn)
        .await
}

/// What a new Wiedervorlage is made of.
pub struct NewWiedervorlage<'a> {
    pub municipality_id: i64,
    pub subject: Subject,
    pub for_user_id: i64,
    pub due_on: &'a str,
    pub reason: &'a str,
    pub created_by: i64,
}

pub async fn insert_wiedervorlage(
    conn: &mut SqliteConnection,
    new: NewWiedervorlage<'_>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let (document_id, vorgang_id) = columns(new.subject);
    Ok(sqlx::query(
        "INSERT INTO wiedervorlagen (municipality_id, document_id, vorgang_id, for_user_id, due_on,
                                     reason, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(new.municipality_id)
    .bind(document_id)
    .bind(vorgang_id)
    .bind(new.for_user_id)
    .bind(new.due_on)
    .bind(new.reason)
    .bind(new.created_by)
    .bind(now)
    .execute(conn)
    .await?
    .last_insert_rowid())
}

/// An open Wiedervorlage of the municipality: its subject, for whom and
/// who set it.
pub async fn open_wiedervorlage(
    conn: &mut SqliteConnection,
    id: i64,
    municipality_id: i64,
) -> Result<Option<(Subject, i64, i64)>, sqlx::Error> {
    let found: Option<(Option<i64>, Option<i64>, i64, i64)> = sqlx::query_as(
        "SELECT document_id, vorgang_id, for_user_id, created_by FROM wiedervorlagen
         WHERE id = ? AND municipality_id = ? AND status = 'open'",
    )
    .bind(id)
    .bind(municipality_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.map(|(d, v, for_user, by)| (subject(d, v), for_user, by)))
}

/// Ends an open Wiedervorlage as `done` or `cancelled`.
pub async fn settle_wiedervorlage(
    conn: &mut SqliteConnection,
    id: i64,
    status: &str,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE wiedervorlagen SET status = ?, settled_by = ?, settled_at = ?
         WHERE id = ? AND status = 'open'",
    )
    .bind(status)
    .bind(user_id)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves an open Wiedervorlage to another day.
pub async fn postpone_wiedervorlage(
    conn: &mut SqliteConnection,
    id: i64,
    due_on: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE wiedervorlagen SET due_on = ? WHERE id = ? AND status = 'open'")
        .bind(due_on)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Open Wiedervorlagen of one subject, the next due first.
pub async fn wiedervorlagen_of(
    pool: &SqlitePool,
    subject: Subject,
    municipality_id: i64,
    today: chrono::NaiveDate,
) -> Result<Vec<Wiedervorlage>, sqlx::Error> {
    let column = match subject {
        Subject::Document(_) => "w.document_id",
        Subject::Vorgang(_) => "w.vorgang_id",
    };
    let sql = format!(
        "{} WHERE {column} = ? AND w.municipality_id = ? AND w.status = 'open'
         ORDER BY w.due_on, w.id",
        wv_select!()
    );
    let rows = sqlx::query_as::<_, WvRow>(&sql)
        .bind(subject.id())
        .bind(municipality_id)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| r.into_view(today)).collect())
}

/// Open Wiedervorlagen for a person due by today (`due`) or later, the
/// earliest first, at most `limit`.
pub async fn wiedervorlagen_for(
    pool: &SqlitePool,
    user_id: i64,
    municipality_id: i64,
    today: chrono::NaiveDate,
    due: bool,
    limit: i64,
) -> Result<Vec<Wiedervorlage>, sqlx::Error> {
    let sql = format!(
        "{} WHERE w.for_user_id = ? AND w.municipality_id = ? AND w.status = 'open' AND w.{ALIVE}
           AND (w.due_on <= ?) = ?
         ORDER BY w.due_on, w.id LIMIT ?",
        wv_select!()
    );
    let rows = sqlx::query_as::<_, WvRow>(&sql)
        .bind(user_id)
        .bind(municipality_id)
        .bind(crate::time::iso_date(today))
        .bind(due)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| r.into_view(today)).collect())
}

/// How many open Wiedervorlagen are due by today and later, and how many
/// Zuweisungen are open, for a person.
pub async fn totals(
    pool: &SqlitePool,
    user_id: i64,
    municipality_id: i64,
    today: &str,
) -> Result<(i64, i64, i64), sqlx::Error> {
    let sql = format!(
        "SELECT COALESCE(SUM(w.due_on <= ?3), 0), COALESCE(SUM(w.due_on > ?3), 0),
                (SELECT COUNT(*) FROM zuweisungen z
                  WHERE z.to_user_id = ?1 AND z.municipality_id = ?2 AND z.status = 'open'
                    AND z.{ALIVE})
         FROM wiedervorlagen w
         WHERE w.for_user_id = ?1 AND w.municipality_id = ?2 AND w.status = 'open' AND w.{ALIVE}"
    );
    sqlx::query_as(&sql)
        .bind(user_id)
        .bind(municipality_id)
        .bind(today)
        .fetch_one(pool)
        .await
}

/// What a new Zuweisung is made of.
pub struct NewZuweisung<'a> {
    pub municipality_id: i64,
    pub subject: Subject,
    pub to_user_id: i64,
    pub note: &'a str,
    pub created_by: i64,
}

pub async fn insert_zuweisung(
    conn: &mut SqliteConnection,
    new: NewZuweisung<'_>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let (document_id, vorgang_id) = columns(new.subject);
    Ok(sqlx::query(
        "INSERT INTO zuweisungen (municipality_id, document_id, vorgang_id, to_user_id, note,
                                  created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(new.municipality_id)
    .bind(document_id)
    .bind(vorgang_id)
    .bind(new.to_user_id)
    .bind(new.note)
    .bind(new.created_by)
    .bind(now)
    .execute(conn)
    .await?
    .last_insert_rowid())
}

/// The person an open Zuweisung of the municipality is for.
pub async fn open_zuweisung(
    conn: &mut SqliteConnection,
    id: i64,
    municipality_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT to_user_id FROM zuweisungen WHERE id = ? AND municipality_id = ? AND status = 'open'",
    )
    .bind(id)
    .bind(municipality_id)
    .fetch_optional(conn)
    .await
}

/// Marks an open Zuweisung to `user_id` done; false when there is none.
pub async fn finish_zuweisung(
    conn: &mut SqliteConnection,
    id: i64,
    user_id: i64,
    municipality_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE zuweisungen SET status = 'done', done_at = ?
         WHERE id = ? AND to_user_id = ? AND municipality_id = ? AND status = 'open'",
    )
    .bind(now)
    .bind(id)
    .bind(user_id)
    .bind(municipality_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Open Zuweisungen to a person, the oldest first.
pub async fn zuweisungen_for(
    pool: &SqlitePool,
    user_id: i64,
    municipality_id: i64,
    limit: i64,
) -> Result<Vec<Zuweisung>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        document_id: Option<i64>,
        vorgang_id: Option<i64>,
        subject_title: Option<String>,
        subject_zeichen: Option<String>,
        from_name: String,
        note: String,
        created_at: i64,
    }
    let sql = format!(
        "SELECT z.id, {}, fu.display_name AS from_name, z.note, z.created_at
         FROM zuweisungen z JOIN users fu ON fu.id = z.created_by {}
         WHERE z.to_user_id = ? AND z.municipality_id = ? AND z.status = 'open' AND z.{ALIVE}
         ORDER BY z.created_at, z.id LIMIT ?",
        subject_select!("z"),
        subject_joins!("z")
    );
    let rows = sqlx::query_as::<_, Row>(&sql)
        .bind(user_id)
        .bind(municipality_id)
        .bind(limit)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| Zuweisung {
            id: r.id,
            subject: subject(r.document_id, r.vorgang_id),
            subject_title: r.subject_title.unwrap_or_default(),
            subject_zeichen: r.subject_zeichen,
            from: r.from_name,
            note: r.note,
            assigned_at: crate::time::display(r.created_at),
        })
        .collect())
}

/// What waits today for each of `persons`: due Wiedervorlagen and open
/// Zuweisungen, counted the way [`super::Postkorb::waiting`] counts them.
/// One query for all (a deputy's navigation counts dozens of colleagues);
/// persons with nothing are missing from the map.
pub async fn waiting_counts(
    pool: &SqlitePool,
    persons: &[i64],
    municipality_id: i64,
    today: &str,
) -> Result<std::collections::HashMap<i64, i64>, sqlx::Error> {
    let sql = format!(
        "SELECT person, SUM(n) FROM (
             SELECT w.for_user_id AS person, COUNT(*) AS n FROM wiedervorlagen w
             WHERE w.for_user_id IN (SELECT value FROM json_each(?1)) AND w.municipality_id = ?2
               AND w.status = 'open' AND w.due_on <= ?3 AND w.{ALIVE}
             GROUP BY w.for_user_id
             UNION ALL
             SELECT z.to_user_id, COUNT(*) FROM zuweisungen z
             WHERE z.to_user_id IN (SELECT value FROM json_each(?1)) AND z.municipality_id = ?2
               AND z.status = 'open' AND z.{ALIVE}
             GROUP BY z.to_user_id)
         GROUP BY person"
    );
    let rows: Vec<(i64, i64)> = sqlx::query_as(&sql)
        .bind(serde_json::json!(persons).to_string())
        .bind(municipality_id)
        .bind(today)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().collect())
}
