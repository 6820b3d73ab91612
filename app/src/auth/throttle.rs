//! Login throttling: after too many failed attempts for one user name (or from
//! one address) within a window, further attempts are refused for a while.
//! Unknown user names are counted exactly like known ones, so the lock-out
//! reveals nothing about which accounts exist.

use sqlx::SqlitePool;

#[derive(Clone, Copy, Debug)]
pub struct ThrottlePolicy {
    pub window_secs: i64,
    pub max_failures_per_user: usize,
    pub max_failures_per_address: usize,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            window_secs: 15 * 60,
            max_failures_per_user: 5,
            max_failures_per_address: 30,
        }
    }
}

/// Seconds until the next attempt is allowed, given the times of failures in
/// the window (oldest first). `None` means an attempt is allowed now.
pub fn wait_secs(failures: &[i64], max: usize, window_secs: i64, now: i64) -> Option<i64> {
    let recent: Vec<i64> = failures
        .iter()
        .copied()
        .filter(|at| now - at < window_secs)
        .collect();
    if recent.len() < max {
        return None;
    }
    // Unlocks when enough of the failures have aged out of the window.
    let unlock_at = recent[recent.len() - max] + window_secs;
    Some((unlock_at - now).max(1))
}

fn user_key(username: &str) -> String {
    format!("user:{}", username.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("ip:{address}")
}

async fn failures(pool: &SqlitePool, key: &str, since: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "SELECT at FROM login_failures WHERE key = ? AND at > ? ORDER BY at",
    )
    .bind(key)
    .bind(since)
    .fetch_all(pool)
    .await
}

/// Seconds the caller must wait before trying again, if locked out.
pub async fn locked_for(
    pool: &SqlitePool,
    policy: ThrottlePolicy,
    username: &str,
    address: Option<&str>,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let since = now - policy.window_secs;
    let by_user = wait_secs(
        &failures(pool, &user_key(username), since).await?,
        policy.max_failures_per_user,
        policy.window_secs,
        now,
    );
    let by_address = match address {
        Some(address) => wait_secs(
            &failures(pool, &address_key(address), since).await?,
            policy.max_failures_per_address,
            policy.window_secs,
            now,
        ),
        None => None,
    };
    Ok(by_user.max(by_address))
}

pub async fn record_failure(
    pool: &SqlitePool,
    policy: ThrottlePolicy,
    username: &str,
    address: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for key in std::iter::once(user_key(username)).chain(address.map(address_key)) {
        sqlx::query("INSERT INTO login_failures (key, at) VALUES (?, ?)")
            .bind(key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM login_failures WHERE at <= ?")
        .bind(now - policy.window_secs)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// A successful login forgives the user name's earlier failures.
pub async fn clear_user(pool: &SqlitePool, username: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE key = ?")
        .bind(user_key(username))
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_until_the_limit_then_waits_for_the_oldest_to_age_out() {
        let window = 900;
        assert_eq!(wait_secs(&[], 3, window, 1000), None);
        assert_eq!(wait_secs(&[100, 200], 3, window, 300), None);
        assert_eq!(wait_secs(&[100, 200, 300], 3, window, 300), Some(700));
        assert_eq!(wait_secs(&[100, 200, 300], 3, window, 999), Some(1));
        assert_eq!(wait_secs(&[100, 200, 300], 3, window, 1000), None);
    }

    #[test]
    fn keys_ignore_case_and_spaces() {
        assert_eq!(user_key(" Anna.Schmidt "), user_key("anna.schmidt"));
    }
}
