//! Server functions for tours and the training record. Everybody plays the
//! tours of their role and sees their own record; only the project team
//! edits tours and sees everybody's record.

use super::{ActiveTour, EditorData, RecordOverview, RunStatus, Tour, TourState, TrainingPage};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Rule};

/// What the tour engine needs on every page load: the running tour, the
/// tours of the person's role and the ones to offer.
#[server(prefix = "/api", endpoint = "load_tour_state", output = crate::server_json::Json)]
pub async fn load_tour_state() -> Result<TourState, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::tour_state(&state, &user).await
        }
        .await,
    )
}

/// Starts (or restarts) a tour of the person's role at its first step.
#[server(prefix = "/api", endpoint = "start_tour", output = crate::server_json::Json)]
pub async fn start_tour(tour_id: i64) -> Result<ActiveTour, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::start(&state, &user, tour_id).await
        }
        .await,
    )
}

/// One step on or back; after the last step the tour is finished.
#[server(prefix = "/api", endpoint = "move_tour", output = crate::server_json::Json)]
pub async fn move_tour(run_id: i64, from: u32, to: u32) -> Result<RunStatus, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::move_step(&state, &user, run_id, from as usize, to as usize).await
        }
        .await,
    )
}

/// "Beenden": the run counts as skipped at its current step.
#[server(prefix = "/api", endpoint = "end_tour", output = crate::server_json::Json)]
pub async fn end_tour(run_id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::end(&state, &user, run_id).await
        }
        .await,
    )
}

/// "Später" (`never = false`, asked again at the next sign-in) or "Nicht
/// mehr anbieten" (`never = true`).
#[server(prefix = "/api", endpoint = "answer_tour_offer", output = crate::server_json::Json)]
pub async fn answer_tour_offer(never: bool) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::answer_offer(&state, &user, never).await
        }
        .await,
    )
}

/// `/schulung`: the person's tours and own training record.
#[server(prefix = "/api", endpoint = "load_training_page", output = crate::server_json::Json)]
pub async fn load_training_page() -> Result<TrainingPage, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::training_page(&state, &user).await
        }
        .await,
    )
}

/// The training record of everybody (optionally one municipality), for
/// the project team.
#[server(prefix = "/api", endpoint = "training_overview", output = crate::server_json::Json)]
pub async fn training_overview(municipality: Option<i64>) -> Result<RecordOverview, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::overview(&state, &user, municipality).await
        }
        .await,
    )
}

/// Every tour with the registry of pages and anchors, for the editor.
#[server(prefix = "/api", endpoint = "tour_editor", output = crate::server_json::Json)]
pub async fn tour_editor() -> Result<EditorData, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::editor(&state, &user).await
        }
        .await,
    )
}

/// Creates (`id` 0) or replaces a tour; refuses unknown pages and anchors
/// with a German message naming the step.
#[server(prefix = "/api", endpoint = "save_tour", input = Json, output = crate::server_json::Json)]
pub async fn save_tour(tour: Tour) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::save(&state, &user, &tour).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "delete_tour", output = crate::server_json::Json)]
pub async fn delete_tour(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::delete(&state, &user, id).await
        }
        .await,
    )
}
