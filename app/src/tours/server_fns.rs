//! Server functions for tours and the training record. Everybody plays the
//! tours of their role and sees their own record; only the project team
//! edits tours and sees everybody's record.

use super::{ActiveTour, EditorData, RecordOverview, RunStatus, Tour, TourState, TrainingPage};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use crate::auth::SessionUser;
    use crate::error::AppError;
    use crate::state::AppState;

    /// The running tour, if any, with its current (clamped) step.
    pub async fn active(
        state: &AppState,
        user: &SessionUser,
    ) -> Result<Option<super::ActiveTour>, AppError> {
        let Some((run_id, tour_id, step)) =
            super::super::storage::running(&state.pool, user.id).await?
        else {
            return Ok(None);
        };
        let Some(tour) = super::super::storage::get(&state.pool, tour_id).await? else {
            return Ok(None);
        };
        if tour.steps.is_empty() {
            return Ok(None);
        }
        let step = step.min(tour.steps.len() - 1);
        Ok(Some(super::ActiveTour { run_id, tour, step }))
    }
}

/// What the tour engine needs on every page load: the running tour, the
/// tours of the person's role and the ones to offer.
#[server(prefix = "/api", endpoint = "load_tour_state")]
pub async fn load_tour_state() -> Result<TourState, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            let active = ssr::active(&state, &user).await?;
            let available = super::storage::list(&state.pool, Some(user.role)).await?;
            let (answer, last_login) = super::storage::offer_context(&state.pool, user.id).await?;
            let due = !user.must_change_password
                && active.is_none()
                && super::offer_due(answer.as_ref().map(|(a, at)| (a.as_str(), *at)), last_login);
            // Offered to people who have not started any tour yet; after
            // that the help menu is the way in.
            let offer = if due
                && super::storage::started_tours(&state.pool, user.id)
                    .await?
                    .is_empty()
            {
                available.iter().filter(|t| t.auto_offer).cloned().collect()
            } else {
                Vec::new()
            };
            Ok(TourState {
                active,
                available,
                offer,
            })
        }
        .await,
    )
}

/// Starts (or restarts) a tour of the person's role at its first step.
#[server(prefix = "/api", endpoint = "start_tour")]
pub async fn start_tour(tour_id: i64) -> Result<ActiveTour, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            let tour = super::storage::get(&state.pool, tour_id)
                .await?
                .filter(|t| t.roles.contains(&user.role) && !t.steps.is_empty())
                .ok_or_else(|| AppError::NotFound("Der Rundgang".into()))?;
            let run_id = super::storage::start(&state.pool, user.id, &tour).await?;
            Ok(ActiveTour {
                run_id,
                tour,
                step: 0,
            })
        }
        .await,
    )
}

/// One step on or back; after the last step the tour is finished.
#[server(prefix = "/api", endpoint = "move_tour")]
pub async fn move_tour(run_id: i64, from: u32, to: u32) -> Result<RunStatus, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            super::storage::move_step(&state.pool, user.id, run_id, from as usize, to as usize)
                .await
        }
        .await,
    )
}

/// "Beenden": the run counts as skipped at its current step.
#[server(prefix = "/api", endpoint = "end_tour")]
pub async fn end_tour(run_id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            super::storage::skip(&state.pool, user.id, run_id).await
        }
        .await,
    )
}

/// "Später" (`never = false`, asked again at the next sign-in) or "Nicht
/// mehr anbieten" (`never = true`).
#[server(prefix = "/api", endpoint = "answer_tour_offer")]
pub async fn answer_tour_offer(never: bool) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            super::storage::answer_offer(&state.pool, user.id, never).await?;
            Ok(())
        }
        .await,
    )
}

/// `/schulung`: the person's tours and own training record.
#[server(prefix = "/api", endpoint = "load_training_page")]
pub async fn load_training_page() -> Result<TrainingPage, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            Ok(TrainingPage {
                tours: super::storage::list(&state.pool, Some(user.role)).await?,
                runs: super::storage::runs_of(&state.pool, user.id).await?,
                attended: crate::training_sessions::storage::attended_by(&state.pool, user.id)
                    .await?,
                may_edit: crate::auth::guard::Rule::ProjectTeam.allows(&user),
            })
        }
        .await,
    )
}

/// The training record of everybody (optionally one municipality), for
/// the project team.
#[server(prefix = "/api", endpoint = "training_overview")]
pub async fn training_overview(municipality: Option<i64>) -> Result<RecordOverview, AppError> {
    crate::error::with_status(
        async {
            let (_, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            Ok(super::storage::overview(&state.pool, municipality).await?)
        }
        .await,
    )
}

/// Every tour with the registry of pages and anchors, for the editor.
#[server(prefix = "/api", endpoint = "tour_editor")]
pub async fn tour_editor() -> Result<EditorData, AppError> {
    crate::error::with_status(
        async {
            let (_, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            Ok(EditorData {
                tours: super::storage::list(&state.pool, None).await?,
                anchors: super::anchor_choices(),
                pages: super::page_choices(),
            })
        }
        .await,
    )
}

/// Creates (`id` 0) or replaces a tour; refuses unknown pages and anchors
/// with a German message naming the step.
#[server(prefix = "/api", endpoint = "save_tour", input = Json)]
pub async fn save_tour(tour: Tour) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            let tour = super::validate(&tour)?;
            super::storage::save(&state.pool, &user, &tour).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "delete_tour")]
pub async fn delete_tour(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            super::storage::delete(&state.pool, &user, id).await
        }
        .await,
    )
}
