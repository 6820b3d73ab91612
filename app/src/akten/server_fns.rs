//! Server functions for Akten: each hands its request to the use case in
//! [`super::service`].

use super::{AkteDetail, AkteSummary};
use crate::error::AppError;
use leptos::prelude::*;

/// Opens a new Akte under a plan position for the user's municipality.
#[server(prefix = "/api", endpoint = "create_akte", output = crate::server_json::Json)]
pub async fn create_akte(
    position_id: i64,
    title: String,
    responsible: String,
    opened_on: String,
) -> Result<AkteSummary, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            super::service::open(&state, &user, position_id, &title, &responsible, &opened_on).await
        }
        .await,
    )
}

/// One Akte, if the user's municipality may see it.
#[server(prefix = "/api", endpoint = "get_akte", output = crate::server_json::Json)]
pub async fn get_akte(id: i64) -> Result<AkteDetail, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            super::service::detail(&state, &user, id).await
        }
        .await,
    )
}

/// Closes an Akte (zdA); the retention period starts and its end is stored.
#[server(prefix = "/api", endpoint = "close_akte", output = crate::server_json::Json)]
pub async fn close_akte(id: i64, closed_on: String) -> Result<Option<String>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            super::service::close(&state, &user, id, &closed_on).await
        }
        .await,
    )
}

/// Shares an Akte with another municipality, or ends the sharing.
#[server(prefix = "/api", endpoint = "share_akte", output = crate::server_json::Json)]
pub async fn share_akte(id: i64, municipality_id: i64, shared: bool) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            super::service::share(&state, &user, id, municipality_id, shared).await
        }
        .await,
    )
}
