//! Server functions for Vorgänge: each asks the guard for the signed-in
//! person and hands over to [`super::service`].

use super::{AkteVorgaenge, VorgangDetail, VorgangStatus, VorgangSummary};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Rule};

/// Opens a Vorgang in an Akte of the user's municipality.
#[server(prefix = "/api", endpoint = "open_vorgang", output = crate::server_json::Json)]
pub async fn open_vorgang(
    akte_id: i64,
    title: String,
    opened_on: String,
) -> Result<VorgangSummary, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::OpenAkten)?;
            super::service::open(&state, &user, akte_id, &title, &opened_on).await
        }
        .await,
    )
}

/// The Vorgänge of an Akte the user's municipality may see.
#[server(prefix = "/api", endpoint = "list_vorgaenge", output = crate::server_json::Json)]
pub async fn list_vorgaenge(akte_id: i64) -> Result<AkteVorgaenge, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::OpenAkten)?;
            super::service::list(&state, &user, akte_id).await
        }
        .await,
    )
}

/// Moves a Vorgang between "offen" and "in Bearbeitung".
#[server(prefix = "/api", endpoint = "set_vorgang_status", output = crate::server_json::Json)]
pub async fn set_vorgang_status(id: i64, status: VorgangStatus) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::OpenAkten)?;
            super::service::set_status(&state, &user, id, status).await
        }
        .await,
    )
}

/// One Vorgang, for its page.
#[server(prefix = "/api", endpoint = "get_vorgang", output = crate::server_json::Json)]
pub async fn get_vorgang(id: i64) -> Result<VorgangDetail, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::OpenAkten)?;
            super::service::detail(&state, &user, id).await
        }
        .await,
    )
}

/// Closes a Vorgang: "zu den Akten". With `cancel_waiting` set, open
/// Wiedervorlagen and running Laufwege in it are cancelled with it.
/// Returns the retention end.
#[server(prefix = "/api", endpoint = "close_vorgang", output = crate::server_json::Json)]
pub async fn close_vorgang(
    id: i64,
    closed_on: String,
    cancel_waiting: Option<String>,
) -> Result<Option<String>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::OpenAkten)?;
            super::service::close(&state, &user, id, &closed_on, cancel_waiting.is_some()).await
        }
        .await,
    )
}
