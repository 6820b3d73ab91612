//! Server functions for Akten.

use super::AkteSummary;
use crate::error::AppError;
use leptos::prelude::*;

/// Opens a new Akte under a plan position for the user's municipality.
#[server(prefix = "/api", endpoint = "create_akte")]
pub async fn create_akte(
    position_id: i64,
    title: String,
    responsible: String,
    opened_on: String,
) -> Result<AkteSummary, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::aktenplan::server_fns::ssr::plan_reader()?;
            if !super::may_open_akten(&user) {
                return Err(AppError::Forbidden);
            }
            let (title, responsible, opened_on) = super::validate_new(&title, &responsible, &opened_on)?;
            let index = state.plan.snapshot();
            let position = index
                .get(position_id)
                .ok_or_else(|| AppError::NotFound("Die Position im Aktenplan".into()))?;
            if position.record.code.level() < super::MIN_AKTE_LEVEL {
                return Err(AppError::invalid(
                    "Akten werden unter einer Position ab dem dreistelligen Kennzeichen angelegt (z. B. 621 oder 621.1), nicht unter einer Haupt- oder Obergruppe.",
                ));
            }
            if !position.record.active {
                return Err(AppError::invalid(
                    "Unter einer deaktivierten Position können keine neuen Akten angelegt werden.",
                ));
            }
            let opened = opened_on.format("%Y-%m-%d").to_string();
            super::storage::create(
                &state.pool,
                super::storage::NewAkte {
                    municipality_id: user.municipality.id,
                    municipality_code: &user.municipality.code,
                    position_id,
                    position_code: position.record.code.as_str(),
                    title: &title,
                    responsible: &responsible,
                    opened_on: &opened,
                    user_id: user.id,
                    user_name: &user.display_name,
                    ip: crate::auth::client_address(),
                },
            )
            .await
        }
        .await,
    )
}

/// One Akte, if the user's municipality may see it.
#[server(prefix = "/api", endpoint = "get_akte")]
pub async fn get_akte(id: i64) -> Result<(AkteSummary, Vec<crate::aktenplan::Crumb>), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::aktenplan::server_fns::ssr::plan_reader()?;
            let (akte, position_id) =
                super::storage::get_visible(&state.pool, id, user.municipality.id)
                    .await?
                    .ok_or_else(|| AppError::NotFound("Die Akte".into()))?;
            Ok((akte, state.plan.snapshot().path(position_id)))
        }
        .await,
    )
}
