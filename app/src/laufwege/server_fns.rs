//! Server functions of Laufwege: each asks the guard for the signed-in
//! person and hands over to [`super::service`].

use super::{DocumentLaufwege, LaufwegStatus, StepInput};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Rule};

/// The Laufwege of a document.
#[server(prefix = "/api", endpoint = "load_laufwege", output = crate::server_json::Json)]
pub async fn load_laufwege(document_id: i64) -> Result<DocumentLaufwege, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            super::service::of_document(&state, &user, document_id).await
        }
        .await,
    )
}

/// Starts a Laufweg on the newest version of an own document.
#[server(prefix = "/api", endpoint = "start_laufweg", output = crate::server_json::Json)]
pub async fn start_laufweg(
    document_id: i64,
    title: String,
    #[server(default)] steps: Vec<StepInput>,
) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            super::service::start(&state, &user, document_id, &title, &steps).await
        }
        .await,
    )
}

/// Answers a step: `zustimmen`, `anmerkung`, `ablehnen` or `kenntnis`.
#[server(prefix = "/api", endpoint = "answer_laufweg_step", output = crate::server_json::Json)]
pub async fn answer_laufweg_step(
    step_id: i64,
    action: String,
    #[server(default)] remark: String,
) -> Result<LaufwegStatus, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            super::service::answer(&state, &user, step_id, &action, &remark).await
        }
        .await,
    )
}

/// Withdraws a running Laufweg one started.
#[server(prefix = "/api", endpoint = "withdraw_laufweg", output = crate::server_json::Json)]
pub async fn withdraw_laufweg(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            super::service::withdraw(&state, &user, id).await
        }
        .await,
    )
}

/// The starter has seen that a Laufweg came back.
#[server(prefix = "/api", endpoint = "laufweg_return_seen", output = crate::server_json::Json)]
pub async fn laufweg_return_seen(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            super::service::return_seen(&state, &user, id).await
        }
        .await,
    )
}
