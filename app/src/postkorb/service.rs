//! The use cases of the Postkorb: read one's own, set and settle
//! Wiedervorlagen, assign a document or Vorgang to a colleague and mark a
//! Zuweisung done. Each checks who may, runs in one write transaction and
//! records what it did on the subject's audit trail.

use super::storage::{self, NewWiedervorlage, NewZuweisung};
use super::{FollowUps, Postkorb, Settle, Subject};
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::vertretung::service::acting_for;
use crate::vertretung::{Acting, Vertreten};

/// Unknown, foreign and finished subjects answer alike.
fn unknown(subject: Subject) -> AppError {
    AppError::NotFound(match subject {
        Subject::Document(_) => "Das Dokument".into(),
        Subject::Vorgang(_) => "Der Vorgang".into(),
    })
}

fn unknown_wiedervorlage() -> AppError {
    AppError::NotFound("Die Wiedervorlage".into())
}

/// The audit trail an entry about `subject` goes to.
fn object_type(subject: Subject) -> &'static str {
    match subject {
        Subject::Document(_) => "document",
        Subject::Vorgang(_) => "vorgang",
    }
}

/// Who may be given work: a clerk of the own municipality. In a practice
/// area there is nobody but oneself.
async fn check_recipient(
    conn: &mut sqlx::SqliteConnection,
    user: &SessionUser,
    recipient: i64,
) -> Result<(), AppError> {
    let fits = if user.in_practice() {
        recipient == user.id
    } else {
        crate::users::storage::is_clerk_of(conn, recipient, user.municipality.id).await?
    };
    if fits {
        Ok(())
    } else {
        Err(AppError::invalid(
            "Bitte wählen Sie eine Kollegin oder einen Kollegen Ihrer Gemeinde aus der Liste.",
        ))
    }
}

/// The person's own Postkorb or, with `fuer`, that of a colleague they
/// stand in for today. Anybody else's answers as unknown.
pub async fn postkorb(
    state: &AppState,
    user: &SessionUser,
    fuer: Option<i64>,
    all: bool,
) -> Result<Postkorb, AppError> {
    guard::check(user, Rule::Clerk)?;
    let (person, owner) = match fuer.filter(|id| *id != user.id) {
        None => (user.id, None),
        Some(id) => {
            let mut conn = state.pool.acquire().await?;
            match acting_for(&mut conn, user, id).await? {
                Some(Acting::Deputy { absent_name, .. }) => (id, Some(absent_name)),
                _ => return Err(AppError::NotFound("Der Postkorb".into())),
            }
        }
    };
    let today = crate::time::today();
    let municipality = user.municipality.id;
    let mut vertreten = Vec::new();
    if owner.is_none() {
        let absent = crate::vertretung::service::standing_in_today(state, user).await?;
        let ids: Vec<i64> = absent.iter().map(|(id, ..)| *id).collect();
        let counts = waiting_of(state, &ids, municipality).await?;
        for (user_id, name, until) in absent {
            vertreten.push(Vertreten {
                waiting: counts.get(&user_id).copied().unwrap_or(0),
                user_id,
                name,
                until,
            });
        }
    }
    let limit = if all { i64::MAX } else { super::SHOWN };
    let pool = &state.pool;
    let (due, upcoming, assigned) =
        storage::totals(pool, person, municipality, &crate::time::iso_date(today)).await?;
    Ok(Postkorb {
        today: crate::time::iso_date(today),
        due: storage::wiedervorlagen_for(pool, person, municipality, today, true, limit).await?,
        assigned: storage::zuweisungen_for(pool, person, municipality, limit).await?,
        upcoming: storage::wiedervorlagen_for(pool, person, municipality, today, false, limit)
            .await?,
        vorgaenge: crate::vorgaenge::storage::open_for_responsible(
            pool,
            person,
            municipality,
            limit,
        )
        .await?,
        asked: crate::laufwege::storage::asked_of(pool, person, municipality, limit).await?,
        returned: crate::laufwege::storage::returned_to(pool, person, municipality).await?,
        totals: super::Totals {
            due,
            assigned,
            upcoming,
            asked: crate::laufwege::storage::asked_count(pool, person, municipality).await?,
            vorgaenge: crate::vorgaenge::storage::open_count_for_responsible(
                pool,
                person,
                municipality,
            )
            .await?,
        },
        owner,
        vertreten,
    })
}

/// How many things wait today for each of `persons` in the municipality.
async fn waiting_of(
    state: &AppState,
    persons: &[i64],
    municipality: i64,
) -> Result<std::collections::HashMap<i64, i64>, AppError> {
    let today = crate::time::iso_date(crate::time::today());
    let mut counts = storage::waiting_counts(&state.pool, persons, municipality, &today).await?;
    for (person, n) in
        crate::laufwege::storage::waiting_counts(&state.pool, persons, municipality).await?
    {
        *counts.entry(person).or_default() += n;
    }
    Ok(counts)
}

/// How many things wait for the person today (the navigation's count);
/// `None` for those without a Postkorb.
pub async fn waiting(state: &AppState, user: &SessionUser) -> Result<Option<i64>, AppError> {
    if !Rule::Clerk.allows(user) {
        return Ok(None);
    }
    // The own and, for the colleagues one stands in for today, theirs.
    let mut persons = vec![user.id];
    persons.extend(
        crate::vertretung::service::standing_in_today(state, user)
            .await?
            .into_iter()
            .map(|(id, ..)| id),
    );
    let counts = waiting_of(state, &persons, user.municipality.id).await?;
    Ok(Some(counts.values().sum()))
}

/// The open Wiedervorlagen of an own document or Vorgang, and the
/// colleagues who could get one.
pub async fn follow_ups(
    state: &AppState,
    user: &SessionUser,
    subject: Subject,
) -> Result<FollowUps, AppError> {
    guard::check(user, Rule::Clerk)?;
    let mut conn = state.pool.acquire().await?;
    storage::live_subject(&mut conn, subject, user.municipality.id)
        .await?
        .ok_or_else(|| unknown(subject))?;
    drop(conn);
    let today = crate::time::today();
    let mut colleagues = if user.in_practice() {
        Vec::new()
    } else {
        crate::users::storage::clerks_of(&state.pool, user.municipality.id).await?
    };
    colleagues.retain(|c| c.id != user.id);
    colleagues.insert(
        0,
        super::Colleague {
            id: user.id,
            name: format!("{} (ich)", user.display_name),
        },
    );
    Ok(FollowUps {
        wiedervorlagen: storage::wiedervorlagen_of(
            &state.pool,
            subject,
            user.municipality.id,
            today,
        )
        .await?,
        colleagues,
        today: crate::time::iso_date(today),
    })
}

/// Sets a Wiedervorlage on an own document or Vorgang, for oneself or a
/// colleague of the municipality. Returns its id.
pub async fn set_wiedervorlage(
    state: &AppState,
    user: &SessionUser,
    subject: Subject,
    for_user_id: i64,
    due_on: &str,
    reason: &str,
) -> Result<i64, AppError> {
    guard::check(user, Rule::Clerk)?;
    let (due, reason) = super::validate_wiedervorlage(due_on, reason, crate::time::today())?;
    let due_on = crate::time::iso_date(due);
    let mut tx = crate::db::begin_write(&state.pool).await?;
    storage::live_subject(&mut tx, subject, user.municipality.id)
        .await?
        .ok_or_else(|| unknown(subject))?;
    check_recipient(&mut tx, user, for_user_id).await?;
    let id = storage::insert_wiedervorlage(
        &mut tx,
        NewWiedervorlage {
            municipality_id: user.municipality.id,
            subject,
            for_user_id,
            due_on: &due_on,
            reason: &reason,
            created_by: user.id,
        },
        crate::time::now(),
    )
    .await?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "wiedervorlage_set",
            object_type(subject),
            subject.id(),
            serde_json::json!({
                "wiedervorlage_id": id, "for_user_id": for_user_id, "due_on": due_on, "reason": reason,
            }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Settles an open Wiedervorlage with one click: done, cancelled, or
/// postponed to another day. The one who set it may, the person it is
/// for, and their deputy during an absence ("i. V.").
pub async fn settle_wiedervorlage(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    settle: Settle,
) -> Result<(), AppError> {
    guard::check(user, Rule::Clerk)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let (subject, for_user, by) = storage::open_wiedervorlage(&mut tx, id, user.municipality.id)
        .await?
        .ok_or_else(unknown_wiedervorlage)?;
    let acting = if by == user.id {
        Acting::Myself
    } else {
        acting_for(&mut tx, user, for_user)
            .await?
            .ok_or_else(unknown_wiedervorlage)?
    };
    let now = crate::time::now();
    let (action, details) = match settle {
        Settle::Done => {
            storage::settle_wiedervorlage(&mut tx, id, "done", user.id, now).await?;
            (
                "wiedervorlage_done",
                serde_json::json!({ "wiedervorlage_id": id }),
            )
        }
        Settle::Cancel => {
            storage::settle_wiedervorlage(&mut tx, id, "cancelled", user.id, now).await?;
            (
                "wiedervorlage_cancelled",
                serde_json::json!({ "wiedervorlage_id": id }),
            )
        }
        Settle::Postpone(day) => {
            if day < crate::time::today() {
                return Err(AppError::invalid(
                    "Eine Wiedervorlage wird auf heute oder später verschoben, nicht in die Vergangenheit.",
                ));
            }
            let due_on = crate::time::iso_date(day);
            storage::postpone_wiedervorlage(&mut tx, id, &due_on).await?;
            (
                "wiedervorlage_postponed",
                serde_json::json!({ "wiedervorlage_id": id, "due_on": due_on }),
            )
        }
    };
    record(
        &mut tx,
        acting.entry(user, action, object_type(subject), subject.id(), details),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Puts an own document or Vorgang into a colleague's Postkorb with a
/// note; a Vorgang also becomes theirs (responsible). Returns the
/// Zuweisung's id.
pub async fn assign(
    state: &AppState,
    user: &SessionUser,
    subject: Subject,
    to_user_id: i64,
    note: &str,
) -> Result<i64, AppError> {
    guard::check(user, Rule::Clerk)?;
    let note = super::validate_note(note)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    storage::live_subject(&mut tx, subject, user.municipality.id)
        .await?
        .ok_or_else(|| unknown(subject))?;
    check_recipient(&mut tx, user, to_user_id).await?;
    let id = storage::insert_zuweisung(
        &mut tx,
        NewZuweisung {
            municipality_id: user.municipality.id,
            subject,
            to_user_id,
            note: &note,
            created_by: user.id,
        },
        crate::time::now(),
    )
    .await?;
    if let Subject::Vorgang(vorgang_id) = subject {
        crate::vorgaenge::storage::set_responsible(
            &mut tx,
            vorgang_id,
            user.municipality.id,
            to_user_id,
        )
        .await?;
    }
    record(
        &mut tx,
        NewEntry::by(
            user,
            "assigned",
            object_type(subject),
            subject.id(),
            serde_json::json!({ "zuweisung_id": id, "to_user_id": to_user_id, "note": note }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Marks a Zuweisung in the person's own Postkorb (or, during an
/// absence, in that of the colleague they stand in for) done.
pub async fn finish_assignment(
    state: &AppState,
    user: &SessionUser,
    id: i64,
) -> Result<(), AppError> {
    guard::check(user, Rule::Clerk)?;
    let unknown = || AppError::NotFound("Die Zuweisung".into());
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let to_user = storage::open_zuweisung(&mut tx, id, user.municipality.id)
        .await?
        .ok_or_else(unknown)?;
    let acting = acting_for(&mut tx, user, to_user)
        .await?
        .ok_or_else(unknown)?;
    storage::finish_zuweisung(
        &mut tx,
        id,
        to_user,
        user.municipality.id,
        crate::time::now(),
    )
    .await?;
    record(
        &mut tx,
        acting.entry(
            user,
            "assignment_done",
            "zuweisung",
            id,
            serde_json::json!({}),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
