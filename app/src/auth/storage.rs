//! SQL of sign-in and passwords (sessions have their own `session.rs`).

use sqlx::{SqliteConnection, SqlitePool};

/// An account as the login sees it.
#[derive(sqlx::FromRow)]
pub struct Candidate {
    pub id: i64,
    pub password_hash: String,
    pub active: bool,
    pub municipality_id: i64,
    pub display_name: String,
}

pub async fn candidate(
    pool: &SqlitePool,
    username: &str,
) -> Result<Option<Candidate>, sqlx::Error> {
    sqlx::query_as::<_, Candidate>(
        "SELECT id, password_hash, active, municipality_id, display_name
         FROM users WHERE username = ?",
    )
    .bind(username)
    .fetch_optional(pool)
    .await
}

pub async fn set_last_login(
    conn: &mut SqliteConnection,
    user_id: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_login_at = ? WHERE id = ?")
        .bind(at)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn password_hash(pool: &SqlitePool, user_id: i64) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT password_hash FROM users WHERE id = ?")
        .bind(user_id)
        .fetch_one(pool)
        .await
}

/// A password the person chose themselves: no longer a one-time password.
pub async fn set_own_password(
    conn: &mut SqliteConnection,
    user_id: i64,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET password_hash = ?, must_change_password = 0, updated_at = ? WHERE id = ?",
    )
    .bind(password_hash)
    .bind(crate::time::now())
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends every session of the user but the one with `keep` (a token hash).
pub async fn end_other_sessions(
    conn: &mut SqliteConnection,
    user_id: i64,
    keep: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?")
        .bind(user_id)
        .bind(keep)
        .execute(conn)
        .await?;
    Ok(())
}
