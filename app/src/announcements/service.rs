//! Use cases for announcements: who may, one transaction per write, the
//! audit entry with it. The header's status is [`super::status`]'s.

use super::storage::{self, Person, Stored};
use super::{
    AnnouncementDraft, AnnouncementStats, AnnouncementView, EditorData, ManagedAnnouncement,
    NewsList, Phase, Receipt, ValidAnnouncement,
};
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::{Role, SessionUser};
use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use crate::time::{display, input_value, now, parse_input};

fn not_found() -> AppError {
    AppError::NotFound("Die Mitteilung".into())
}

/// `/neuigkeiten`: what is addressed to `user`. The current ones count as
/// read from now on (the page says which were new).
pub async fn news(state: &AppState, user: &SessionUser) -> Result<NewsList, AppError> {
    guard::check(user, Rule::SignedIn)?;
    let now = now();
    let receipts = storage::receipts_of(&state.pool, user.id).await?;
    let mut current = Vec::new();
    let mut archive = Vec::new();
    let mut newly_read = Vec::new();
    for stored in storage::load_all(&state.pool).await? {
        let phase = stored.phase(now);
        if phase == Phase::Scheduled || !stored.targeting.addresses_user(user) {
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
    // Reading the page is no write unless something was new.
    if !newly_read.is_empty() {
        let mut tx = db::begin_write(&state.pool).await?;
        storage::mark_read(&mut tx, user.id, &newly_read, now).await?;
        tx.commit().await?;
    }
    Ok(NewsList {
        current,
        archive,
        may_publish: Rule::ProjectTeam.allows(user),
    })
}

/// The current announcement `id` if it addresses `user`; anything else
/// answers like an unknown id.
async fn current(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    now: i64,
) -> Result<Stored, AppError> {
    storage::current_for(&state.pool, user, now)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(not_found)
}

/// The one-click „Zur Kenntnis genommen“. Returns the time it was recorded.
pub async fn acknowledge(
    state: &AppState,
    user: &SessionUser,
    id: i64,
) -> Result<String, AppError> {
    guard::check(user, Rule::SignedIn)?;
    let now = now();
    if !current(state, user, id, now).await?.requires_ack {
        return Err(AppError::invalid(
            "Diese Mitteilung braucht keine Bestätigung der Kenntnisnahme.",
        ));
    }
    let mut tx = db::begin_write(&state.pool).await?;
    let at = storage::acknowledge(&mut tx, user.id, id, now).await?;
    tx.commit().await?;
    Ok(display(at))
}

/// Marks one announcement read (the banner's „Gelesen“ for pinned ones).
pub async fn mark_read(state: &AppState, user: &SessionUser, id: i64) -> Result<(), AppError> {
    guard::check(user, Rule::SignedIn)?;
    let now = now();
    current(state, user, id, now).await?;
    let mut tx = db::begin_write(&state.pool).await?;
    storage::mark_read(&mut tx, user.id, &[id], now).await?;
    tx.commit().await?;
    Ok(())
}

/// The project team's overview: every announcement with its numbers.
pub async fn managed(
    state: &AppState,
    user: &SessionUser,
) -> Result<Vec<ManagedAnnouncement>, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let now = now();
    let names = storage::municipality_names(&state.pool).await?;
    let people = storage::active_people(&state.pool).await?;
    let mut list = Vec::new();
    for stored in storage::load_all(&state.pool).await? {
        let stats = statistics(state, &stored, &names, &people).await?;
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

async fn statistics(
    state: &AppState,
    stored: &Stored,
    names: &[(i64, String)],
    people: &[Person],
) -> Result<AnnouncementStats, AppError> {
    let receipts = storage::receipts_for(&state.pool, stored.id).await?;
    let addressed = people
        .iter()
        .filter_map(|p| Role::parse(&p.role).map(|role| (p, role)))
        .filter(|(p, role)| stored.targeting.addresses(p.municipality_id, *role))
        .map(|(p, role)| {
            let receipt = receipts.get(&p.id);
            Receipt {
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
pub async fn stats(
    state: &AppState,
    user: &SessionUser,
    id: i64,
) -> Result<AnnouncementStats, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let stored = storage::load(&state.pool, id)
        .await?
        .ok_or_else(not_found)?;
    let names = storage::municipality_names(&state.pool).await?;
    let people = storage::active_people(&state.pool).await?;
    statistics(state, &stored, &names, &people).await
}

/// The editor's data: an empty draft (publishing now) or the stored one.
pub async fn editor(
    state: &AppState,
    user: &SessionUser,
    id: Option<i64>,
) -> Result<EditorData, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
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
    let stored = storage::load(&state.pool, id)
        .await?
        .ok_or_else(not_found)?;
    let already_read = storage::receipts_for(&state.pool, id).await?.len() as i64;
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

fn audit_details(valid: &ValidAnnouncement) -> serde_json::Value {
    serde_json::json!({
        "title": valid.title,
        "municipalities": valid.targeting.municipalities,
        "roles": valid.targeting.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        "pinned": valid.pinned,
        "requires_ack": valid.requires_ack,
        "publish_at": valid.publish_at,
        "expire_at": valid.expire_at,
    })
}

/// Publishes (or schedules) a new announcement (`id` None), or saves
/// changes to one. Returns its id.
pub async fn save(
    state: &AppState,
    user: &SessionUser,
    id: Option<i64>,
    draft: &AnnouncementDraft,
) -> Result<i64, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let known: Vec<i64> = crate::municipalities::storage::list(&state.pool)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    let (title, body, targeting) = super::validate_text(draft, &known)?;
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
    let valid = ValidAnnouncement {
        title,
        body,
        targeting,
        pinned: draft.pinned,
        requires_ack: draft.requires_ack,
        publish_at,
        expire_at,
    };
    let mut tx = db::begin_write(&state.pool).await?;
    let (id, action) = match id {
        Some(id) => {
            if !storage::update(&mut tx, id, &valid, now).await? {
                return Err(not_found());
            }
            (id, "announcement_updated")
        }
        None => (
            storage::create(&mut tx, user, &valid, now).await?,
            "announcement_published",
        ),
    };
    record(
        &mut tx,
        NewEntry::by(user, action, "announcement", id, audit_details(&valid)),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes an announcement with its receipts; the audit log keeps the
/// title and how many had read and acknowledged it.
pub async fn delete(state: &AppState, user: &SessionUser, id: i64) -> Result<(), AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let mut tx = db::begin_write(&state.pool).await?;
    let (read, acknowledged) = storage::receipt_counts(&mut tx, id).await?;
    let title = storage::delete(&mut tx, id).await?.ok_or_else(not_found)?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "announcement_deleted",
            "announcement",
            id,
            serde_json::json!({ "read": read, "acknowledged": acknowledged, "title": title }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
