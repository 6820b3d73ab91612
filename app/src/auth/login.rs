//! The login and logout flows, independent of HTTP: the server's form
//! handlers only translate requests and cookies.

use super::{password, session, storage, throttle};
use crate::audit::storage::{record, NewEntry};
use crate::db::begin_write;
use crate::state::AppState;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LoginError {
    /// Wrong user name or password, or a deactivated account: one message for
    /// all, so that nobody can probe which accounts exist.
    #[error("Benutzername oder Passwort ist nicht korrekt.")]
    InvalidCredentials,
    #[error("Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie {minutes} Minute(n) und versuchen Sie es dann erneut.")]
    Throttled { minutes: i64 },
    /// Every password-hashing slot stayed taken for a while.
    #[error(
        "Der Server ist gerade ausgelastet. Bitte versuchen Sie es in einigen Sekunden erneut."
    )]
    Busy,
    #[error("Die Anmeldung ist gerade nicht möglich. Bitte versuchen Sie es gleich noch einmal.")]
    Internal,
}

impl From<sqlx::Error> for LoginError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "database error during login");
        LoginError::Internal
    }
}

impl LoginError {
    /// Short code for the login page's URL (`?fehler=`).
    pub fn code(&self) -> &'static str {
        match self {
            LoginError::InvalidCredentials => "ungueltig",
            LoginError::Throttled { .. } => "gesperrt",
            LoginError::Busy => "ausgelastet",
            LoginError::Internal => "intern",
        }
    }
}

/// Checks the credentials, applies throttling and on success starts a new
/// session (a fresh token every time: the session is rotated on login).
/// Returns the session token for the cookie.
pub async fn attempt(
    state: &AppState,
    username: &str,
    password_given: &str,
    address: Option<&str>,
    user_agent: Option<&str>,
) -> Result<String, LoginError> {
    let pool = &state.pool;
    let policy = state.settings.throttle;
    let username = username.trim().to_lowercase();
    let now = crate::time::now();
    // Counted as a failure before the password is checked; see throttle.rs.
    let ticket = match throttle::begin_attempt(
        pool,
        policy,
        throttle::Purpose::Login,
        &username,
        address,
        now,
    )
    .await?
    {
        Ok(ticket) => ticket,
        Err(wait) => {
            return Err(LoginError::Throttled {
                minutes: throttle::minutes(wait),
            })
        }
    };
    let candidate = storage::candidate(pool, &username).await?;

    // argon2 is deliberately slow and memory-hungry: off the async workers
    // and only a few at a time.
    let given = password_given.to_string();
    let verification = match &candidate {
        Some(user) => {
            let hash = user.password_hash.clone();
            password::run_bounded(&state.hashing, move || password::verify(&given, &hash)).await
        }
        None => {
            password::run_bounded(&state.hashing, move || {
                password::verify_against_dummy(&given);
                false
            })
            .await
        }
    };
    let verified = match verification {
        Ok(verified) => verified,
        Err(password::Busy) => {
            // Not checked, so not a failure.
            throttle::forgive(pool, &ticket).await?;
            return Err(LoginError::Busy);
        }
    };

    let user = match candidate {
        Some(user) if verified && user.active => user,
        other => {
            // The failure stays counted (the ticket is not forgiven).
            let mut tx = begin_write(pool).await?;
            record(
                &mut tx,
                NewEntry {
                    actor_user_id: other.as_ref().map(|u| u.id),
                    actor_name: username.chars().take(100).collect(),
                    municipality_id: other.as_ref().map(|u| u.municipality_id),
                    action: "login_failed",
                    object_type: "session",
                    details: serde_json::json!({
                        "reason": match &other {
                            None => "unknown_user",
                            Some(u) if !u.active => "inactive",
                            Some(_) => "wrong_password",
                        }
                    }),
                    ip: address.map(str::to_string),
                    ..NewEntry::default()
                },
            )
            .await?;
            tx.commit().await?;
            return Err(LoginError::InvalidCredentials);
        }
    };

    throttle::succeeded(pool, &ticket).await?;
    let mut tx = begin_write(pool).await?;
    let token = session::create(
        &mut *tx,
        &state.settings.session_key,
        user.id,
        address,
        user_agent,
    )
    .await?;
    storage::set_last_login(&mut tx, user.id, now).await?;
    let activity = super::hooks::Activity {
        user_id: user.id,
        municipality_id: user.municipality_id,
        at: now,
    };
    (state.session_hooks.on_activity)(&mut tx, activity).await?;
    record(
        &mut tx,
        NewEntry {
            actor_user_id: Some(user.id),
            actor_name: user.display_name,
            municipality_id: Some(user.municipality_id),
            action: "login",
            object_type: "session",
            details: serde_json::json!({}),
            ip: address.map(str::to_string),
            object_id: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Ends the session behind `token` (if any) and records the logout.
pub async fn logout(
    state: &AppState,
    token: &str,
    address: Option<&str>,
) -> Result<(), sqlx::Error> {
    let key = &state.settings.session_key;
    let user = session::lookup(state, token).await?;
    session::delete(&state.pool, key, token).await?;
    if let Some(user) = user {
        crate::audit::service::record_alone(
            &state.pool,
            NewEntry {
                actor_user_id: Some(user.id),
                municipality_id: Some(user.home_municipality().id),
                actor_name: user.display_name,
                action: "logout",
                object_type: "session",
                details: serde_json::json!({}),
                ip: address.map(str::to_string),
                object_id: None,
            },
        )
        .await?;
    }
    Ok(())
}
