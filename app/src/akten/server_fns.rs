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
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            if !crate::auth::guard::Rule::OpenAkten.allows(&user) {
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
pub async fn get_akte(id: i64) -> Result<super::AkteDetail, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            let (akte, position_id) =
                super::storage::get_visible(&state.pool, id, user.municipality.id)
                    .await?
                    .ok_or_else(|| AppError::NotFound("Die Akte".into()))?;
            let index = state.plan.snapshot();
            let record = super::storage::record_of(&state.pool, id).await?;
            let is_owner = record.municipality_id == user.municipality.id;
            let share_candidates = if is_owner && !user.in_practice() {
                crate::municipalities::storage::list(&state.pool)
                    .await?
                    .into_iter()
                    .filter(|m| {
                        m.id != user.municipality.id
                            && !record.shared_with.iter().any(|s| s.id == m.id)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            Ok(super::AkteDetail {
                akte,
                path: index.path(position_id),
                owner: record.owner,
                closed_on: record.closed_on,
                retention_until: record.retention_until,
                retention: index
                    .get(position_id)
                    .map(|p| {
                        format!(
                            "{}, {}",
                            p.record.retention.label(),
                            p.record.trigger.label()
                        )
                    })
                    .unwrap_or_default(),
                shared_with: record.shared_with,
                is_owner,
                share_candidates,
                today: chrono::Utc::now()
                    .with_timezone(&chrono_tz::Europe::Berlin)
                    .format("%Y-%m-%d")
                    .to_string(),
            })
        }
        .await,
    )
}

/// Closes an Akte (zdA); the retention period starts and its end is stored.
#[server(prefix = "/api", endpoint = "close_akte")]
pub async fn close_akte(id: i64, closed_on: String) -> Result<Option<String>, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            if !crate::auth::guard::Rule::OpenAkten.allows(&user) {
                return Err(AppError::Forbidden);
            }
            let (akte, position_id) =
                super::storage::get_visible(&state.pool, id, user.municipality.id)
                    .await?
                    .ok_or_else(|| AppError::NotFound("Die Akte".into()))?;
            let date =
                chrono::NaiveDate::parse_from_str(closed_on.trim(), "%Y-%m-%d").map_err(|_| {
                    AppError::invalid("Das Datum der Schließung ist ungültig (Format JJJJ-MM-TT).")
                })?;
            if akte.opened_on.as_str() > date.format("%Y-%m-%d").to_string().as_str() {
                return Err(AppError::invalid(
                    "Eine Akte kann nicht vor ihrer Anlage geschlossen werden.",
                ));
            }
            let index = state.plan.snapshot();
            let position = index
                .get(position_id)
                .ok_or_else(|| AppError::NotFound("Die Position im Aktenplan".into()))?;
            let until = crate::aktenplan::retention::retention_end(
                date,
                position.record.retention,
                position.record.trigger,
            )
            .map(|d| d.format("%Y-%m-%d").to_string());
            super::storage::close(
                &state.pool,
                &user,
                id,
                &date.format("%Y-%m-%d").to_string(),
                until.as_deref(),
            )
            .await?;
            Ok(until)
        }
        .await,
    )
}

/// Shares an Akte with another municipality, or ends the sharing.
#[server(prefix = "/api", endpoint = "share_akte")]
pub async fn share_akte(id: i64, municipality_id: i64, shared: bool) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::OpenAkten)?;
            if !crate::auth::guard::Rule::OpenAkten.allows(&user) {
                return Err(AppError::Forbidden);
            }
            super::storage::set_share(&state.pool, &user, id, municipality_id, shared).await
        }
        .await,
    )
}
