//! Server functions of the user administration: each hands the form to
//! its use case in [`super::service`], which checks the caller's
//! permission for the specific account it touches.

use super::{AdminOverview, OneTimePassword};
use crate::error::AppError;
use leptos::prelude::*;

/// The accounts this administrator manages, and the choices for the forms.
#[server(prefix = "/api", endpoint = "list_users", output = crate::server_json::Json)]
pub async fn list_users() -> Result<AdminOverview, AppError> {
    use crate::auth::guard::{require, Rule};
    crate::error::with_status(
        async {
            let (admin, state) = require(Rule::Administration)?;
            super::service::overview(&state, &admin).await
        }
        .await,
    )
}

/// Creates an account with a one-time password that must be changed at the
/// first login.
#[server(prefix = "/api", endpoint = "create_user", output = crate::server_json::Json)]
pub async fn create_user(
    username: String,
    display_name: String,
    email: String,
    municipality_id: i64,
    role: String,
    all_municipalities: Option<String>,
) -> Result<OneTimePassword, AppError> {
    use super::service::AccountForm;
    use crate::auth::guard::{require, Rule};
    crate::error::with_status(
        async {
            let (admin, state) = require(Rule::Administration)?;
            let form = AccountForm {
                display_name: &display_name,
                email: &email,
                municipality_id,
                role: &role,
                all_municipalities: all_municipalities.is_some(),
            };
            super::service::create(&state, &admin, &username, form).await
        }
        .await,
    )
}

/// Changes name, e-mail, municipality, role and scope of an account.
#[server(prefix = "/api", endpoint = "update_user", output = crate::server_json::Json)]
pub async fn update_user(
    id: i64,
    display_name: String,
    email: String,
    municipality_id: i64,
    role: String,
    all_municipalities: Option<String>,
) -> Result<(), AppError> {
    use super::service::AccountForm;
    use crate::auth::guard::{require, Rule};
    crate::error::with_status(
        async {
            let (admin, state) = require(Rule::Administration)?;
            let form = AccountForm {
                display_name: &display_name,
                email: &email,
                municipality_id,
                role: &role,
                all_municipalities: all_municipalities.is_some(),
            };
            super::service::update(&state, &admin, id, form).await
        }
        .await,
    )
}

/// Deactivates (ending all sessions at once) or reactivates an account.
#[server(prefix = "/api", endpoint = "set_user_active", output = crate::server_json::Json)]
pub async fn set_user_active(id: i64, active: bool) -> Result<(), AppError> {
    use crate::auth::guard::{require, Rule};
    crate::error::with_status(
        async {
            let (admin, state) = require(Rule::Administration)?;
            super::service::set_active(&state, &admin, id, active).await
        }
        .await,
    )
}

/// Sets a new one-time password and ends the account's sessions.
#[server(prefix = "/api", endpoint = "reset_password", output = crate::server_json::Json)]
pub async fn reset_password(id: i64) -> Result<OneTimePassword, AppError> {
    use crate::auth::guard::{require, Rule};
    crate::error::with_status(
        async {
            let (admin, state) = require(Rule::Administration)?;
            super::service::reset_password(&state, &admin, id).await
        }
        .await,
    )
}
