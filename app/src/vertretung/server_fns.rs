//! Server functions of absences and Vertretung: each asks the guard for
//! the signed-in person and hands over to [`super::service`].

use super::Abwesenheiten;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Rule};

/// The absences page: own ones, those one stands in for, the managed ones.
#[server(prefix = "/api", endpoint = "load_abwesenheiten", output = crate::server_json::Json)]
pub async fn load_abwesenheiten() -> Result<Abwesenheiten, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Absences)?;
            super::service::overview(&state, &user).await
        }
        .await,
    )
}

/// Enters an absence (days `YYYY-MM-DD`, both included) with its deputy.
#[server(prefix = "/api", endpoint = "set_abwesenheit", output = crate::server_json::Json)]
pub async fn set_abwesenheit(
    absent_id: i64,
    deputy_id: i64,
    starts_on: String,
    ends_on: String,
    note: String,
) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Absences)?;
            super::service::set_absence(
                &state, &user, absent_id, deputy_id, &starts_on, &ends_on, &note,
            )
            .await
        }
        .await,
    )
}

/// Cancels an absence that has not ended.
#[server(prefix = "/api", endpoint = "cancel_abwesenheit", output = crate::server_json::Json)]
pub async fn cancel_abwesenheit(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Absences)?;
            super::service::cancel_absence(&state, &user, id).await
        }
        .await,
    )
}
