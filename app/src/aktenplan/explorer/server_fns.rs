//! Server functions of the Aktenplan explorer: each hands its request to
//! the use case in [`super::service`].

use super::{ExplorerData, TreeNode};
use crate::aktenplan::SearchHit;
use crate::error::AppError;
use leptos::prelude::*;

/// The explorer's first render, opened to the position with `code`.
#[server(prefix = "/api", endpoint = "load_explorer", output = crate::server_json::Json)]
pub async fn load_explorer(code: Option<String>) -> Result<ExplorerData, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            super::service::explorer(&state, &user, code.as_deref()).await
        }
        .await,
    )
}

/// Children of one position, loaded when a node is opened.
#[server(prefix = "/api", endpoint = "plan_children", output = crate::server_json::Json)]
pub async fn plan_children(parent_id: i64) -> Result<Vec<TreeNode>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            super::service::children_of(&state, &user, parent_id).await
        }
        .await,
    )
}

/// Search-as-you-type over codes, titles, keywords and descriptions.
#[server(prefix = "/api", endpoint = "search_plan", output = crate::server_json::Json)]
pub async fn search_plan(query: String) -> Result<Vec<SearchHit>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            super::service::search(&state, &user, &query)
        }
        .await,
    )
}
