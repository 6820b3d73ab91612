//! Server functions of the Postfächer, for the Administration: each asks
//! the guard for the signed-in person and hands over to
//! [`super::service`].

use super::{PostfachForm, PostfachOverview};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Rule};

/// The own municipality's Postfächer and the latest refused messages.
#[server(prefix = "/api", endpoint = "load_postfaecher", output = crate::server_json::Json)]
pub async fn load_postfaecher() -> Result<PostfachOverview, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Administration)?;
            super::service::overview(&state, &user).await
        }
        .await,
    )
}

/// Connects a Postfach after trying its login.
#[server(prefix = "/api", endpoint = "create_postfach", output = crate::server_json::Json)]
pub async fn create_postfach(form: PostfachForm) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Administration)?;
            super::service::create(&state, &user, &form).await
        }
        .await,
    )
}

/// Takes a Postfach out of use.
#[server(prefix = "/api", endpoint = "remove_postfach", output = crate::server_json::Json)]
pub async fn remove_postfach(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Administration)?;
            super::service::remove(&state, &user, id).await
        }
        .await,
    )
}

/// Fetches from a Postfach now; what happened, as a German sentence.
#[server(prefix = "/api", endpoint = "fetch_postfach_now", output = crate::server_json::Json)]
pub async fn fetch_postfach_now(id: i64) -> Result<String, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Administration)?;
            super::service::fetch_now(&state, &user, id).await
        }
        .await,
    )
}
