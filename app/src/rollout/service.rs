//! The dashboard's use case; the page's server function and the CSV route
//! both call [`dashboard`], so page and file always show the same numbers.

use super::figures::{compute, Range};
use super::{scope_of, storage, Dashboard, DashboardRequest, Scope};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::state::AppState;

/// The dashboard `user` may see for `request`: 403 for people without
/// a scope or asking for another municipality, 400 for a bad range.
pub async fn dashboard(
    state: &AppState,
    user: &SessionUser,
    request: &DashboardRequest,
) -> Result<Dashboard, AppError> {
    guard::check(user, Rule::RolloutFigures)?;
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
    let pool = &state.pool;
    let choosable: Vec<_> = storage::municipalities(pool)
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
    let facts = storage::facts(pool, range.from, range.to).await?;
    Ok(compute(&facts, range, shown, choosable, selected))
}
