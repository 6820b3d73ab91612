//! Server functions of the search: results with facets, and suggestions.
//! Each hands its request to the use case in [`super::service`].

use super::{SearchParams, SearchResults, Suggestion};
use crate::error::AppError;
use leptos::prelude::*;

/// Full-text search with facets, restricted to what the user may see.
#[server(prefix = "/api", endpoint = "search_documents", output = crate::server_json::Json)]
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
#[server(prefix = "/api", endpoint = "suggest_documents", output = crate::server_json::Json)]
pub async fn suggest_documents(prefix: String) -> Result<Vec<Suggestion>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            super::service::suggest(&state, &user, &prefix).await
        }
        .await,
    )
}
