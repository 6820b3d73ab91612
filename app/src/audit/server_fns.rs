//! Reading the audit log (administrators only).

use super::{AuditEntryView, ChainReport};
use crate::error::AppError;
use leptos::prelude::*;

/// Newest entries first; municipal admins see their own municipality only.
#[server(prefix = "/api", endpoint = "list_audit")]
pub async fn list_audit(
    action: Option<String>,
    before_id: Option<i64>,
) -> Result<Vec<AuditEntryView>, AppError> {
    use crate::{auth::permissions, state::AppState};
    crate::error::with_status(
        async {
            let user = crate::auth::require_user()?;
            if !permissions::can_administer_users(&user) {
                return Err(AppError::Forbidden);
            }
            let state = AppState::from_context()?;
            let scope = (!user.all_municipalities).then_some(user.municipality.id);
            let action = action.filter(|a| !a.is_empty());
            Ok(super::storage::list(&state.pool, scope, action.as_deref(), before_id, 100).await?)
        }
        .await,
    )
}

/// Re-computes the whole hash chain.
#[server(prefix = "/api", endpoint = "verify_audit")]
pub async fn verify_audit() -> Result<ChainReport, AppError> {
    use crate::{auth::permissions, state::AppState};
    crate::error::with_status(
        async {
            let user = crate::auth::require_user()?;
            if !permissions::can_administer_users(&user) {
                return Err(AppError::Forbidden);
            }
            let state = AppState::from_context()?;
            Ok(super::storage::verify_chain(&state.pool).await?)
        }
        .await,
    )
}
