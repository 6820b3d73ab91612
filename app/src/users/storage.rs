//! SQL for user accounts.

use super::{UserFields, UserSummary};
use crate::auth::{Role, SessionUser};
use crate::municipalities::Municipality;
use crate::time::now;
use sqlx::{Sqlite, SqliteConnection, SqlitePool};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    username: String,
    display_name: String,
    email: Option<String>,
    municipality_id: i64,
    municipality_name: String,
    role: String,
    all_municipalities: bool,
    active: bool,
    must_change_password: bool,
    last_login_at: Option<i64>,
}

impl Row {
    fn into_summary(self) -> Option<UserSummary> {
        let role = Role::parse(&self.role)?;
        Some(UserSummary {
            id: self.id,
            username: self.username,
            display_name: self.display_name,
            email: self.email,
            municipality_id: self.municipality_id,
            municipality_name: self.municipality_name,
            role,
            all_municipalities: self.all_municipalities,
            active: self.active,
            must_change_password: self.must_change_password,
            last_login: self.last_login_at.map(crate::time::display_exact),
        })
    }
}

const SELECT: &str = "SELECT u.id, u.username, u.display_name, u.email, u.municipality_id,
        m.name AS municipality_name, u.role, u.all_municipalities, u.active,
        u.must_change_password, u.last_login_at
    FROM users u JOIN municipalities m ON m.id = u.municipality_id";

/// All accounts, or those of one municipality; sorted by municipality and name.
pub async fn list<'e, E>(
    executor: E,
    municipality_id: Option<i64>,
) -> Result<Vec<UserSummary>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let sql = format!(
        "{SELECT} WHERE (?1 IS NULL OR u.municipality_id = ?1)
         ORDER BY u.municipality_id, u.display_name COLLATE NOCASE"
    );
    let rows = sqlx::query_as::<_, Row>(&sql)
        .bind(municipality_id)
        .fetch_all(executor)
        .await?;
    Ok(rows.into_iter().filter_map(Row::into_summary).collect())
}

pub async fn get<'e, E>(executor: E, id: i64) -> Result<Option<UserSummary>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let sql = format!("{SELECT} WHERE u.id = ?");
    let row = sqlx::query_as::<_, Row>(&sql)
        .bind(id)
        .fetch_optional(executor)
        .await?;
    Ok(row.and_then(Row::into_summary))
}

pub async fn username_exists(
    conn: &mut SqliteConnection,
    username: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = ?")
        .bind(username)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// Why the database refused an account write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    UsernameTaken,
    UnknownMunicipality,
}

/// A write's refusals, told apart from failures.
fn refusal<T>(result: Result<T, sqlx::Error>) -> Result<Result<T, Refusal>, sqlx::Error> {
    match result {
        Ok(done) => Ok(Ok(done)),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            Ok(Err(Refusal::UsernameTaken))
        }
        Err(sqlx::Error::Database(error)) if error.is_foreign_key_violation() => {
            Ok(Err(Refusal::UnknownMunicipality))
        }
        Err(error) => Err(error),
    }
}

/// Creates an account and returns its id.
pub async fn insert(
    conn: &mut SqliteConnection,
    username: &str,
    fields: &UserFields,
    password_hash: &str,
    must_change_password: bool,
) -> Result<Result<i64, Refusal>, sqlx::Error> {
    let at = now();
    let result = sqlx::query(
        "INSERT INTO users (username, display_name, email, municipality_id, role, all_municipalities,
                            password_hash, must_change_password, active, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
    )
    .bind(username)
    .bind(&fields.display_name)
    .bind(&fields.email)
    .bind(fields.municipality_id)
    .bind(fields.role.as_str())
    .bind(fields.all_municipalities)
    .bind(password_hash)
    .bind(must_change_password)
    .bind(at)
    .bind(at)
    .execute(conn)
    .await;
    refusal(result.map(|done| done.last_insert_rowid()))
}

pub async fn update(
    conn: &mut SqliteConnection,
    id: i64,
    fields: &UserFields,
) -> Result<Result<(), Refusal>, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE users SET display_name = ?, email = ?, municipality_id = ?, role = ?,
                          all_municipalities = ?, updated_at = ?
         WHERE id = ?",
    )
    .bind(&fields.display_name)
    .bind(&fields.email)
    .bind(fields.municipality_id)
    .bind(fields.role.as_str())
    .bind(fields.all_municipalities)
    .bind(now())
    .bind(id)
    .execute(conn)
    .await;
    refusal(result.map(|_| ()))
}

pub async fn set_active(
    conn: &mut SqliteConnection,
    id: i64,
    active: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET active = ?, updated_at = ? WHERE id = ?")
        .bind(active)
        .bind(now())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_password(
    conn: &mut SqliteConnection,
    id: i64,
    password_hash: &str,
    must_change_password: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? WHERE id = ?",
    )
    .bind(password_hash)
    .bind(must_change_password)
    .bind(now())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn count_administrators(conn: &mut SqliteConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'administration' AND active = 1")
        .fetch_one(conn)
        .await
}

/// Marks an account as a demo account (published password).
pub async fn mark_demo(conn: &mut SqliteConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET demo = 1 WHERE id = ?")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Active accounts not marked as demo with this user name: (id, password hash).
pub async fn unmarked_active(
    conn: &mut SqliteConnection,
    username: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, password_hash FROM users WHERE username = ? AND demo = 0 AND active = 1",
    )
    .bind(username)
    .fetch_optional(conn)
    .await
}

/// Demo accounts with this activity state: (id, user name, municipality).
pub async fn demo_accounts(
    conn: &mut SqliteConnection,
    active: bool,
) -> Result<Vec<(i64, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, username, municipality_id FROM users WHERE demo = 1 AND active = ? ORDER BY id",
    )
    .bind(active)
    .fetch_all(conn)
    .await
}

/// The clerks of a municipality who can be given work: active, doing
/// casework, by name.
pub async fn clerks_of(
    pool: &sqlx::SqlitePool,
    municipality_id: i64,
) -> Result<Vec<super::Colleague>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, display_name FROM users
         WHERE municipality_id = ? AND active = 1 AND role = 'sachbearbeitung'
         ORDER BY display_name COLLATE NOCASE, id",
    )
    .bind(municipality_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| super::Colleague { id, name })
        .collect())
}

/// [`clerks_of`] the municipality as the options of a choice: (id, name).
pub async fn clerk_options(
    pool: &sqlx::SqlitePool,
    municipality_id: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    Ok(clerks_of(pool, municipality_id)
        .await?
        .into_iter()
        .map(|c| (c.id.to_string(), c.name))
        .collect())
}

/// Whether `user_id` is one of [`clerks_of`] the municipality, read in the
/// caller's transaction.
pub async fn is_clerk_of(
    conn: &mut SqliteConnection,
    user_id: i64,
    municipality_id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = ? AND municipality_id = ?
                         AND active = 1 AND role = 'sachbearbeitung')",
    )
    .bind(user_id)
    .bind(municipality_id)
    .fetch_one(conn)
    .await
}

/// A user as if signed in, for work done in their name without a browser
/// (a Scan-Ordner's or Postfach's documents): only while active and of
/// `municipality_id`.
pub async fn acting_as(
    pool: &SqlitePool,
    user_id: i64,
    municipality_id: i64,
) -> Result<Option<SessionUser>, sqlx::Error> {
    let row: Option<(i64, String, String, String, i64, String, String)> = sqlx::query_as(
        "SELECT u.id, u.username, u.display_name, u.role, m.id, m.code, m.name
         FROM users u JOIN municipalities m ON m.id = u.municipality_id
         WHERE u.id = ? AND u.municipality_id = ? AND u.active = 1",
    )
    .bind(user_id)
    .bind(municipality_id)
    .fetch_optional(pool)
    .await?;
    Ok(
        row.and_then(|(id, username, display_name, role, m_id, code, name)| {
            Some(SessionUser {
                id,
                username,
                display_name,
                role: Role::parse(&role)?,
                municipality: Municipality {
                    id: m_id,
                    code,
                    name,
                },
                all_municipalities: false,
                must_change_password: false,
                practice: None,
            })
        }),
    )
}
