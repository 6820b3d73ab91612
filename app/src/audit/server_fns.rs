//! Reading the audit log (administrators only): each server function hands
//! its request to the use case in [`super::service`].

use super::{AuditEntryView, ChainReport};
use crate::error::AppError;
use leptos::prelude::*;

/// Newest entries first; municipal admins see their own municipality only.
#[server(prefix = "/api", endpoint = "list_audit", output = crate::server_json::Json)]
pub async fn list_audit(
    action: Option<String>,
    document: Option<i64>,
    before_id: Option<i64>,
) -> Result<Vec<AuditEntryView>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) =
                crate::auth::guard::require(crate::auth::guard::Rule::Administration)?;
            super::service::list(&state, &user, action.as_deref(), document, before_id).await
        }
        .await,
    )
}

/// Re-computes the whole hash chain and compares it with the checkpoints
/// kept outside the database (which also show a cut-off end).
#[server(prefix = "/api", endpoint = "verify_audit", output = crate::server_json::Json)]
pub async fn verify_audit() -> Result<ChainReport, AppError> {
    crate::error::with_status(
        async {
            let (user, state) =
                crate::auth::guard::require(crate::auth::guard::Rule::Administration)?;
            super::service::verify(&state, &user).await
        }
        .await,
    )
}
