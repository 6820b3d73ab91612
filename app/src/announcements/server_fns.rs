//! Server functions for announcements: each asks the guard for the
//! signed-in person and hands over to [`super::service`].

use super::{AnnouncementDraft, AnnouncementStats, EditorData, ManagedAnnouncement, NewsList};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Rule};

/// `/neuigkeiten` for the signed-in person: what is addressed to them. The
/// current ones count as read from now on (the page says which were new).
#[server(prefix = "/api", endpoint = "list_news", output = crate::server_json::Json)]
pub async fn list_news() -> Result<NewsList, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::news(&state, &user).await
        }
        .await,
    )
}

/// The one-click „Zur Kenntnis genommen“. Returns the time it was recorded.
#[server(prefix = "/api", endpoint = "acknowledge_announcement", output = crate::server_json::Json)]
pub async fn acknowledge_announcement(id: i64) -> Result<String, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::acknowledge(&state, &user, id).await
        }
        .await,
    )
}

/// Marks one announcement read (the banner's „Gelesen“ for pinned ones).
#[server(prefix = "/api", endpoint = "mark_announcement_read", output = crate::server_json::Json)]
pub async fn mark_announcement_read(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::mark_read(&state, &user, id).await
        }
        .await,
    )
}

/// The project team's overview: every announcement with its numbers.
#[server(prefix = "/api", endpoint = "list_managed_announcements", output = crate::server_json::Json)]
pub async fn list_managed_announcements() -> Result<Vec<ManagedAnnouncement>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::managed(&state, &user).await
        }
        .await,
    )
}

/// Who has read and acknowledged one announcement, per municipality.
#[server(prefix = "/api", endpoint = "announcement_stats", output = crate::server_json::Json)]
pub async fn get_announcement_stats(id: i64) -> Result<AnnouncementStats, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::stats(&state, &user, id).await
        }
        .await,
    )
}

/// The editor's data: an empty draft (publishing now) or the stored one.
#[server(prefix = "/api", endpoint = "announcement_editor", output = crate::server_json::Json)]
pub async fn announcement_editor(id: Option<i64>) -> Result<EditorData, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::editor(&state, &user, id).await
        }
        .await,
    )
}

/// Publishes (or schedules) a new announcement, or saves changes to one.
/// Returns its id.
#[server(prefix = "/api", endpoint = "save_announcement", output = crate::server_json::Json)]
pub async fn save_announcement(id: Option<i64>, draft: AnnouncementDraft) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::save(&state, &user, id, &draft).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "delete_announcement", output = crate::server_json::Json)]
pub async fn delete_announcement(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::delete(&state, &user, id).await
        }
        .await,
    )
}
