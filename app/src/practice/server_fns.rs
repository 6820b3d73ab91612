//! Server functions of practice mode; the use cases are in
//! [`super::service`].

use super::PracticeOverview;
use crate::error::AppError;
use leptos::prelude::*;

/// The practice page's figures for the signed-in user.
#[server(prefix = "/api", endpoint = "load_practice", output = crate::server_json::Json)]
pub async fn load_practice() -> Result<PracticeOverview, AppError> {
    use crate::auth::guard::{require, Rule};
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::overview(&state, &user).await
        }
        .await,
    )
}

/// Switches practice mode on (creating the area on first use).
#[server(prefix = "/api", endpoint = "enter_practice", output = crate::server_json::Json)]
pub async fn enter_practice() -> Result<(), AppError> {
    use crate::auth::guard::{require, Rule};
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::enter(&state, &user).await
        }
        .await,
    )
}

/// Switches practice mode off; trainees always stay in it.
#[server(prefix = "/api", endpoint = "leave_practice", output = crate::server_json::Json)]
pub async fn leave_practice() -> Result<(), AppError> {
    use crate::auth::guard::{require, Rule};
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::leave(&state, &user).await
        }
        .await,
    )
}

/// Puts the caller's practice area back into its starting state.
#[server(prefix = "/api", endpoint = "reset_practice", output = crate::server_json::Json)]
pub async fn reset_practice() -> Result<(), AppError> {
    use crate::auth::guard::{require, Rule};
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::reset(&state, &user).await
        }
        .await,
    )
}
