//! Server function of the filing suggestions.

use super::Vorschlag;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Rule};

/// The filing suggestions of a document in the Posteingang.
#[server(prefix = "/api", endpoint = "ablage_vorschlaege", output = crate::server_json::Json)]
pub async fn ablage_vorschlaege(document_id: i64) -> Result<Vec<Vorschlag>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::Clerk)?;
            super::service::for_document(&state, &user, document_id).await
        }
        .await,
    )
}
