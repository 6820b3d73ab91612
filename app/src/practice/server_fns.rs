//! Server functions of practice mode: what the area holds, switching in
//! and out, and the one-click reset. Each acts on the caller's own area
//! only; there is no id to pass.

use super::PracticeOverview;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::audit::storage::NewEntry;
    use crate::auth::SessionUser;

    /// A real audit entry about the user (not about practice records), so
    /// it goes under their real municipality.
    pub fn entry(user: &SessionUser, action: &'static str, details: serde_json::Value) -> NewEntry {
        NewEntry {
            municipality_id: Some(user.home_municipality().id),
            ..NewEntry::by(user, action, "practice", user.id, details)
        }
    }
}

/// The practice page's figures for the signed-in user.
#[server(prefix = "/api", endpoint = "load_practice")]
pub async fn load_practice() -> Result<PracticeOverview, AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::require_user()?;
            let state = crate::state::AppState::from_context()?;
            let area = super::storage::find_area(&state.pool, user.id).await?;
            let (akten, documents, inbox) = match &area {
                Some(area) => super::storage::counts(&state.pool, area.id).await?,
                None => (0, 0, 0),
            };
            let template = super::template::documents();
            let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
            Ok(PracticeOverview {
                active: user.in_practice(),
                may_switch: crate::auth::guard::Rule::LeavePractice.allows(&user),
                area_name: area.map(|a| a.name),
                akten,
                documents,
                inbox,
                template_akten: count(super::template::akten().len()),
                template_documents: count(template.len()),
                template_inbox: count(template.iter().filter(|d| d.akte.is_none()).count()),
            })
        }
        .await,
    )
}

/// Switches practice mode on (creating the area on first use).
#[server(prefix = "/api", endpoint = "enter_practice")]
pub async fn enter_practice() -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::require_user()?;
            if user.in_practice() {
                return Ok(());
            }
            let state = crate::state::AppState::from_context()?;
            super::storage::inside_area(&state, user.clone()).await?;
            let mut tx = crate::db::begin_write(&state.pool).await?;
            super::storage::set_active(&mut tx, user.id, true).await?;
            crate::audit::storage::record(
                &mut tx,
                ssr::entry(&user, "practice_entered", serde_json::json!({})),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Switches practice mode off; trainees always stay in it.
#[server(prefix = "/api", endpoint = "leave_practice")]
pub async fn leave_practice() -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::require_user()?;
            if !crate::auth::guard::Rule::LeavePractice.allows(&user) {
                return Err(AppError::Forbidden);
            }
            if !user.in_practice() {
                return Ok(());
            }
            let state = crate::state::AppState::from_context()?;
            let mut tx = crate::db::begin_write(&state.pool).await?;
            super::storage::set_active(&mut tx, user.id, false).await?;
            crate::audit::storage::record(
                &mut tx,
                ssr::entry(&user, "practice_left", serde_json::json!({})),
            )
            .await?;
            tx.commit().await?;
            Ok(())
        }
        .await,
    )
}

/// Puts the caller's practice area back into its starting state.
#[server(prefix = "/api", endpoint = "reset_practice")]
pub async fn reset_practice() -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let user = crate::auth::require_user()?;
            if !user.in_practice() {
                return Err(AppError::invalid(
                    "Der Übungsbereich kann nur im Übungsmodus zurückgesetzt werden.",
                ));
            }
            let state = crate::state::AppState::from_context()?;
            let area = super::storage::reset(&state, &user).await?;
            crate::audit::storage::record_alone(
                &state.pool,
                ssr::entry(
                    &user,
                    "practice_reset",
                    serde_json::json!({ "area": area.code }),
                ),
            )
            .await?;
            Ok(())
        }
        .await,
    )
}
