//! Server-side sessions. The browser holds a random token in an HttpOnly
//! cookie; the database holds only its keyed hash, so a copy of the database
//! cannot be used to take over a session.

use super::{Role, SessionUser};
use crate::municipalities::Municipality;
use crate::state::AppState;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use sqlx::{Sqlite, SqlitePool};

/// How long a session lives without activity and at most.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_timeout_secs: i64,
    pub absolute_timeout_secs: i64,
}

impl SessionPolicy {
    pub fn is_alive(&self, created_at: i64, last_seen_at: i64, now: i64) -> bool {
        now - last_seen_at < self.idle_timeout_secs && now - created_at < self.absolute_timeout_secs
    }
}

/// The secret that keys the token hashes.
#[derive(Clone)]
pub struct SessionKey(pub Vec<u8>);

impl std::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKey(..)")
    }
}

impl SessionKey {
    pub fn token_hash(&self, token: &str) -> String {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(token.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// A fresh 256-bit token, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Starts a new session and returns the token for the cookie.
pub async fn create<'e, E>(
    executor: E,
    key: &SessionKey,
    user_id: i64,
    ip: Option<&str>,
    user_agent: Option<&str>,
) -> Result<String, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let token = new_token();
    let at = crate::time::now();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, ip, user_agent)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(key.token_hash(&token))
    .bind(user_id)
    .bind(at)
    .bind(at)
    .bind(ip)
    .bind(user_agent.map(|agent| agent.chars().take(300).collect::<String>()))
    .execute(executor)
    .await?;
    Ok(token)
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    created_at: i64,
    last_seen_at: i64,
    user_id: i64,
    username: String,
    display_name: String,
    role: String,
    all_municipalities: bool,
    must_change_password: bool,
    practice_active: bool,
    municipality_id: i64,
    municipality_code: String,
    municipality_name: String,
}

/// The user behind a token, if the session exists, is alive and the user is
/// active. Expired sessions are removed on the way; activity is recorded at
/// most once a minute to keep writes low. Trainees, and everyone who
/// switched practice mode on, come back inside their practice area (created
/// on first use).
pub async fn lookup(state: &AppState, token: &str) -> Result<Option<SessionUser>, sqlx::Error> {
    let pool = &state.pool;
    let policy = state.settings.session_policy;
    let token_hash = state.settings.session_key.token_hash(token);
    let row = sqlx::query_as::<_, SessionRow>(
        "SELECT s.created_at, s.last_seen_at, u.id AS user_id, u.username, u.display_name,
                u.role, u.all_municipalities, u.must_change_password, u.practice_active,
                m.id AS municipality_id, m.code AS municipality_code, m.name AS municipality_name
         FROM sessions s
         JOIN users u ON u.id = s.user_id
         JOIN municipalities m ON m.id = u.municipality_id
         WHERE s.token_hash = ? AND u.active = 1",
    )
    .bind(&token_hash)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let at = crate::time::now();
    if !policy.is_alive(row.created_at, row.last_seen_at, at) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(&token_hash)
            .execute(pool)
            .await?;
        return Ok(None);
    }
    // The first request of a new day also counts the day as one of use
    // (sign-in counts the day it happens on).
    let new_day = crate::time::local_day(at) != crate::time::local_day(row.last_seen_at);
    if at - row.last_seen_at >= 60 || new_day {
        sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
            .bind(at)
            .bind(&token_hash)
            .execute(pool)
            .await?;
    }
    if new_day {
        let mut conn = pool.acquire().await?;
        let activity = super::hooks::Activity {
            user_id: row.user_id,
            municipality_id: row.municipality_id,
            at,
        };
        (state.session_hooks.on_activity)(&mut conn, activity).await?;
    }
    let Some(role) = Role::parse(&row.role) else {
        tracing::error!(user_id = row.user_id, role = %row.role, "unknown role in database");
        return Ok(None);
    };
    let user = SessionUser {
        id: row.user_id,
        username: row.username,
        display_name: row.display_name,
        role,
        municipality: Municipality {
            id: row.municipality_id,
            code: row.municipality_code,
            name: row.municipality_name,
        },
        all_municipalities: row.all_municipalities,
        must_change_password: row.must_change_password,
        practice: None,
    };
    if role == Role::Schulung || row.practice_active {
        let practising = (state.session_hooks.practice_area)(state, user).await?;
        if !practising.in_practice() {
            // Real rights for someone who must only practise: refuse the
            // session rather than trust a miswired hook.
            tracing::error!(
                user_id = row.user_id,
                "practice hook left the practice area"
            );
            return Ok(None);
        }
        return Ok(Some(practising));
    }
    Ok(Some(user))
}

pub async fn delete(pool: &SqlitePool, key: &SessionKey, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(key.token_hash(token))
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends every session of a user (deactivation, password reset).
pub async fn delete_all_for_user<'e, E>(executor: E, user_id: i64) -> Result<u64, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = ?")
        .bind(user_id)
        .execute(executor)
        .await?;
    Ok(done.rows_affected())
}

/// Removes sessions that can no longer be used.
pub async fn purge_expired(pool: &SqlitePool, policy: SessionPolicy) -> Result<u64, sqlx::Error> {
    let at = crate::time::now();
    let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at <= ? OR created_at <= ?")
        .bind(at - policy.idle_timeout_secs)
        .bind(at - policy.absolute_timeout_secs)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_enforces_idle_and_absolute_limits() {
        let policy = SessionPolicy {
            idle_timeout_secs: 60,
            absolute_timeout_secs: 600,
        };
        assert!(policy.is_alive(0, 0, 59));
        assert!(!policy.is_alive(0, 0, 60), "idle for a full minute");
        assert!(policy.is_alive(0, 590, 599));
        assert!(
            !policy.is_alive(0, 599, 600),
            "absolute limit even when active"
        );
    }

    #[test]
    fn tokens_are_random_and_hashes_keyed() {
        let a = new_token();
        assert_ne!(a, new_token());
        assert_eq!(a.len(), 43);
        let key_one = SessionKey(b"one".to_vec());
        let key_two = SessionKey(b"two".to_vec());
        assert_eq!(key_one.token_hash(&a), key_one.token_hash(&a));
        assert_ne!(key_one.token_hash(&a), key_two.token_hash(&a));
    }
}
