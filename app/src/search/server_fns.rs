//! Server functions of the search: results with facets, and suggestions.
//! Thin: check who asks, build the [`Viewer`](super::index::Viewer) from the
//! session, ask the index, name the plan main groups.

use super::{SearchParams, SearchResults, Suggestion};
use crate::error::AppError;
use leptos::prelude::*;

/// Longest query accepted; longer input is a paste accident, not a search.
pub const MAX_QUERY_CHARS: usize = 200;
/// Deepest page served (20 per page: 10,000 results).
pub const MAX_PAGE: u32 = 500;

/// Checks what a person typed; the message says what to change.
pub fn check_params(params: &SearchParams) -> Result<(), String> {
    if params.q.chars().count() > MAX_QUERY_CHARS {
        return Err(format!(
            "Bitte kürzen Sie die Suche auf höchstens {MAX_QUERY_CHARS} Zeichen."
        ));
    }
    if params.page > MAX_PAGE {
        return Err(format!(
            "Es werden höchstens {MAX_PAGE} Seiten angezeigt. Bitte grenzen Sie die Suche weiter ein."
        ));
    }
    Ok(())
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::error::AppError;
    use crate::search::index::{IndexError, Viewer};

    /// Only clerks read case documents, so only they search them.
    pub fn searcher() -> Result<(Viewer, crate::state::AppState), AppError> {
        let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::Clerk)?;
        Ok((
            Viewer {
                municipalities: vec![user.municipality.id],
            },
            state,
        ))
    }

    pub fn index_failed(error: IndexError) -> AppError {
        tracing::error!(%error, "search failed");
        AppError::Internal
    }
}

/// Full-text search with facets, restricted to what the user may see.
#[server(prefix = "/api", endpoint = "search_documents")]
pub async fn search_documents(params: SearchParams) -> Result<SearchResults, AppError> {
    crate::error::with_status(
        async {
            check_params(&params).map_err(AppError::Invalid)?;
            let (viewer, state) = ssr::searcher()?;
            let index = state.search.clone();
            let mut params = params;
            params.page = params.page.max(1);
            let mut results = tokio::task::spawn_blocking(move || index.search(&viewer, &params))
                .await
                .map_err(|_| AppError::Internal)?
                .map_err(ssr::index_failed)?;
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
        .await,
    )
}

/// Documents whose title or text starts like what is typed in the header.
#[server(prefix = "/api", endpoint = "suggest_documents")]
pub async fn suggest_documents(prefix: String) -> Result<Vec<Suggestion>, AppError> {
    crate::error::with_status(
        async {
            let prefix = prefix.trim().to_string();
            if prefix.chars().count() < 2 || prefix.chars().count() > MAX_QUERY_CHARS {
                return Ok(Vec::new());
            }
            let (viewer, state) = ssr::searcher()?;
            let index = state.search.clone();
            tokio::task::spawn_blocking(move || index.suggest(&viewer, &prefix, 6))
                .await
                .map_err(|_| AppError::Internal)?
                .map_err(ssr::index_failed)
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_queries_and_deep_pages_are_refused_in_german() {
        let mut params = SearchParams {
            q: "a".repeat(MAX_QUERY_CHARS + 1),
            ..SearchParams::default()
        };
        assert!(check_params(&params)
            .expect_err("refused")
            .contains("höchstens 200 Zeichen"));
        params.q = "Bauantrag".into();
        assert!(check_params(&params).is_ok());
        params.page = MAX_PAGE + 1;
        assert!(check_params(&params)
            .expect_err("refused")
            .contains("Seiten"));
    }
}
