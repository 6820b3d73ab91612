//! The dashboard's use case; the page's server function and the CSV route
//! both call [`dashboard`], so page and file always show the same numbers.
//! It reads the summary (`storage::summary`); `aktenwerk rollout-check`
//! ([`super::check`]) compares that with the raw rows.

use super::figures::{compute_from_summary, Range};
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
    // One snapshot: the levels before the range and the days inside it
    // must not be read on both sides of a change.
    let mut tx = state.pool.begin().await?;
    let choosable: Vec<_> = storage::municipalities(&mut tx)
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
    let summary = storage::summary(&mut tx, range, &shown).await?;
    tx.rollback().await?;
    Ok(compute_from_summary(
        &summary, range, shown, choosable, selected,
    ))
}
