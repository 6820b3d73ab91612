//! The use cases of Akten: open, show, close (zdA) and share. Each checks
//! who may, runs in one write transaction and records what it did.

use super::storage::{self, NewAkte, Sharing};
use super::{AkteDetail, AkteSummary};
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::state::AppState;
use sqlx::SqliteConnection;

fn unknown_akte() -> AppError {
    AppError::NotFound("Die Akte".into())
}

fn unknown_position() -> AppError {
    AppError::NotFound("Die Position im Aktenplan".into())
}

/// A plan position's retention rule for people: "10 Jahre, nach
/// Aktenschluss". Akten and their Vorgänge follow the same rule.
pub fn retention_rule(state: &AppState, position_id: i64) -> String {
    state
        .plan
        .snapshot()
        .get(position_id)
        .map(|p| {
            format!(
                "{}, {}",
                p.record.retention.label(),
                p.record.trigger.label()
            )
        })
        .unwrap_or_default()
}

/// The retention end of something under `position_id` closed on
/// `closed_on` (`None`: kept for ever).
pub fn retention_until(
    state: &AppState,
    position_id: i64,
    closed_on: chrono::NaiveDate,
) -> Result<Option<String>, AppError> {
    let index = state.plan.snapshot();
    let position = index.get(position_id).ok_or_else(unknown_position)?;
    Ok(crate::aktenplan::retention::retention_end(
        closed_on,
        position.record.retention,
        position.record.trigger,
    )
    .map(crate::time::iso_date))
}

/// Opens a new Akte under a plan position for the user's municipality.
pub async fn open(
    state: &AppState,
    user: &SessionUser,
    position_id: i64,
    title: &str,
    responsible: &str,
    opened_on: &str,
) -> Result<AkteSummary, AppError> {
    guard::check(user, Rule::OpenAkten)?;
    let (title, responsible, opened_on) = super::validate_new(title, responsible, opened_on)?;
    let index = state.plan.snapshot();
    let position = index.get(position_id).ok_or_else(unknown_position)?;
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
    let opened = crate::time::iso_date(opened_on);
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let summary = open_in(
        &mut tx,
        NewAkte {
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
    .await?;
    tx.commit().await?;
    Ok(summary)
}

/// Opens an Akte and records it, inside the caller's write transaction
/// (the practice area fills itself in one transaction).
pub async fn open_in(
    conn: &mut SqliteConnection,
    new: NewAkte<'_>,
) -> Result<AkteSummary, sqlx::Error> {
    let (actor_user_id, municipality_id) = (new.user_id, new.municipality_id);
    let (actor_name, ip) = (new.user_name.to_string(), new.ip.clone());
    let summary = storage::create_in(&mut *conn, new).await?;
    record(
        &mut *conn,
        NewEntry {
            actor_user_id: Some(actor_user_id),
            actor_name,
            municipality_id: Some(municipality_id),
            action: "akte_opened",
            object_type: "akte",
            object_id: Some(summary.id.to_string()),
            details: serde_json::json!({ "aktenzeichen": summary.aktenzeichen, "title": summary.title }),
            ip,
        },
    )
    .await?;
    Ok(summary)
}

/// One Akte, if the user's municipality may see it; foreign and unknown ids
/// answer alike.
pub async fn detail(state: &AppState, user: &SessionUser, id: i64) -> Result<AkteDetail, AppError> {
    guard::check(user, Rule::OpenAkten)?;
    let (akte, position_id) = storage::get_visible(&state.pool, id, user.municipality.id)
        .await?
        .ok_or_else(unknown_akte)?;
    let index = state.plan.snapshot();
    let record = storage::record_of(&state.pool, id).await?;
    let is_owner = record.municipality_id == user.municipality.id;
    let share_candidates = if is_owner && !user.in_practice() {
        crate::municipalities::storage::list(&state.pool)
            .await?
            .into_iter()
            .filter(|m| {
                m.id != user.municipality.id && !record.shared_with.iter().any(|s| s.id == m.id)
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(AkteDetail {
        akte,
        path: index.path(position_id),
        owner: record.owner,
        closed_on: record.closed_on,
        retention_until: record.retention_until,
        retention: retention_rule(state, position_id),
        shared_with: record.shared_with,
        is_owner,
        share_candidates,
        today: crate::time::iso_date(crate::time::today()),
    })
}

/// Closes an Akte (zdA): the retention period starts and its end is
/// stored. Returns that end (`None`: kept for ever).
pub async fn close(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    closed_on: &str,
) -> Result<Option<String>, AppError> {
    guard::check(user, Rule::OpenAkten)?;
    let (akte, position_id) = storage::get_visible(&state.pool, id, user.municipality.id)
        .await?
        .ok_or_else(unknown_akte)?;
    let date = chrono::NaiveDate::parse_from_str(closed_on.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::invalid("Das Datum der Schließung ist ungültig (Format JJJJ-MM-TT).")
    })?;
    let closed_on = crate::time::iso_date(date);
    if akte.opened_on > closed_on {
        return Err(AppError::invalid(
            "Eine Akte kann nicht vor ihrer Anlage geschlossen werden.",
        ));
    }
    let until = retention_until(state, position_id, date)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    // An Akte ends with its work: every Vorgang in it is zdA, and the
    // Akte is not closed before the last of them.
    let (open_vorgaenge, last_zda) = storage::vorgaenge_state(&mut tx, id).await?;
    if open_vorgaenge > 0 {
        return Err(AppError::Conflict(format!(
            "Die Akte hat noch {open_vorgaenge} offene(n) Vorgang/Vorgänge. Verfügen Sie zuerst jeden Vorgang zu den Akten."
        )));
    }
    if last_zda
        .as_deref()
        .is_some_and(|last| last > closed_on.as_str())
    {
        return Err(AppError::invalid(format!(
            "Der letzte Vorgang dieser Akte wurde am {} zu den Akten verfügt; die Akte kann nicht früher geschlossen werden.",
            last_zda.unwrap_or_default()
        )));
    }
    let closed = storage::close(
        &mut tx,
        user.municipality.id,
        id,
        &closed_on,
        until.as_deref(),
    )
    .await?;
    if !closed {
        return Err(AppError::Conflict(
            "Die Akte ist bereits geschlossen oder gehört nicht Ihrer Gemeinde.".into(),
        ));
    }
    record(
        &mut tx,
        NewEntry::by(
            user,
            "akte_closed",
            "akte",
            id,
            serde_json::json!({ "closed_on": closed_on, "retention_until": until }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(until)
}

/// Shares an Akte of the user's municipality with another municipality
/// (inter-municipal cooperation), or ends the sharing.
pub async fn share(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    municipality_id: i64,
    shared: bool,
) -> Result<(), AppError> {
    guard::check(user, Rule::OpenAkten)?;
    if municipality_id == user.municipality.id {
        return Err(AppError::invalid(
            "Die eigene Gemeinde sieht ihre Akten ohnehin.",
        ));
    }
    if user.in_practice() {
        return Err(AppError::invalid(
            "Im Übungsmodus werden Akten nicht für andere Gemeinden freigegeben: Übungsdaten bleiben im Übungsbereich.",
        ));
    }
    let unknown_municipality = || AppError::invalid("Diese Gemeinde gibt es nicht.");
    let mut tx = crate::db::begin_write(&state.pool).await?;
    // A practice area is no partner for real records.
    if crate::municipalities::storage::is_practice(&mut *tx, municipality_id).await? {
        return Err(unknown_municipality());
    }
    if !storage::is_owned_by(&mut tx, id, user.municipality.id).await? {
        return Err(unknown_akte());
    }
    if storage::set_share(&mut tx, id, municipality_id, shared, user.id).await?
        == Sharing::UnknownMunicipality
    {
        return Err(unknown_municipality());
    }
    record(
        &mut tx,
        NewEntry::by(
            user,
            if shared {
                "akte_shared"
            } else {
                "akte_unshared"
            },
            "akte",
            id,
            serde_json::json!({ "municipality_id": municipality_id }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Where documents arriving by themselves (a Scan-Ordner, a Postfach) go:
/// the open Akte with exactly this Aktenzeichen that the municipality may
/// file into, or `Ok(None)` for an empty field (the Posteingang). Refused
/// with a German sentence when there is no such Akte.
pub async fn arrival_akte(
    pool: &sqlx::SqlitePool,
    municipality_id: i64,
    aktenzeichen: &str,
) -> Result<Option<super::AkteRef>, AppError> {
    let zeichen = aktenzeichen.trim();
    if zeichen.is_empty() {
        return Ok(None);
    }
    super::storage::find_open(pool, municipality_id, zeichen, 20)
        .await?
        .into_iter()
        .find(|akte| akte.aktenzeichen == zeichen)
        .map(Some)
        .ok_or_else(|| {
            AppError::invalid(format!(
                "Eine offene Akte „{zeichen}“ gibt es für Ihre Gemeinde nicht. Bitte prüfen Sie das \
                 Aktenzeichen oder lassen Sie das Feld leer (dann Posteingang)."
            ))
        })
}
