//! Server functions of Funktionen, for the Administration: each asks the
//! guard for the signed-in person and hands over to [`super::service`].

use super::Funktionen;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Rule};

/// The own municipality's Funktionen and clerks.
#[server(prefix = "/api", endpoint = "load_funktionen", output = crate::server_json::Json)]
pub async fn load_funktionen() -> Result<Funktionen, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Administration)?;
            super::service::overview(&state, &user).await
        }
        .await,
    )
}

/// Names a new Funktion (`id` empty) or renames one.
#[server(prefix = "/api", endpoint = "save_funktion", output = crate::server_json::Json)]
pub async fn save_funktion(id: Option<i64>, name: String) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Administration)?;
            super::service::save(&state, &user, id, &name).await
        }
        .await,
    )
}

/// Removes a Funktion no running Laufweg asks.
#[server(prefix = "/api", endpoint = "remove_funktion", output = crate::server_json::Json)]
pub async fn remove_funktion(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Administration)?;
            super::service::remove(&state, &user, id).await
        }
        .await,
    )
}

/// Gives a clerk the Funktion (`member` true) or takes it away.
#[server(prefix = "/api", endpoint = "set_funktion_member", output = crate::server_json::Json)]
pub async fn set_funktion_member(id: i64, user_id: i64, member: bool) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Administration)?;
            super::service::set_member(&state, &user, id, user_id, member).await
        }
        .await,
    )
}
