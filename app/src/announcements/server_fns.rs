//! Server functions for announcements.

use super::{AnnouncementDraft, AnnouncementStats, EditorData, ManagedAnnouncement, NewsList};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {

    use crate::error::AppError;

    pub async fn municipality_names(
        pool: &sqlx::SqlitePool,
    ) -> Result<Vec<(i64, String)>, AppError> {
        Ok(crate::municipalities::storage::list(pool)
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect())
    }
}

/// `/neuigkeiten` for the signed-in person: what is addressed to them. The
/// current ones count as read from now on (the page says which were new).
#[server(prefix = "/api", endpoint = "list_news")]
pub async fn list_news() -> Result<NewsList, AppError> {
    crate::error::with_status(
        async {
            use super::{AnnouncementView, Phase};
            use crate::time::{display, now};
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            let now = now();
            let receipts = super::storage::receipts_of(&state.pool, user.id).await?;
            let mut current = Vec::new();
            let mut archive = Vec::new();
            let mut newly_read = Vec::new();
            for stored in super::storage::load_all(&state.pool).await? {
                let phase = stored.phase(now);
                if phase == Phase::Scheduled || !stored.targeting.addresses_user(&user) {
                    continue;
                }
                let receipt = receipts.get(&stored.id);
                if phase == Phase::Current && receipt.is_none() {
                    newly_read.push(stored.id);
                }
                let view = AnnouncementView {
                    id: stored.id,
                    title: stored.title,
                    body_html: crate::markdown::render(&stored.body),
                    published: display(stored.publish_at),
                    expires: stored.expire_at.map(display),
                    author_name: stored.author_name,
                    pinned: stored.pinned && phase == Phase::Current,
                    requires_ack: stored.requires_ack,
                    unread: receipt.is_none(),
                    acknowledged_at: receipt.and_then(|(_, ack)| ack.map(display)),
                };
                match phase {
                    Phase::Current => current.push(view),
                    _ => archive.push(view),
                }
            }
            super::storage::mark_read(&state.pool, user.id, &newly_read, now).await?;
            Ok(NewsList {
                current,
                archive,
                may_publish: crate::auth::guard::Rule::ProjectTeam.allows(&user),
            })
        }
        .await,
    )
}

/// The one-click „Zur Kenntnis genommen“. Returns the time it was recorded.
#[server(prefix = "/api", endpoint = "acknowledge_announcement")]
pub async fn acknowledge_announcement(id: i64) -> Result<String, AppError> {
    crate::error::with_status(
        async {
            use crate::time::now;
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            let now = now();
            let announcement = super::storage::current_for(&state.pool, &user, now)
                .await?
                .into_iter()
                .find(|a| a.id == id)
                .ok_or_else(|| AppError::NotFound("Die Mitteilung".into()))?;
            if !announcement.requires_ack {
                return Err(AppError::invalid(
                    "Diese Mitteilung braucht keine Bestätigung der Kenntnisnahme.",
                ));
            }
            let at = super::storage::acknowledge(&state.pool, user.id, id, now).await?;
            Ok(crate::time::display(at))
        }
        .await,
    )
}

/// Marks one announcement read (the banner's „Gelesen“ for pinned ones).
#[server(prefix = "/api", endpoint = "mark_announcement_read")]
pub async fn mark_announcement_read(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            use crate::time::now;
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            let now = now();
            if !super::storage::current_for(&state.pool, &user, now)
                .await?
                .iter()
                .any(|a| a.id == id)
            {
                return Err(AppError::NotFound("Die Mitteilung".into()));
            }
            super::storage::mark_read(&state.pool, user.id, &[id], now).await?;
            Ok(())
        }
        .await,
    )
}

/// The project team's overview: every announcement with its numbers.
#[server(prefix = "/api", endpoint = "list_managed_announcements")]
pub async fn list_managed_announcements() -> Result<Vec<ManagedAnnouncement>, AppError> {
    crate::error::with_status(
        async {
            use crate::time::{display, now};
            let (_user, state) =
                crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            let now = now();
            let names = ssr::municipality_names(&state.pool).await?;
            let people = super::storage::active_people(&state.pool).await?;
            let mut list = Vec::new();
            for stored in super::storage::load_all(&state.pool).await? {
                let stats = statistics(&state.pool, &stored, &names, &people).await?;
                list.push(ManagedAnnouncement {
                    id: stored.id,
                    phase: stored.phase(now),
                    publish_at: display(stored.publish_at),
                    expire_at: stored.expire_at.map(display),
                    pinned: stored.pinned,
                    requires_ack: stored.requires_ack,
                    audience: stored.targeting.label(&names),
                    counts: stats.total,
                    title: stored.title,
                });
            }
            Ok(list)
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
async fn statistics(
    pool: &sqlx::SqlitePool,
    stored: &super::storage::Stored,
    names: &[(i64, String)],
    people: &[super::storage::Person],
) -> Result<AnnouncementStats, AppError> {
    use crate::auth::Role;
    use crate::time::display;
    let receipts = super::storage::receipts_for(pool, stored.id).await?;
    let addressed = people
        .iter()
        .filter_map(|p| Role::parse(&p.role).map(|role| (p, role)))
        .filter(|(p, role)| stored.targeting.addresses(p.municipality_id, *role))
        .map(|(p, role)| {
            let receipt = receipts.get(&p.id);
            super::Receipt {
                name: p.display_name.clone(),
                municipality_id: p.municipality_id,
                municipality: p.municipality.clone(),
                role: role.label().to_string(),
                read_at: receipt.map(|(read, _)| display(*read)),
                acknowledged_at: receipt.and_then(|(_, ack)| ack.map(display)),
            }
        })
        .collect();
    let (per_municipality, total) = super::summarize(names, addressed);
    Ok(AnnouncementStats {
        id: stored.id,
        title: stored.title.clone(),
        requires_ack: stored.requires_ack,
        audience: stored.targeting.label(names),
        per_municipality,
        total,
    })
}

/// Who has read and acknowledged one announcement, per municipality.
#[server(prefix = "/api", endpoint = "announcement_stats")]
pub async fn get_announcement_stats(id: i64) -> Result<AnnouncementStats, AppError> {
    crate::error::with_status(
        async {
            let (_user, state) =
                crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            let stored = super::storage::load(&state.pool, id)
                .await?
                .ok_or_else(|| AppError::NotFound("Die Mitteilung".into()))?;
            let names = ssr::municipality_names(&state.pool).await?;
            let people = super::storage::active_people(&state.pool).await?;
            statistics(&state.pool, &stored, &names, &people).await
        }
        .await,
    )
}

/// The editor's data: an empty draft (publishing now) or the stored one.
#[server(prefix = "/api", endpoint = "announcement_editor")]
pub async fn announcement_editor(id: Option<i64>) -> Result<EditorData, AppError> {
    crate::error::with_status(
        async {
            use crate::time::{input_value, now};
            let (_user, state) =
                crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            let municipalities = crate::municipalities::storage::list(&state.pool).await?;
            let Some(id) = id else {
                return Ok(EditorData {
                    draft: AnnouncementDraft {
                        publish_at: input_value(now()),
                        ..AnnouncementDraft::default()
                    },
                    municipalities,
                    already_read: 0,
                });
            };
            let stored = super::storage::load(&state.pool, id)
                .await?
                .ok_or_else(|| AppError::NotFound("Die Mitteilung".into()))?;
            let already_read = super::storage::receipts_for(&state.pool, id).await?.len() as i64;
            Ok(EditorData {
                draft: AnnouncementDraft {
                    title: stored.title,
                    body: stored.body,
                    municipalities: stored.targeting.municipalities,
                    roles: stored
                        .targeting
                        .roles
                        .iter()
                        .map(|r| r.as_str().to_string())
                        .collect(),
                    pinned: stored.pinned,
                    requires_ack: stored.requires_ack,
                    publish_at: input_value(stored.publish_at),
                    expire_at: stored.expire_at.map(input_value).unwrap_or_default(),
                },
                municipalities,
                already_read,
            })
        }
        .await,
    )
}

/// Publishes (or schedules) a new announcement, or saves changes to one.
/// Returns its id.
#[server(prefix = "/api", endpoint = "save_announcement")]
pub async fn save_announcement(id: Option<i64>, draft: AnnouncementDraft) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            use crate::time::{now, parse_input};
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            let known: Vec<i64> = crate::municipalities::storage::list(&state.pool)
                .await?
                .into_iter()
                .map(|m| m.id)
                .collect();
            let (title, body, targeting) = super::validate_text(&draft, &known)?;
            let now = now();
            let publish_at = if draft.publish_at.trim().is_empty() {
                now
            } else {
                parse_input(&draft.publish_at, "Der Zeitpunkt der Veröffentlichung")?
            };
            let expire_at = if draft.expire_at.trim().is_empty() {
                None
            } else {
                Some(parse_input(&draft.expire_at, "Der Ablauf")?)
            };
            if expire_at.is_some_and(|end| end <= publish_at) {
                return Err(AppError::invalid(
                    "Der Ablauf muss nach der Veröffentlichung liegen.",
                ));
            }
            if id.is_none() && expire_at.is_some_and(|end| end <= now) {
                return Err(AppError::invalid(
                    "Der Ablauf liegt in der Vergangenheit; so würde niemand die Mitteilung sehen.",
                ));
            }
            let valid = super::ValidAnnouncement {
                title,
                body,
                targeting,
                pinned: draft.pinned,
                requires_ack: draft.requires_ack,
                publish_at,
                expire_at,
            };
            super::storage::save(&state.pool, &user, id, &valid, now)
                .await?
                .ok_or_else(|| AppError::NotFound("Die Mitteilung".into()))
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "delete_announcement")]
pub async fn delete_announcement(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            if !super::storage::delete(&state.pool, &user, id).await? {
                return Err(AppError::NotFound("Die Mitteilung".into()));
            }
            Ok(())
        }
        .await,
    )
}
