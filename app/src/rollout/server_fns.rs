//! The dashboard's one server function; the CSV route uses [`ssr::build`]
//! too, so page and file always show the same numbers.

use super::{Dashboard, DashboardRequest};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::super::figures::{compute, Range};
    use super::super::{scope_of, Dashboard, DashboardRequest, Scope};
    use crate::auth::SessionUser;
    use crate::error::AppError;
    use sqlx::SqlitePool;

    /// The dashboard `user` may see for `request`: 403 for people without
    /// a scope or asking for another municipality, 400 for a bad range.
    pub async fn build(
        pool: &SqlitePool,
        user: &SessionUser,
        request: &DashboardRequest,
    ) -> Result<Dashboard, AppError> {
        let scope = scope_of(user).ok_or(AppError::Forbidden)?;
        let range = Range::from_request(request, crate::time::today())?;
        let selected = match request.gemeinde.trim() {
            "" => None,
            value => Some(
                value
                    .parse::<i64>()
                    .map_err(|_| AppError::invalid("Bitte eine Gemeinde aus der Liste wählen."))?,
            ),
        };
        let choosable: Vec<_> = super::super::storage::municipalities(pool)
            .await?
            .into_iter()
            .filter(|m| scope.includes(m.id))
            .collect();
        let shown: Vec<_> = match selected {
            Some(id) if !choosable.iter().any(|m| m.id == id) => {
                return Err(match scope {
                    Scope::All => AppError::NotFound("Die Gemeinde".into()),
                    Scope::Own(_) => AppError::Forbidden,
                })
            }
            Some(id) => choosable.iter().filter(|m| m.id == id).cloned().collect(),
            None => choosable.clone(),
        };
        let facts = super::super::storage::facts(pool, range.from, range.to).await?;
        Ok(compute(&facts, range, shown, choosable, selected))
    }
}

/// The figures for the chosen range, granularity and municipality.
#[server(prefix = "/api", endpoint = "rollout_dashboard")]
pub async fn rollout_dashboard(request: DashboardRequest) -> Result<Dashboard, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::require_user()?;
            let state = crate::state::AppState::from_context()?;
            ssr::build(&state.pool, &user, &request).await
        }
        .await,
    )
}
