//! Server functions for the library. PDF versions arrive over the plain
//! upload route in the server (`POST /dienstanweisungen/{id}/pdf`).

use super::{GuideDetail, GuideDraft, Library};
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "guide_library")]
pub async fn guide_library() -> Result<Library, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            let may_edit = crate::auth::guard::Rule::ProjectTeam.allows(&user);
            Ok(Library {
                guides: super::storage::list(&state.pool, user.id, may_edit).await?,
                may_edit,
            })
        }
        .await,
    )
}

/// One guide by id, or the newest one linked to `screen` (`None` when no
/// guide governs that screen yet).
#[server(prefix = "/api", endpoint = "get_guide")]
pub async fn get_guide(
    id: Option<i64>,
    screen: Option<String>,
) -> Result<Option<GuideDetail>, AppError> {
    crate::error::with_status(
        async {
            use crate::time::display;
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            let may_edit = crate::auth::guard::Rule::ProjectTeam.allows(&user);
            let id = match (id, screen) {
                (Some(id), _) => id,
                (None, Some(screen)) => {
                    if super::screen_label(&screen).is_none() {
                        return Err(AppError::NotFound("Dieser Bereich".into()));
                    }
                    match super::storage::newest_for_screen(&state.pool, &screen).await? {
                        Some(id) => id,
                        None => return Ok(None),
                    }
                }
                (None, None) => return Err(AppError::invalid("Bitte einen Leitfaden angeben.")),
            };
            let not_found = || AppError::NotFound("Die Dienstanweisung bzw. der Leitfaden".into());
            let meta = super::storage::meta(&state.pool, id)
                .await?
                .ok_or_else(not_found)?;
            let versions = super::storage::versions(&state.pool, id).await?;
            if versions.is_empty() && !may_edit {
                return Err(not_found());
            }
            let ack_version = versions.iter().find(|v| v.requires_ack).map(|v| v.number);
            let mut my_ack = None;
            let mut ack_stats = None;
            if let Some(number) = ack_version {
                let acks = super::storage::acknowledgements_since(&state.pool, id, number).await?;
                my_ack = acks.get(&user.id).map(|at| display(*at));
                if may_edit {
                    let names =
                        crate::announcements::server_fns::ssr::municipality_names(&state.pool)
                            .await?;
                    let receipts = crate::announcements::storage::active_people(&state.pool)
                        .await?
                        .into_iter()
                        .map(|p| {
                            let at = acks.get(&p.id).map(|at| display(*at));
                            crate::announcements::Receipt {
                                role: crate::auth::Role::parse(&p.role)
                                    .map(|r| r.label().to_string())
                                    .unwrap_or_default(),
                                name: p.display_name,
                                municipality_id: p.municipality_id,
                                municipality: p.municipality,
                                read_at: at.clone(),
                                acknowledged_at: at,
                            }
                        })
                        .collect();
                    ack_stats = Some(crate::announcements::summarize(&names, receipts).0);
                }
            }
            Ok(Some(GuideDetail {
                id,
                kind: meta.kind,
                title: meta.title,
                summary: meta.summary,
                screens: meta.screens,
                versions,
                ack_version,
                my_ack,
                may_edit,
                ack_stats,
            }))
        }
        .await,
    )
}

/// Creates a guide (`id` None) or changes its title, kind, summary and
/// screens. Returns its id.
#[server(prefix = "/api", endpoint = "save_guide")]
pub async fn save_guide(id: Option<i64>, draft: GuideDraft) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            use crate::time::now;
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            let valid = super::validate(&draft)?;
            match id {
                Some(id) => {
                    if !super::storage::update(&state.pool, &user, id, &valid, now()).await? {
                        return Err(AppError::NotFound("Der Leitfaden".into()));
                    }
                    Ok(id)
                }
                None => Ok(super::storage::create(&state.pool, &user, &valid, now()).await?),
            }
        }
        .await,
    )
}

/// A new version written in Markdown. Returns its number.
#[server(prefix = "/api", endpoint = "add_guide_text")]
pub async fn add_guide_text(
    id: i64,
    body: String,
    change_note: String,
    #[server(default)] requires_ack: bool,
) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            let body = body.trim();
            if body.is_empty() {
                return Err(AppError::invalid(
                    "Bitte schreiben Sie den Text der neuen Version.",
                ));
            }
            crate::markdown::check_length(body, "Der Text")?;
            let note = super::validate_note(&change_note)?;
            let mut tx = crate::db::begin_write(&state.pool).await?;
            let number = super::storage::add_version(
                &mut tx,
                &user,
                None,
                id,
                super::storage::Content::Markdown(body),
                &note,
                requires_ack,
                crate::time::now(),
            )
            .await?
            .ok_or_else(|| AppError::NotFound("Der Leitfaden".into()))?;
            tx.commit().await?;
            Ok(number)
        }
        .await,
    )
}

/// „Gelesen und zur Kenntnis genommen“ for the newest version.
#[server(prefix = "/api", endpoint = "acknowledge_guide")]
pub async fn acknowledge_guide(id: i64) -> Result<String, AppError> {
    crate::error::with_status(
        async {
            use crate::time::{display, now};
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            let versions = super::storage::versions(&state.pool, id).await?;
            let newest = versions.first().ok_or_else(|| {
                AppError::NotFound("Die Dienstanweisung bzw. der Leitfaden".into())
            })?;
            if !versions.iter().any(|v| v.requires_ack) {
                return Err(AppError::invalid(
                    "Für dieses Dokument ist keine Kenntnisnahme erforderlich.",
                ));
            }
            let now = now();
            super::storage::acknowledge(&state.pool, user.id, newest.id, now).await?;
            Ok(display(now))
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "delete_guide")]
pub async fn delete_guide(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            if !super::storage::delete(&state.pool, &user, id).await? {
                return Err(AppError::NotFound("Der Leitfaden".into()));
            }
            Ok(())
        }
        .await,
    )
}
