//! Server functions of the search: results with facets, and suggestions.
//! Each hands its request to the use case in [`super::service`]; the checks
//! of what was typed live here because the search page runs them too.

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

/// Full-text search with facets, restricted to what the user may see.
#[server(prefix = "/api", endpoint = "search_documents")]
pub async fn search_documents(params: SearchParams) -> Result<SearchResults, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            super::service::search(&state, &user, params).await
        }
        .await,
    )
}

/// Documents whose title or text starts like what is typed in the header.
#[server(prefix = "/api", endpoint = "suggest_documents")]
pub async fn suggest_documents(prefix: String) -> Result<Vec<Suggestion>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            super::service::suggest(&state, &user, &prefix).await
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
