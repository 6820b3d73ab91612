//! SQL of absences and their Vertretung. Days are `YYYY-MM-DD` text, so
//! comparing them as text compares them as days.

use super::Abwesenheit;
use sqlx::{SqliteConnection, SqlitePool};

/// What a new absence is made of.
pub struct NewAbsence<'a> {
    pub municipality_id: i64,
    pub absent_user_id: i64,
    pub deputy_user_id: i64,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
    pub note: &'a str,
    pub created_by: i64,
}

pub async fn insert(
    conn: &mut SqliteConnection,
    new: NewAbsence<'_>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO vertretungen (municipality_id, absent_user_id, deputy_user_id, starts_on,
                                   ends_on, note, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.municipality_id)
    .bind(new.absent_user_id)
    .bind(new.deputy_user_id)
    .bind(new.starts_on)
    .bind(new.ends_on)
    .bind(new.note)
    .bind(new.created_by)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Whether the person already has an absence that shares a day with
/// `starts_on..=ends_on`.
pub async fn overlaps(
    conn: &mut SqliteConnection,
    absent_user_id: i64,
    starts_on: &str,
    ends_on: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM vertretungen
                        WHERE absent_user_id = ? AND cancelled_at IS NULL
                          AND starts_on <= ? AND ends_on >= ?)",
    )
    .bind(absent_user_id)
    .bind(ends_on)
    .bind(starts_on)
    .fetch_one(conn)
    .await
}

/// An absence that has not ended or been cancelled: its person and
/// municipality.
pub async fn open(
    conn: &mut SqliteConnection,
    id: i64,
    today: &str,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT absent_user_id, municipality_id FROM vertretungen
         WHERE id = ? AND cancelled_at IS NULL AND ends_on >= ?",
    )
    .bind(id)
    .bind(today)
    .fetch_optional(conn)
    .await
}

pub async fn cancel(
    conn: &mut SqliteConnection,
    id: i64,
    by: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE vertretungen SET cancelled_by = ?, cancelled_at = ?
         WHERE id = ? AND cancelled_at IS NULL",
    )
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whose absences a list shows; `None` fields do not restrict.
#[derive(Clone, Copy, Debug, Default)]
pub struct Filter {
    pub absent_user_id: Option<i64>,
    pub deputy_user_id: Option<i64>,
    pub municipality_id: Option<i64>,
}

/// The absences that have not ended and are not cancelled, the earliest
/// first.
pub async fn list(
    pool: &SqlitePool,
    filter: Filter,
    today: &str,
) -> Result<Vec<Abwesenheit>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        absent_id: i64,
        absent: String,
        deputy_id: i64,
        deputy: String,
        starts_on: String,
        ends_on: String,
        note: String,
        created_by: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT v.id, v.absent_user_id AS absent_id, a.display_name AS absent,
                v.deputy_user_id AS deputy_id, d.display_name AS deputy, v.starts_on, v.ends_on,
                v.note, c.display_name AS created_by
         FROM vertretungen v JOIN users a ON a.id = v.absent_user_id
         JOIN users d ON d.id = v.deputy_user_id JOIN users c ON c.id = v.created_by
         WHERE v.cancelled_at IS NULL AND v.ends_on >= ?1
           AND (?2 IS NULL OR v.absent_user_id = ?2)
           AND (?3 IS NULL OR v.deputy_user_id = ?3)
           AND (?4 IS NULL OR v.municipality_id = ?4)
         ORDER BY v.starts_on, v.id LIMIT 1000",
    )
    .bind(today)
    .bind(filter.absent_user_id)
    .bind(filter.deputy_user_id)
    .bind(filter.municipality_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Abwesenheit {
            current: r.starts_on.as_str() <= today,
            id: r.id,
            absent_id: r.absent_id,
            absent: r.absent,
            deputy_id: r.deputy_id,
            deputy: r.deputy,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            note: r.note,
            created_by: r.created_by,
        })
        .collect())
}

/// The name of `absent_user_id` if `deputy_user_id` stands in for them
/// today in the municipality.
pub async fn standing_in(
    conn: &mut SqliteConnection,
    deputy_user_id: i64,
    absent_user_id: i64,
    municipality_id: i64,
    today: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT a.display_name FROM vertretungen v JOIN users a ON a.id = v.absent_user_id
         WHERE v.deputy_user_id = ?1 AND v.absent_user_id = ?2 AND v.municipality_id = ?3
           AND v.cancelled_at IS NULL AND v.starts_on <= ?4 AND v.ends_on >= ?4
         LIMIT 1",
    )
    .bind(deputy_user_id)
    .bind(absent_user_id)
    .bind(municipality_id)
    .bind(today)
    .fetch_optional(conn)
    .await
}

/// The colleagues a person stands in for today: id, name and the last
/// day of the absence, by name.
pub async fn absent_ones_of(
    pool: &SqlitePool,
    deputy_user_id: i64,
    municipality_id: i64,
    today: &str,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.display_name, MAX(v.ends_on) FROM vertretungen v
         JOIN users a ON a.id = v.absent_user_id
         WHERE v.deputy_user_id = ?1 AND v.municipality_id = ?2 AND v.cancelled_at IS NULL
           AND v.starts_on <= ?3 AND v.ends_on >= ?3
         GROUP BY a.id ORDER BY a.display_name COLLATE NOCASE, a.id",
    )
    .bind(deputy_user_id)
    .bind(municipality_id)
    .bind(today)
    .fetch_all(pool)
    .await
}

/// The clerks the Administration may enter absences for, with their
/// municipality's code when it manages all four.
pub async fn clerks_labelled(
    pool: &SqlitePool,
    municipality_id: Option<i64>,
) -> Result<Vec<super::Colleague>, sqlx::Error> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, m.code FROM users u
         JOIN municipalities m ON m.id = u.municipality_id
         WHERE u.active = 1 AND u.role = 'sachbearbeitung' AND (?1 IS NULL OR u.municipality_id = ?1)
         ORDER BY m.id, u.display_name COLLATE NOCASE, u.id",
    )
    .bind(municipality_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, code)| super::Colleague {
            id,
            name: if municipality_id.is_some() {
                name
            } else {
                format!("{name} ({code})")
            },
        })
        .collect())
}

/// The municipality of an active clerk, if `user_id` is one.
pub async fn clerk_municipality(
    conn: &mut SqliteConnection,
    user_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT municipality_id FROM users
         WHERE id = ? AND active = 1 AND role = 'sachbearbeitung'",
    )
    .bind(user_id)
    .fetch_optional(conn)
    .await
}
