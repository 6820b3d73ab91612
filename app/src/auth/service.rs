//! Use cases of the signed-in person's own account (signing in and out
//! live in `login.rs`).

use super::{password, storage, throttle, SessionUser};
use crate::audit::storage::{record, NewEntry};
use crate::error::AppError;
use crate::state::AppState;

/// What the password form sends.
#[derive(Clone, Debug)]
pub struct PasswordChange {
    pub current: String,
    pub new_password: String,
    pub repeat: String,
}

/// Changes the user's own password. Other sessions of the user end; the
/// one with `session_token` (the current one) stays. The one thing a
/// session with a one-time password may do, so no [`super::guard::Rule`]
/// applies beyond being signed in.
pub async fn change_password(
    state: &AppState,
    user: &SessionUser,
    change: PasswordChange,
    address: Option<&str>,
    session_token: Option<&str>,
) -> Result<(), AppError> {
    let PasswordChange {
        current,
        new_password,
        repeat,
    } = change;
    if new_password != repeat {
        return Err(AppError::invalid(
            "Die beiden neuen Passwörter stimmen nicht überein.",
        ));
    }
    password::check_new(&new_password, &user.username)?;
    // A taken-over session must not become a way to guess the current
    // password: the same throttle as the login.
    let ticket = match throttle::begin_attempt(
        &state.pool,
        state.settings.throttle,
        throttle::Purpose::PasswordChange,
        &user.username,
        address,
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
    let stored = storage::password_hash(&state.pool, user.id).await?;
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
        return Err(AppError::invalid(
            "Das bisherige Passwort ist nicht korrekt.",
        ));
    }
    throttle::succeeded(&state.pool, &ticket).await?;
    let new_hash = new_hash.ok_or(AppError::Internal)??;
    let keep = session_token.map(|token| state.settings.session_key.token_hash(token));
    let mut tx = crate::db::begin_write(&state.pool).await?;
    storage::set_own_password(&mut tx, user.id, &new_hash).await?;
    storage::end_other_sessions(&mut tx, user.id, keep.as_deref()).await?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "password_changed",
            "user",
            user.id,
            serde_json::json!({}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
