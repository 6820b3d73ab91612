//! Reading the audit log (administrators only).

use super::{AuditEntryView, ChainReport};
use crate::error::AppError;
use leptos::prelude::*;

/// Newest entries first; municipal admins see their own municipality only.
#[server(prefix = "/api", endpoint = "list_audit")]
pub async fn list_audit(
    action: Option<String>,
    document: Option<i64>,
    before_id: Option<i64>,
) -> Result<Vec<AuditEntryView>, AppError> {
    use crate::state::AppState;
    crate::error::with_status(
        async {
            let user = crate::auth::require_user()?;
            if !crate::auth::guard::Rule::Administration.allows(&user) {
                return Err(AppError::Forbidden);
            }
            let state = AppState::from_context()?;
            let scope = (!user.all_municipalities).then_some(user.municipality.id);
            let action = action.filter(|a| !a.is_empty());
            let document = document.map(|id| id.to_string());
            let filter = super::storage::Filter {
                municipality_id: scope,
                action: action.as_deref(),
                object: document.as_deref().map(|id| ("document", id)),
                before_id,
            };
            Ok(super::storage::list(&state.pool, filter, 100).await?)
        }
        .await,
    )
}

/// Re-computes the whole hash chain and compares it with the checkpoints
/// kept outside the database (which also show a cut-off end).
#[server(prefix = "/api", endpoint = "verify_audit")]
pub async fn verify_audit() -> Result<ChainReport, AppError> {
    use crate::state::AppState;
    crate::error::with_status(
        async {
            let user = crate::auth::require_user()?;
            if !crate::auth::guard::Rule::Administration.allows(&user) {
                return Err(AppError::Forbidden);
            }
            let state = AppState::from_context()?;
            Ok(super::anchor::verify(&state.pool, &state.settings.audit_anchor).await?)
        }
        .await,
    )
}
