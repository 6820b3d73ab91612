//! Use cases for tours and the training record. Everybody plays the tours
//! of their role and sees their own record; only the project team edits
//! tours (audited with their whole content) and sees everybody's record.

use super::storage;
use super::{
    plan_move, ActiveTour, EditorData, Move, RecordOverview, RunStatus, Tour, TourState,
    TrainingPage,
};
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::db;
use crate::error::AppError;
use crate::rollout_days::{self, Subjects};
use crate::state::AppState;
use crate::time::now;

fn not_found() -> AppError {
    AppError::NotFound("Der Rundgang".into())
}

fn no_running_tour() -> AppError {
    AppError::NotFound("Der laufende Rundgang".into())
}

/// The running tour, if any, with its current (clamped) step.
async fn active(state: &AppState, user: &SessionUser) -> Result<Option<ActiveTour>, AppError> {
    let Some((run_id, tour_id, step)) = storage::running(&state.pool, user.id).await? else {
        return Ok(None);
    };
    let Some(tour) = storage::get(&state.pool, tour_id).await? else {
        return Ok(None);
    };
    if tour.steps.is_empty() {
        return Ok(None);
    }
    let step = step.min(tour.steps.len() - 1);
    Ok(Some(ActiveTour { run_id, tour, step }))
}

/// What the tour engine needs on every page load: the running tour, the
/// tours of the person's role and the ones to offer.
pub async fn tour_state(state: &AppState, user: &SessionUser) -> Result<TourState, AppError> {
    guard::check(user, Rule::SignedIn)?;
    let active = active(state, user).await?;
    let available = storage::list(&state.pool, Some(user.role)).await?;
    let (answer, last_login) = storage::offer_context(&state.pool, user.id).await?;
    let due = !user.must_change_password
        && active.is_none()
        && super::offer_due(answer.as_ref().map(|(a, at)| (a.as_str(), *at)), last_login);
    // Offered to people who have not started any tour yet; after that the
    // help menu is the way in.
    let offer = if due
        && storage::started_tours(&state.pool, user.id)
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

/// Starts (or restarts) a tour of the person's role at its first step.
pub async fn start(
    state: &AppState,
    user: &SessionUser,
    tour_id: i64,
) -> Result<ActiveTour, AppError> {
    guard::check(user, Rule::SignedIn)?;
    let tour = storage::get(&state.pool, tour_id)
        .await?
        .filter(|t| t.roles.contains(&user.role) && !t.steps.is_empty())
        .ok_or_else(not_found)?;
    let mut tx = db::begin_write(&state.pool).await?;
    let run_id = storage::start(&mut tx, user.id, &tour, now()).await?;
    tx.commit().await?;
    Ok(ActiveTour {
        run_id,
        tour,
        step: 0,
    })
}

/// Moves the person's running tour from step `from` to `to` (the step
/// after the last finishes it). Returns the new status.
pub async fn move_step(
    state: &AppState,
    user: &SessionUser,
    run_id: i64,
    from: usize,
    to: usize,
) -> Result<RunStatus, AppError> {
    guard::check(user, Rule::SignedIn)?;
    let mut tx = db::begin_write(&state.pool).await?;
    let (current, steps) = storage::run_position(&mut tx, user.id, run_id)
        .await?
        .ok_or_else(no_running_tour)?;
    let steps = steps.max(0) as usize;
    // A tour shortened by the editors keeps its runs on the last step.
    let current = (current.max(0) as usize).min(steps.saturating_sub(1));
    if current != from {
        return Err(AppError::Conflict(
            "Der Rundgang ist inzwischen an anderer Stelle. Bitte laden Sie die Seite neu.".into(),
        ));
    }
    let at = now();
    let status = match plan_move(steps, from, to)? {
        Move::To(step) => {
            storage::set_step(&mut tx, run_id, step, steps, at).await?;
            RunStatus::Running
        }
        Move::Finish => {
            // A finished walkthrough counts for the rollout figures.
            let rollout = rollout_days::before(&mut tx, Subjects::People(vec![user.id])).await?;
            storage::finish(&mut tx, run_id, from, steps, at).await?;
            rollout.settle(&mut tx).await?;
            RunStatus::Finished
        }
    };
    tx.commit().await?;
    Ok(status)
}

/// "Beenden": the run counts as skipped at its current step.
pub async fn end(state: &AppState, user: &SessionUser, run_id: i64) -> Result<(), AppError> {
    guard::check(user, Rule::SignedIn)?;
    let mut tx = db::begin_write(&state.pool).await?;
    if !storage::skip(&mut tx, user.id, run_id, now()).await? {
        return Err(no_running_tour());
    }
    tx.commit().await?;
    Ok(())
}

/// "Später" (`never = false`) or "Nicht mehr anbieten" (`never = true`).
pub async fn answer_offer(
    state: &AppState,
    user: &SessionUser,
    never: bool,
) -> Result<(), AppError> {
    guard::check(user, Rule::SignedIn)?;
    let mut tx = db::begin_write(&state.pool).await?;
    storage::answer_offer(&mut tx, user.id, never, now()).await?;
    tx.commit().await?;
    Ok(())
}

/// `/schulung`: the person's tours and own training record.
pub async fn training_page(state: &AppState, user: &SessionUser) -> Result<TrainingPage, AppError> {
    guard::check(user, Rule::SignedIn)?;
    Ok(TrainingPage {
        tours: storage::list(&state.pool, Some(user.role)).await?,
        runs: storage::runs_of(&state.pool, user.id).await?,
        attended: crate::training_sessions::storage::attended_by(&state.pool, user.id).await?,
        may_edit: Rule::ProjectTeam.allows(user),
    })
}

/// The training record of everybody (optionally one municipality).
pub async fn overview(
    state: &AppState,
    user: &SessionUser,
    municipality: Option<i64>,
) -> Result<RecordOverview, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    Ok(storage::overview(&state.pool, municipality).await?)
}

/// Every tour with the registry of pages and anchors, for the editor.
pub async fn editor(state: &AppState, user: &SessionUser) -> Result<EditorData, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    Ok(EditorData {
        tours: storage::list(&state.pool, None).await?,
        anchors: super::anchor_choices(),
        pages: super::page_choices(),
    })
}

/// Creates (`id` 0) or replaces a tour; refuses unknown pages and anchors
/// with a German message naming the step. Audited with the whole new
/// content, so every edit can be traced.
pub async fn save(state: &AppState, user: &SessionUser, tour: &Tour) -> Result<i64, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let tour = super::validate(tour)?;
    let at = now();
    let mut tx = db::begin_write(&state.pool).await?;
    let (id, action) = if tour.id == 0 {
        (storage::create(&mut tx, &tour, at).await?, "tour_created")
    } else {
        if !storage::update(&mut tx, &tour, at).await? {
            return Err(not_found());
        }
        (tour.id, "tour_changed")
    };
    record(
        &mut tx,
        NewEntry::by(
            user,
            action,
            "tour",
            id,
            serde_json::json!({
                "title": tour.title,
                "roles": tour.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                "auto_offer": tour.auto_offer,
                "steps": tour.steps.iter().map(|s| serde_json::json!({
                    "page": s.page, "anchor": s.anchor, "title": s.title,
                    "text": s.text, "wait_for": s.wait_for.as_str(),
                })).collect::<Vec<_>>(),
            }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Takes a tour out of every list; the training record keeps its runs.
pub async fn delete(state: &AppState, user: &SessionUser, id: i64) -> Result<(), AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let mut tx = db::begin_write(&state.pool).await?;
    let title = storage::delete(&mut tx, id, now())
        .await?
        .ok_or_else(not_found)?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "tour_deleted",
            "tour",
            id,
            serde_json::json!({ "title": title }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
