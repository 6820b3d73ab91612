//! Server functions about the signed-in user.

use super::SessionUser;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in user, or `None` on the login page. Answers a session with
/// a one-time password too (the password page needs to know who it is).
#[server(prefix = "/api", endpoint = "current_user", output = crate::server_json::Json)]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    Ok(super::require_user_allowing_password_change().ok())
}

/// Changes the signed-in user's own password. Other sessions of the user end;
/// the current one stays.
#[server(prefix = "/api", endpoint = "change_password", output = crate::server_json::Json)]
pub async fn change_password(
    current: String,
    new_password: String,
    repeat: String,
) -> Result<(), AppError> {
    use super::service::PasswordChange;
    crate::error::with_status(
        async {
            // The one thing a session with a one-time password may do.
            let user = super::require_user_allowing_password_change()?;
            let state = crate::state::AppState::from_context()?;
            let token = use_context::<axum::http::request::Parts>()
                .and_then(|parts| parts.extensions.get::<super::SessionToken>().cloned());
            let change = PasswordChange {
                current,
                new_password,
                repeat,
            };
            let address = super::client_address();
            super::service::change_password(
                &state,
                &user,
                change,
                address.as_deref(),
                token.as_ref().map(|token| token.0.as_str()),
            )
            .await
        }
        .await,
    )
}
