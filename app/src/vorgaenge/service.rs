//! The use cases of Vorgänge: open one in an Akte, list an Akte's
//! Vorgänge, show one, move one between "offen" and "in Bearbeitung",
//! and close it (zdA). Each checks
//! who may, runs in one write transaction and records what it did.

use super::storage::{self, NewVorgang};
use super::{AkteVorgaenge, VorgangDetail, VorgangStatus, VorgangSummary};
use crate::akten::AkteStatus;
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::state::AppState;

fn unknown_akte() -> AppError {
    AppError::NotFound("Die Akte".into())
}

fn unknown_vorgang() -> AppError {
    AppError::NotFound("Der Vorgang".into())
}

/// Opens a Vorgang in an open Akte of the user's municipality; the user
/// is responsible for it. Foreign, shared and unknown Akten answer alike.
pub async fn open(
    state: &AppState,
    user: &SessionUser,
    akte_id: i64,
    title: &str,
    opened_on: &str,
) -> Result<VorgangSummary, AppError> {
    guard::check(user, Rule::OpenAkten)?;
    let (title, opened) = super::validate_new(title, opened_on)?;
    let opened_on = crate::time::iso_date(opened);
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let (aktenzeichen, status) =
        crate::akten::storage::owned_in(&mut tx, akte_id, user.municipality.id)
            .await?
            .ok_or_else(unknown_akte)?;
    if status != AkteStatus::Open {
        return Err(AppError::Conflict(
            "In einer geschlossenen Akte werden keine Vorgänge mehr angelegt.".into(),
        ));
    }
    let vorgang = storage::create_in(
        &mut tx,
        NewVorgang {
            akte_id,
            municipality_id: user.municipality.id,
            aktenzeichen: &aktenzeichen,
            title: &title,
            responsible_id: user.id,
            opened_on: &opened_on,
            user_id: user.id,
        },
    )
    .await?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "vorgang_opened",
            "vorgang",
            vorgang.id,
            serde_json::json!({ "akte_id": akte_id, "zeichen": vorgang.zeichen, "title": vorgang.title }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(vorgang)
}

/// The Vorgänge of an Akte the user's municipality may see.
pub async fn list(
    state: &AppState,
    user: &SessionUser,
    akte_id: i64,
) -> Result<AkteVorgaenge, AppError> {
    guard::check(user, Rule::OpenAkten)?;
    let (akte, _) = crate::akten::storage::get_visible(&state.pool, akte_id, user.municipality.id)
        .await?
        .ok_or_else(unknown_akte)?;
    let record = crate::akten::storage::record_of(&state.pool, akte_id).await?;
    Ok(AkteVorgaenge {
        vorgaenge: storage::list_for_akte(&state.pool, akte_id).await?,
        may_open: akte.status == AkteStatus::Open && record.municipality_id == user.municipality.id,
        today: crate::time::iso_date(crate::time::today()),
    })
}

/// Moves a Vorgang of the user's municipality between "offen" and "in
/// Bearbeitung". Closing (zdA) is its own step.
pub async fn set_status(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    to: VorgangStatus,
) -> Result<(), AppError> {
    guard::check(user, Rule::OpenAkten)?;
    let from = match to {
        VorgangStatus::Open => VorgangStatus::InProgress,
        VorgangStatus::InProgress => VorgangStatus::Open,
        VorgangStatus::Closed => {
            return Err(AppError::invalid(
                "Ein Vorgang wird mit „zu den Akten“ geschlossen, nicht über seinen Status.",
            ))
        }
    };
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let (_, current) = storage::owned(&mut tx, id, user.municipality.id)
        .await?
        .ok_or_else(unknown_vorgang)?;
    if current == to {
        return Ok(());
    }
    if !storage::set_status(&mut tx, id, user.municipality.id, from, to).await? {
        return Err(AppError::Conflict(
            "Der Vorgang ist bereits zu den Akten verfügt.".into(),
        ));
    }
    record(
        &mut tx,
        NewEntry::by(
            user,
            "vorgang_status_changed",
            "vorgang",
            id,
            serde_json::json!({ "from": from.as_str(), "to": to.as_str() }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One Vorgang, if its Akte is visible to the user's municipality; foreign
/// and unknown ids answer alike.
pub async fn detail(
    state: &AppState,
    user: &SessionUser,
    id: i64,
) -> Result<VorgangDetail, AppError> {
    guard::check(user, Rule::OpenAkten)?;
    let found = storage::get_visible(&state.pool, id, user.municipality.id)
        .await?
        .ok_or_else(unknown_vorgang)?;
    Ok(VorgangDetail {
        retention: crate::akten::service::retention_rule(state, found.position_id),
        may_change: found.municipality_id == user.municipality.id,
        vorgang: found.vorgang,
        akte: found.akte,
        akte_open: found.akte_open,
        retention_until: found.retention_until,
        today: crate::time::iso_date(crate::time::today()),
    })
}

/// Closes a Vorgang of the user's municipality: "zu den Akten". Its
/// retention end follows from the day and its Akte's plan position, as an
/// Akte's does. Returns that end (`None`: kept for ever).
pub async fn close(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    closed_on: &str,
    cancel_waiting: bool,
) -> Result<Option<String>, AppError> {
    guard::check(user, Rule::OpenAkten)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let (opened_on, status, position_id) =
        storage::closing_facts(&mut tx, id, user.municipality.id)
            .await?
            .ok_or_else(unknown_vorgang)?;
    if status == VorgangStatus::Closed {
        return Err(AppError::Conflict(
            "Der Vorgang ist bereits zu den Akten verfügt.".into(),
        ));
    }
    // zdA means the work is done: nothing may still come back or wait
    // for an answer in it, unless the person confirms to cancel it.
    let (wiedervorlagen, laufwege) = storage::waiting_in(&mut tx, id).await?;
    if wiedervorlagen + laufwege > 0 && !cancel_waiting {
        return Err(AppError::Conflict(format!(
            "Im Vorgang wartet noch etwas: {wiedervorlagen} offene Wiedervorlage(n) und {laufwege} laufende(r) Laufweg(e). \
             Erledigen Sie sie, oder bestätigen Sie, dass sie mit der zdA-Verfügung abgebrochen werden."
        )));
    }
    let date = super::validate_closing(&opened_on, closed_on)?;
    if wiedervorlagen + laufwege > 0 {
        let cancelled =
            storage::cancel_waiting_in(&mut tx, id, user.id, crate::time::now()).await?;
        for (wv, object_type, object_id) in cancelled.wiedervorlagen {
            record(
                &mut tx,
                NewEntry::by(
                    user,
                    "wiedervorlage_cancelled",
                    object_type,
                    object_id,
                    serde_json::json!({ "wiedervorlage_id": wv, "bei_zda_des_vorgangs": id }),
                ),
            )
            .await?;
        }
        for (laufweg, document) in cancelled.laufwege {
            record(
                &mut tx,
                NewEntry::by(
                    user,
                    "laufweg_withdrawn",
                    "document",
                    document,
                    serde_json::json!({ "laufweg_id": laufweg, "bei_zda_des_vorgangs": id }),
                ),
            )
            .await?;
        }
    }
    let closed_on = crate::time::iso_date(date);
    let until = crate::akten::service::retention_until(state, position_id, date)?;
    if !storage::close(
        &mut tx,
        id,
        user.municipality.id,
        &closed_on,
        until.as_deref(),
    )
    .await?
    {
        return Err(unknown_vorgang());
    }
    record(
        &mut tx,
        NewEntry::by(
            user,
            "vorgang_closed",
            "vorgang",
            id,
            serde_json::json!({ "closed_on": closed_on, "retention_until": until }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(until)
}
