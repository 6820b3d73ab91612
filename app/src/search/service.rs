//! The use cases of the search: results with facets, and suggestions. Only
//! clerks read case documents, so only they search them; the index itself
//! restricts every answer to the searcher's municipality.

use super::index::{IndexError, Viewer};
use super::{SearchParams, SearchResults, Suggestion};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::state::AppState;

fn viewer(user: &SessionUser) -> Result<Viewer, AppError> {
    guard::check(user, Rule::Clerk)?;
    Ok(Viewer {
        municipalities: vec![user.municipality.id],
    })
}

fn index_failed(error: IndexError) -> AppError {
    tracing::error!(%error, "search failed");
    AppError::Internal
}

/// Full-text search with facets, restricted to what the user may see; the
/// main groups are named after the current plan. What was typed is checked
/// before the rule, so a mistyped search gets the same answer from anyone.
pub async fn search(
    state: &AppState,
    user: &SessionUser,
    params: SearchParams,
) -> Result<SearchResults, AppError> {
    super::check_params(&params).map_err(AppError::Invalid)?;
    let viewer = viewer(user)?;
    let index = state.search.clone();
    let mut params = params;
    params.page = params.page.max(1);
    // Index work is CPU-bound; keep it off the async threads.
    let mut results = tokio::task::spawn_blocking(move || index.search(&viewer, &params))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(index_failed)?;
    let plan = state.plan.snapshot();
    for group in &mut results.facets.main_group {
        if let Some(position) = plan.by_code(&group.key) {
            group.label = format!("{} {}", group.key, position.record.title);
        } else if group.key == "ohne" {
            group.label = "Noch nicht abgelegt".into();
        }
    }
    Ok(results)
}

/// Documents whose title or text starts like what is typed in the header.
/// Too little or too much typed gets no suggestions rather than an error,
/// from anyone: the header field asks while people type.
pub async fn suggest(
    state: &AppState,
    user: &SessionUser,
    prefix: &str,
) -> Result<Vec<Suggestion>, AppError> {
    let prefix = prefix.trim().to_string();
    if prefix.chars().count() < 2 || prefix.chars().count() > super::MAX_QUERY_CHARS {
        return Ok(Vec::new());
    }
    let viewer = viewer(user)?;
    let index = state.search.clone();
    tokio::task::spawn_blocking(move || index.suggest(&viewer, &prefix, 6))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(index_failed)
}
