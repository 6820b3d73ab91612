//! Password-guessing throttle for logins and password changes.
//!
//! Failures are counted per (account, address) and per address. After a few
//! free failures every further attempt waits a growing delay (2, 4, 8 …
//! seconds, capped) after the last failure. Counting per account alone
//! would let anyone lock any account (or, behind a reverse proxy, everyone)
//! with a few wrong passwords; per (account, address) an outsider only slows
//! themselves down. The per-address budget is much larger and catches one
//! address spraying many accounts.
//!
//! Check and count are one write transaction, and the attempt is counted
//! *before* the password is verified (and forgiven on success): parallel
//! attempts cannot all pass the check before the first failure is written.
//! Unknown user names are counted exactly like known ones, so the delay
//! reveals nothing about which accounts exist.

use sqlx::SqlitePool;

#[derive(Clone, Copy, Debug)]
pub struct ThrottlePolicy {
    /// How long a failure counts.
    pub window_secs: i64,
    /// Failures of one account from one address before delays start.
    pub free_per_account_address: usize,
    /// Failures from one address (any accounts) before delays start.
    pub free_per_address: usize,
    /// The longest delay between two attempts.
    pub max_delay_secs: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            window_secs: 24 * 3600,
            free_per_account_address: 5,
            free_per_address: 50,
            max_delay_secs: 15 * 60,
        }
    }
}

/// Seconds until the next attempt is allowed, given the times of failures in
/// the window (oldest first). `None` means an attempt is allowed now.
/// With `free` or more failures the next attempt waits 2^(n - free + 1)
/// seconds after the newest failure, at most `max_delay`.
pub fn wait_secs(
    failures: &[i64],
    free: usize,
    window_secs: i64,
    max_delay: i64,
    now: i64,
) -> Option<i64> {
    let recent: Vec<i64> = failures
        .iter()
        .copied()
        .filter(|at| now - at < window_secs)
        .collect();
    if recent.len() < free {
        return None;
    }
    let newest = recent.iter().copied().max()?;
    let excess = (recent.len() - free + 1).min(32) as u32;
    let delay = 2_i64.saturating_pow(excess).min(max_delay);
    let allowed_at = newest + delay;
    (allowed_at > now).then_some(allowed_at - now)
}

/// What is being guarded: login or a password change (counted apart, so a
/// signed-in user's typos cannot slow down their next login and the
/// other way round).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Login,
    PasswordChange,
}

impl Purpose {
    fn prefix(self) -> &'static str {
        match self {
            Purpose::Login => "login",
            Purpose::PasswordChange => "change",
        }
    }
}

fn account_address_key(purpose: Purpose, username: &str, address: Option<&str>) -> String {
    format!(
        "{}:user:{}|ip:{}",
        purpose.prefix(),
        username.trim().to_lowercase(),
        address.unwrap_or("-")
    )
}

fn address_key(address: &str) -> String {
    format!("ip:{address}")
}

/// An attempt that passed the check and is already counted as a failure.
/// Forgive it with [`forgive`] when the password turns out right (or the
/// attempt never reached verification).
#[derive(Debug)]
#[must_use]
pub struct Ticket {
    ids: Vec<i64>,
    pair_key: String,
}

/// Checks whether an attempt is allowed now and, in the same write
/// transaction, counts it. `Ok(Err(secs))` means: wait this long.
pub async fn begin_attempt(
    pool: &SqlitePool,
    policy: ThrottlePolicy,
    purpose: Purpose,
    username: &str,
    address: Option<&str>,
    now: i64,
) -> Result<Result<Ticket, i64>, sqlx::Error> {
    let pair_key = account_address_key(purpose, username, address);
    let mut keys = vec![(pair_key.clone(), policy.free_per_account_address)];
    if let Some(address) = address {
        keys.push((address_key(address), policy.free_per_address));
    }
    let since = now - policy.window_secs;
    // BEGIN IMMEDIATE: the write lock is taken before the check, so
    // concurrent attempts queue here instead of all reading "not yet".
    let mut tx = crate::db::begin_write(pool).await?;
    let mut wait = None;
    for (key, free) in &keys {
        let failures = sqlx::query_scalar::<_, i64>(
            "SELECT at FROM login_failures WHERE key = ? AND at > ? ORDER BY at",
        )
        .bind(key)
        .bind(since)
        .fetch_all(&mut *tx)
        .await?;
        wait = wait.max(wait_secs(
            &failures,
            *free,
            policy.window_secs,
            policy.max_delay_secs,
            now,
        ));
    }
    if let Some(wait) = wait {
        tx.rollback().await?;
        return Ok(Err(wait));
    }
    let mut ids = Vec::with_capacity(keys.len());
    for (key, _) in &keys {
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO login_failures (key, at) VALUES (?, ?) RETURNING id",
        )
        .bind(key)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        ids.push(id);
    }
    sqlx::query("DELETE FROM login_failures WHERE at <= ?")
        .bind(since)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Ok(Ticket { ids, pair_key }))
}

/// The attempt did not fail after all: remove what [`begin_attempt`]
/// counted.
pub async fn forgive(pool: &SqlitePool, ticket: &Ticket) -> Result<(), sqlx::Error> {
    for id in &ticket.ids {
        sqlx::query("DELETE FROM login_failures WHERE id = ?")
            .bind(id)
            .execute(pool)
            .await?;
    }
    Ok(())
}

/// The right password from this address: its earlier failures for this
/// account are forgiven too. The address budget keeps its other failures,
/// so one known password does not reset a sprayer's count.
pub async fn succeeded(pool: &SqlitePool, ticket: &Ticket) -> Result<(), sqlx::Error> {
    forgive(pool, ticket).await?;
    sqlx::query("DELETE FROM login_failures WHERE key = ?")
        .bind(&ticket.pair_key)
        .execute(pool)
        .await?;
    Ok(())
}

/// Whole minutes to tell a person, rounded up.
pub fn minutes(wait_secs: i64) -> i64 {
    (wait_secs + 59) / 60
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_failures_then_growing_capped_delays() {
        let window = 3600;
        assert_eq!(wait_secs(&[], 3, window, 900, 1000), None);
        assert_eq!(wait_secs(&[100, 200], 3, window, 900, 300), None);
        // Third failure reached the free budget: 2 s after the newest.
        assert_eq!(wait_secs(&[100, 200, 300], 3, window, 900, 300), Some(2));
        assert_eq!(wait_secs(&[100, 200, 300], 3, window, 900, 301), Some(1));
        assert_eq!(wait_secs(&[100, 200, 300], 3, window, 900, 302), None);
        // Each further failure doubles the delay.
        assert_eq!(wait_secs(&[1, 2, 3, 400], 3, window, 900, 400), Some(4));
        assert_eq!(
            wait_secs(&[1, 2, 3, 4, 5, 6, 7, 400], 3, window, 900, 400),
            Some(64)
        );
        // … up to the cap, however many there were.
        let many: Vec<i64> = (0..200).collect();
        assert_eq!(wait_secs(&many, 3, window, 900, 199), Some(900));
    }

    #[test]
    fn old_failures_age_out_of_the_window() {
        assert_eq!(wait_secs(&[0, 1, 2], 3, 100, 900, 101), None);
        assert_eq!(wait_secs(&[0, 1, 99], 3, 100, 900, 100), None);
    }

    #[test]
    fn keys_ignore_case_and_spaces_and_separate_addresses_and_purposes() {
        assert_eq!(
            account_address_key(Purpose::Login, " Anna.Schmidt ", Some("10.0.0.1")),
            account_address_key(Purpose::Login, "anna.schmidt", Some("10.0.0.1"))
        );
        assert_ne!(
            account_address_key(Purpose::Login, "anna", Some("10.0.0.1")),
            account_address_key(Purpose::Login, "anna", Some("10.0.0.2"))
        );
        assert_ne!(
            account_address_key(Purpose::Login, "anna", None),
            account_address_key(Purpose::PasswordChange, "anna", None)
        );
    }

    #[test]
    fn minutes_round_up() {
        assert_eq!(minutes(1), 1);
        assert_eq!(minutes(60), 1);
        assert_eq!(minutes(61), 2);
    }
}
