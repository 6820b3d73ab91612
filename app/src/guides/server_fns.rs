//! Server functions for the library. PDF versions arrive over the plain
//! upload route in the server (`POST /dienstanweisungen/{id}/pdf`).

use super::{GuideDetail, GuideDraft, Library};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Rule};

#[server(prefix = "/api", endpoint = "guide_library", output = crate::server_json::Json)]
pub async fn guide_library() -> Result<Library, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::library(&state, &user).await
        }
        .await,
    )
}

/// One guide by id, or the newest one linked to `screen` (`None` when no
/// guide governs that screen yet).
#[server(prefix = "/api", endpoint = "get_guide", output = crate::server_json::Json)]
pub async fn get_guide(
    id: Option<i64>,
    screen: Option<String>,
) -> Result<Option<GuideDetail>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::detail(&state, &user, id, screen.as_deref()).await
        }
        .await,
    )
}

/// Creates a guide (`id` None) or changes its title, kind, summary and
/// screens. Returns its id.
#[server(prefix = "/api", endpoint = "save_guide", output = crate::server_json::Json)]
pub async fn save_guide(id: Option<i64>, draft: GuideDraft) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::save(&state, &user, id, &draft).await
        }
        .await,
    )
}

/// A new version written in Markdown. Returns its number.
#[server(prefix = "/api", endpoint = "add_guide_text", output = crate::server_json::Json)]
pub async fn add_guide_text(
    id: i64,
    body: String,
    change_note: String,
    #[server(default)] requires_ack: bool,
) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::add_text(&state, &user, id, &body, &change_note, requires_ack).await
        }
        .await,
    )
}

/// „Gelesen und zur Kenntnis genommen“ for the newest version.
#[server(prefix = "/api", endpoint = "acknowledge_guide", output = crate::server_json::Json)]
pub async fn acknowledge_guide(id: i64) -> Result<String, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::acknowledge(&state, &user, id).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "delete_guide", output = crate::server_json::Json)]
pub async fn delete_guide(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::delete(&state, &user, id).await
        }
        .await,
    )
}
