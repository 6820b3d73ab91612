//! SQL of the Postfächer and of the messages taken from them.

use sqlx::{SqliteConnection, SqlitePool};

/// A Postfach in use, as a fetch needs it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub municipality_id: i64,
    pub name: String,
    pub host: String,
    pub port: i64,
    pub encryption: String,
    pub login: String,
    pub password_sealed: String,
    pub folder: String,
    pub after_import: String,
    pub move_to: Option<String>,
    pub responsible_id: i64,
    pub akte_id: Option<i64>,
    pub uidvalidity: Option<i64>,
}

const ACCOUNT: &str =
    "SELECT id, municipality_id, name, host, port, encryption, login, password_sealed,
                              folder, after_import, move_to, responsible_id, akte_id, uidvalidity
                       FROM postfaecher WHERE active = 1";

/// Every Postfach in use, of all municipalities.
pub async fn active(pool: &SqlitePool) -> Result<Vec<Account>, sqlx::Error> {
    sqlx::query_as(&format!("{ACCOUNT} ORDER BY id"))
        .fetch_all(pool)
        .await
}

/// What the Administration's page shows of a Postfach.
#[derive(Debug, sqlx::FromRow)]
pub struct Facts {
    pub id: i64,
    pub name: String,
    pub host: String,
    pub port: i64,
    pub encryption: String,
    pub login: String,
    pub folder: String,
    pub after_import: String,
    pub move_to: Option<String>,
    pub responsible: String,
    pub responsible_active: bool,
    pub akte: Option<String>,
    pub stored: i64,
    pub refused: i64,
    pub last_checked_at: Option<i64>,
    pub last_error: Option<String>,
}

pub async fn facts_of(pool: &SqlitePool, municipality_id: i64) -> Result<Vec<Facts>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.id, p.name, p.host, p.port, p.encryption, p.login, p.folder, p.after_import,
                p.move_to, u.display_name AS responsible, u.active AS responsible_active,
                a.aktenzeichen || ' ' || a.title AS akte,
                (SELECT COUNT(*) FROM postfach_nachrichten n
                  WHERE n.postfach_id = p.id AND n.outcome = 'stored') AS stored,
                (SELECT COUNT(*) FROM postfach_nachrichten n
                  WHERE n.postfach_id = p.id AND n.outcome = 'refused') AS refused,
                p.last_checked_at, p.last_error
         FROM postfaecher p JOIN users u ON u.id = p.responsible_id
         LEFT JOIN akten a ON a.id = p.akte_id
         WHERE p.active = 1 AND p.municipality_id = ? ORDER BY p.name",
    )
    .bind(municipality_id)
    .fetch_all(pool)
    .await
}

/// The municipality's latest refused messages, newest first:
/// (Postfach, subject, sender, reason, when).
pub async fn recent_refusals(
    pool: &SqlitePool,
    municipality_id: i64,
    limit: i64,
) -> Result<Vec<(String, String, String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.name, n.subject, n.sender, n.refusal, n.taken_at
         FROM postfach_nachrichten n JOIN postfaecher p ON p.id = n.postfach_id
         WHERE p.municipality_id = ? AND n.outcome = 'refused'
         ORDER BY n.taken_at DESC, n.id DESC LIMIT ?",
    )
    .bind(municipality_id)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Whether the municipality already uses a Postfach of that name.
pub async fn name_taken(
    conn: &mut SqliteConnection,
    municipality_id: i64,
    name: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM postfaecher
                         WHERE municipality_id = ? AND active = 1 AND name = ? COLLATE NOCASE)",
    )
    .bind(municipality_id)
    .bind(name)
    .fetch_one(conn)
    .await
}

pub struct NewPostfach<'a> {
    pub municipality_id: i64,
    pub form: &'a super::CleanForm,
    pub password_sealed: &'a str,
    pub responsible_id: i64,
    pub akte_id: Option<i64>,
    /// The folder's UIDVALIDITY when the connection was checked.
    pub uidvalidity: i64,
    pub created_by: i64,
}

pub async fn insert(conn: &mut SqliteConnection, new: NewPostfach<'_>) -> Result<i64, sqlx::Error> {
    let form = new.form;
    sqlx::query_scalar(
        "INSERT INTO postfaecher (municipality_id, name, host, port, encryption, login, password_sealed,
                                  folder, after_import, move_to, responsible_id, akte_id, uidvalidity,
                                  created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.municipality_id)
    .bind(&form.name)
    .bind(&form.host)
    .bind(i64::from(form.port))
    .bind(form.encryption.as_str())
    .bind(&form.login)
    .bind(new.password_sealed)
    .bind(&form.folder)
    .bind(form.after_import)
    .bind(&form.move_to)
    .bind(new.responsible_id)
    .bind(new.akte_id)
    .bind(new.uidvalidity)
    .bind(new.created_by)
    .bind(crate::time::now())
    .fetch_one(conn)
    .await
}

/// Takes a Postfach of the municipality out of use; its name, if it was
/// one in use.
pub async fn deactivate(
    conn: &mut SqliteConnection,
    id: i64,
    municipality_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE postfaecher SET active = 0 WHERE id = ? AND municipality_id = ? AND active = 1
         RETURNING name",
    )
    .bind(id)
    .bind(municipality_id)
    .fetch_optional(conn)
    .await
}

/// Notes the folder's UIDVALIDITY: UIDs of another one mean other messages.
pub async fn set_uidvalidity(
    pool: &SqlitePool,
    id: i64,
    uidvalidity: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE postfaecher SET uidvalidity = ? WHERE id = ?")
        .bind(uidvalidity)
        .bind(id)
        .execute(pool)
        .await
        .map(drop)
}

/// Notes a look into the Postfach and why it failed (`None`: it worked).
pub async fn checked(pool: &SqlitePool, id: i64, error: Option<&str>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE postfaecher SET last_checked_at = ?, last_error = ? WHERE id = ?")
        .bind(crate::time::now())
        .bind(error)
        .bind(id)
        .execute(pool)
        .await
        .map(drop)
}

/// The first UID to look at: the lowest one still being taken (a crash or
/// a failure left it), else the one after the highest taken.
pub async fn next_uid(pool: &SqlitePool, id: i64, uidvalidity: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COALESCE(
             (SELECT MIN(uid) FROM postfach_nachrichten
               WHERE postfach_id = ?1 AND uidvalidity = ?2 AND outcome = 'taking'),
             (SELECT MAX(uid) + 1 FROM postfach_nachrichten
               WHERE postfach_id = ?1 AND uidvalidity = ?2),
             1)",
    )
    .bind(id)
    .bind(uidvalidity)
    .fetch_one(pool)
    .await
}

/// Taken messages whose after-import step on the server is still to do:
/// (row, uid).
pub async fn unsettled(
    pool: &SqlitePool,
    id: i64,
    uidvalidity: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, uid FROM postfach_nachrichten
         WHERE postfach_id = ? AND uidvalidity = ? AND settled = 0 AND outcome IN ('stored', 'duplicate')
         ORDER BY uid",
    )
    .bind(id)
    .bind(uidvalidity)
    .fetch_all(pool)
    .await
}

/// Whether the row for this UID is done with (anything but 'taking').
pub async fn finished(
    pool: &SqlitePool,
    id: i64,
    uidvalidity: i64,
    uid: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM postfach_nachrichten
                         WHERE postfach_id = ? AND uidvalidity = ? AND uid = ? AND outcome != 'taking')",
    )
    .bind(id)
    .bind(uidvalidity)
    .bind(uid)
    .fetch_one(pool)
    .await
}

pub async fn mark_settled(pool: &SqlitePool, row: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE postfach_nachrichten SET settled = 1 WHERE id = ?")
        .bind(row)
        .execute(pool)
        .await
        .map(drop)
}

/// The document a message with these bytes became before in this
/// Postfach (under another UID or UIDVALIDITY).
pub async fn stored_before(
    pool: &SqlitePool,
    id: i64,
    sha256: &str,
) -> Result<Option<Option<i64>>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT document_id FROM postfach_nachrichten
         WHERE postfach_id = ? AND sha256 = ? AND outcome IN ('stored', 'duplicate')
         ORDER BY id LIMIT 1",
    )
    .bind(id)
    .bind(sha256)
    .fetch_optional(pool)
    .await
}

/// One message about to be taken.
pub struct Taking<'a> {
    pub postfach_id: i64,
    pub uidvalidity: i64,
    pub uid: i64,
    pub sha256: &'a str,
    pub size: i64,
    pub subject: &'a str,
    pub sender: &'a str,
}

/// Notes that a message is being taken (again); its row and how many
/// tries this is.
pub async fn note_taking(pool: &SqlitePool, new: Taking<'_>) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "INSERT INTO postfach_nachrichten (postfach_id, uidvalidity, uid, sha256, size, subject, sender,
                                           outcome, taken_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'taking', ?)
         ON CONFLICT (postfach_id, uidvalidity, uid)
         DO UPDATE SET attempts = attempts + 1, sha256 = excluded.sha256, taken_at = excluded.taken_at
         RETURNING id, attempts",
    )
    .bind(new.postfach_id)
    .bind(new.uidvalidity)
    .bind(new.uid)
    .bind(new.sha256)
    .bind(new.size)
    .bind(new.subject)
    .bind(new.sender)
    .bind(crate::time::now())
    .fetch_one(pool)
    .await
}

/// Whether this Postfach was taking a message with these bytes before:
/// this row on an earlier try, or another row (under an old UIDVALIDITY).
/// Then the municipality's duplicate of it is that earlier try's document.
pub async fn taken_before(
    pool: &SqlitePool,
    id: i64,
    sha256: &str,
    row: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM postfach_nachrichten
                         WHERE postfach_id = ? AND sha256 = ? AND outcome = 'taking'
                           AND (id != ? OR attempts > 1))",
    )
    .bind(id)
    .bind(sha256)
    .bind(row)
    .fetch_one(pool)
    .await
}

/// Ends a row: 'stored' or 'duplicate' with its document.
pub async fn mark_taken(
    conn: &mut SqliteConnection,
    row: i64,
    outcome: &str,
    document_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE postfach_nachrichten SET outcome = ?, document_id = ? WHERE id = ?")
        .bind(outcome)
        .bind(document_id)
        .bind(row)
        .execute(conn)
        .await
        .map(drop)
}

/// Refuses a message for good; it stays on the server untouched.
pub async fn mark_refused(pool: &SqlitePool, row: i64, reason: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE postfach_nachrichten SET outcome = 'refused', refusal = ?, settled = 1 WHERE id = ?",
    )
    .bind(reason)
    .bind(row)
    .execute(pool)
    .await
    .map(drop)
}
