//! Server functions of the Scan-Ordner, for the Administration: each asks
//! the guard for the signed-in person and hands over to
//! [`super::service`].

use super::ScanOrdnerOverview;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Rule};

/// The own municipality's Scan-Ordner, its clerks and the latest refusals.
#[server(prefix = "/api", endpoint = "load_scan_ordner", output = crate::server_json::Json)]
pub async fn load_scan_ordner() -> Result<ScanOrdnerOverview, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Administration)?;
            super::service::overview(&state, &user).await
        }
        .await,
    )
}

/// Sets up a Scan-Ordner; `aktenzeichen` empty for the Posteingang.
#[server(prefix = "/api", endpoint = "create_scan_ordner", output = crate::server_json::Json)]
pub async fn create_scan_ordner(
    name: String,
    responsible_id: i64,
    aktenzeichen: String,
) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Administration)?;
            super::service::create(&state, &user, &name, responsible_id, &aktenzeichen).await
        }
        .await,
    )
}

/// Takes a Scan-Ordner out of use.
#[server(prefix = "/api", endpoint = "remove_scan_ordner", output = crate::server_json::Json)]
pub async fn remove_scan_ordner(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Administration)?;
            super::service::remove(&state, &user, id).await
        }
        .await,
    )
}
