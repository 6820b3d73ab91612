//! Server functions about the signed-in user.

use super::SessionUser;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in user, or `None` on the login page. Answers a session with
/// a one-time password too (the password page needs to know who it is).
#[server(prefix = "/api", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    Ok(super::require_user_allowing_password_change().ok())
}

/// Changes the signed-in user's own password. Other sessions of the user end;
/// the current one stays.
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(
    current: String,
    new_password: String,
    repeat: String,
) -> Result<(), AppError> {
    use crate::audit::storage::{record, NewEntry};
    use crate::auth::{password, throttle};
    use crate::state::AppState;
    crate::error::with_status(
        async {
            // The one thing a session with a one-time password may do.
            let user = super::require_user_allowing_password_change()?;
            let state = AppState::from_context()?;
            if new_password != repeat {
                return Err(AppError::invalid(
                    "Die beiden neuen Passwörter stimmen nicht überein.",
                ));
            }
            password::check_new(&new_password, &user.username)?;
            // A taken-over session must not become a way to guess the
            // current password: the same throttle as the login.
            let address = super::client_address();
            let ticket = match throttle::begin_attempt(
                &state.pool,
                state.settings.throttle,
                throttle::Purpose::PasswordChange,
                &user.username,
                address.as_deref(),
                crate::time::now(),
            )
            .await?
            {
                Ok(ticket) => ticket,
                Err(wait) => {
                    return Err(AppError::TooManyRequests(format!(
                        "Zu viele falsche Eingaben des bisherigen Passworts. Bitte warten Sie {} Minute(n) und versuchen Sie es dann erneut.",
                        throttle::minutes(wait)
                    )))
                }
            };
            let stored: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = ?")
                .bind(user.id)
                .fetch_one(&state.pool)
                .await?;
            let checked = password::run_bounded(&state.hashing, move || {
                let ok = password::verify(&current, &stored);
                (ok, ok.then(|| password::hash(&new_password)))
            })
            .await;
            let (ok, new_hash) = match checked {
                Ok(checked) => checked,
                Err(password::Busy) => {
                    throttle::forgive(&state.pool, &ticket).await?;
                    return Err(password::busy_error());
                }
            };
            if !ok {
                return Err(AppError::invalid("Das bisherige Passwort ist nicht korrekt."));
            }
            throttle::succeeded(&state.pool, &ticket).await?;
            let new_hash = new_hash.ok_or(AppError::Internal)??;
            let current_token_hash = current_session_token_hash(&state);
            let mut tx = crate::db::begin_write(&state.pool).await?;
            sqlx::query(
                "UPDATE users SET password_hash = ?, must_change_password = 0, updated_at = ? WHERE id = ?",
            )
            .bind(new_hash)
            .bind(crate::time::now())
            .bind(user.id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?")
                .bind(user.id)
                .bind(current_token_hash)
                .execute(&mut *tx)
                .await?;
            record(
                &mut tx,
                NewEntry::by(&user, "password_changed", "user", user.id, serde_json::json!({})),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn current_session_token_hash(state: &crate::state::AppState) -> Option<String> {
    let parts = use_context::<axum::http::request::Parts>()?;
    let token = parts.extensions.get::<super::SessionToken>()?;
    Some(state.settings.session_key.token_hash(&token.0))
}
