//! The use cases of Laufwege: start one on an own document, answer a
//! step, withdraw it, see that it came back, and read a document's
//! Laufwege. Each checks who may, runs in one write transaction and
//! records every step on the document's audit trail.

use super::storage::{self, NewLaufweg};
use super::{
    advance, Answer, Asked, DocumentLaufwege, LaufwegStatus, Outcome, StepInput, StepKind,
};
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::vertretung::service::acting_for;

fn unknown_document() -> AppError {
    AppError::NotFound("Das Dokument".into())
}

fn unknown_step() -> AppError {
    AppError::NotFound("Der Schritt des Laufwegs".into())
}

/// Who can be asked: clerks of the own municipality; in a practice area
/// only oneself.
async fn may_be_asked(
    conn: &mut sqlx::SqliteConnection,
    user: &SessionUser,
    person: i64,
) -> Result<bool, AppError> {
    Ok(if user.in_practice() {
        person == user.id
    } else {
        crate::users::storage::is_clerk_of(conn, person, user.municipality.id).await?
    })
}

/// The Laufwege of a document the municipality may read, newest first,
/// with the last approved version and whether a new one may start.
pub async fn of_document(
    state: &AppState,
    user: &SessionUser,
    document_id: i64,
) -> Result<DocumentLaufwege, AppError> {
    guard::check(user, Rule::Clerk)?;
    let access = crate::documents::storage::access(&state.pool, document_id, user.municipality.id)
        .await?
        .ok_or_else(unknown_document)?;
    let mut answers = storage::AnswersFor {
        viewer: user.id,
        viewer_funktionen: crate::funktionen::storage::held_by(&state.pool, user.id).await?,
        ..storage::AnswersFor::default()
    };
    for (absent, ..) in crate::vertretung::service::standing_in_today(state, user).await? {
        answers.absent.push(absent);
        answers
            .absent_funktionen
            .extend(crate::funktionen::storage::held_by(&state.pool, absent).await?);
    }
    let laufwege = storage::of_document(&state.pool, document_id, &answers).await?;
    let mut conn = state.pool.acquire().await?;
    let newest = storage::newest_version(&mut conn, document_id, user.municipality.id).await?;
    drop(conn);
    // The last Freigabe given in a completed Laufweg.
    let approved = laufwege
        .iter()
        .filter(|l| l.status == LaufwegStatus::Completed)
        .find_map(|l| {
            l.steps
                .iter()
                .any(|s| s.kind == StepKind::Freigabe)
                .then(|| (l.version_number, l.sha256.clone()))
        });
    let owner = access == crate::documents::storage::Access::Owner;
    let (colleagues, funktionen) = if !owner {
        (Vec::new(), Vec::new())
    } else if user.in_practice() {
        let me = crate::users::Colleague {
            id: user.id,
            name: user.display_name.clone(),
        };
        (vec![me], Vec::new())
    } else {
        let funktionen = crate::funktionen::storage::askable(&state.pool, user.municipality.id)
            .await?
            .into_iter()
            .map(|(id, name)| crate::users::Colleague { id, name })
            .collect();
        (
            crate::users::storage::clerks_of(&state.pool, user.municipality.id).await?,
            funktionen,
        )
    };
    Ok(DocumentLaufwege {
        may_start: owner && newest.is_some(),
        newest_version: newest.map_or(0, |(n, _)| n),
        approved,
        laufwege,
        colleagues,
        funktionen,
    })
}

/// Starts a Laufweg on the newest version of an own document. Returns its
/// id.
pub async fn start(
    state: &AppState,
    user: &SessionUser,
    document_id: i64,
    title: &str,
    steps: &[StepInput],
) -> Result<i64, AppError> {
    guard::check(user, Rule::Clerk)?;
    let (title, planned) = super::validate(title, steps)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let (version_number, sha256) =
        storage::newest_version(&mut tx, document_id, user.municipality.id)
            .await?
            .ok_or_else(unknown_document)?;
    for step in &planned {
        let fits = match step.asked {
            Asked::Person(person) => may_be_asked(&mut tx, user, person).await?,
            Asked::Funktion(funktion) => {
                !user.in_practice()
                    && crate::funktionen::storage::is_askable(
                        &mut tx,
                        funktion,
                        user.municipality.id,
                    )
                    .await?
            }
        };
        if !fits {
            return Err(AppError::invalid(
                "Bitte wählen Sie für jeden Schritt eine Person oder Funktion Ihrer Gemeinde aus der Liste.",
            ));
        }
    }
    let id = storage::insert(
        &mut tx,
        NewLaufweg {
            municipality_id: user.municipality.id,
            document_id,
            version_number,
            sha256: &sha256,
            title: &title,
            started_by: user.id,
        },
        &planned,
        crate::time::now(),
    )
    .await?;
    let plan: Vec<serde_json::Value> = planned
        .iter()
        .map(|s| {
            serde_json::json!({
                "stage": s.stage, "user_id": s.asked.person(), "funktion_id": s.asked.funktion(),
                "kind": s.kind.as_str(),
            })
        })
        .collect();
    record(
        &mut tx,
        NewEntry::by(
            user,
            "laufweg_started",
            "document",
            document_id,
            serde_json::json!({
                "laufweg_id": id, "title": title, "version": version_number, "sha256": sha256, "steps": plan,
            }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Who answers a step asked of a Funktion: its holder, or during an
/// absence the deputy of a holder.
async fn answering_for(
    state: &AppState,
    conn: &mut sqlx::SqliteConnection,
    user: &SessionUser,
    funktion: i64,
) -> Result<Option<crate::vertretung::Acting>, AppError> {
    if crate::funktionen::storage::holds(conn, user.id, funktion).await? {
        return Ok(Some(crate::vertretung::Acting::Myself));
    }
    for (absent, ..) in crate::vertretung::service::standing_in_today(state, user).await? {
        if crate::funktionen::storage::holds(conn, absent, funktion).await? {
            return acting_for(conn, user, absent).await;
        }
    }
    Ok(None)
}

/// Answers a step asked of the user (or, during an absence, of the
/// colleague they stand in for: recorded "i. V." with both names): agree,
/// agree with a remark, refuse with a reason, or take note. The Laufweg
/// then moves on, comes back to its starter or is complete. A Freigabe
/// stores the approved hash.
pub async fn answer(
    state: &AppState,
    user: &SessionUser,
    step_id: i64,
    action: &str,
    remark: &str,
) -> Result<LaufwegStatus, AppError> {
    guard::check(user, Rule::Clerk)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let storage::ActiveStep {
        laufweg_id,
        kind,
        sha256,
        document_id,
        asked,
    } = storage::active_step(&mut tx, step_id, user.municipality.id)
        .await?
        .ok_or_else(unknown_step)?;
    let acting = match asked {
        Asked::Person(person) => acting_for(&mut tx, user, person).await?,
        Asked::Funktion(funktion) => answering_for(state, &mut tx, user, funktion).await?,
    }
    .ok_or_else(unknown_step)?;
    let answer = Answer::parse(action, remark, kind)?;
    let now = crate::time::now();
    let approved = (kind == StepKind::Freigabe
        && matches!(answer, Answer::Agree | Answer::AgreeWithRemark(_)))
    .then_some(sha256.as_str());
    storage::answer_step(
        &mut tx,
        step_id,
        answer.state(),
        answer.remark(),
        user.id,
        approved,
        now,
    )
    .await?;
    record(
        &mut tx,
        acting.entry(
            user,
            "laufweg_step_answered",
            "document",
            document_id,
            serde_json::json!({
                "laufweg_id": laufweg_id, "step_id": step_id, "kind": kind.as_str(),
                "answer": answer.state().as_str(), "remark": answer.remark(), "approved_sha256": approved,
            }),
        ),
    )
    .await?;
    let before = storage::step_states(&mut tx, laufweg_id).await?;
    let mut states: Vec<(i64, super::StepState)> = before
        .iter()
        .map(|(_, stage, state)| (*stage, *state))
        .collect();
    let outcome = advance(&mut states);
    for ((id, _, old), (_, new)) in before.iter().zip(&states) {
        if old != new {
            storage::set_step_state(&mut tx, *id, *new).await?;
        }
    }
    let status = match outcome {
        Outcome::Waiting | Outcome::NextStage(_) => LaufwegStatus::Open,
        Outcome::Completed => LaufwegStatus::Completed,
        Outcome::Returned => LaufwegStatus::Returned,
    };
    if status != LaufwegStatus::Open {
        storage::finish(&mut tx, laufweg_id, status, now).await?;
        record(
            &mut tx,
            acting.entry(
                user,
                if status == LaufwegStatus::Completed {
                    "laufweg_completed"
                } else {
                    "laufweg_returned"
                },
                "document",
                document_id,
                serde_json::json!({ "laufweg_id": laufweg_id }),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(status)
}

/// Withdraws a running Laufweg its starter no longer needs.
pub async fn withdraw(
    state: &AppState,
    user: &SessionUser,
    laufweg_id: i64,
) -> Result<(), AppError> {
    guard::check(user, Rule::Clerk)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let document_id = storage::open_started_by(&mut tx, laufweg_id, user.id, user.municipality.id)
        .await?
        .ok_or_else(|| AppError::NotFound("Der Laufweg".into()))?;
    let now = crate::time::now();
    for (id, _, state) in storage::step_states(&mut tx, laufweg_id).await? {
        if matches!(state, super::StepState::Waiting | super::StepState::Active) {
            storage::set_step_state(&mut tx, id, super::StepState::Skipped).await?;
        }
    }
    storage::finish(&mut tx, laufweg_id, LaufwegStatus::Cancelled, now).await?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "laufweg_withdrawn",
            "document",
            document_id,
            serde_json::json!({ "laufweg_id": laufweg_id }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The starter (or their deputy) has seen that a Laufweg came back: it
/// leaves the Postkorb.
pub async fn return_seen(
    state: &AppState,
    user: &SessionUser,
    laufweg_id: i64,
) -> Result<(), AppError> {
    guard::check(user, Rule::Clerk)?;
    let unknown = || AppError::NotFound("Der Laufweg".into());
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let starter = storage::unseen_return_starter(&mut tx, laufweg_id, user.municipality.id)
        .await?
        .ok_or_else(unknown)?;
    // Bookkeeping of the Postkorb, not an act on the record: not audited.
    acting_for(&mut tx, user, starter)
        .await?
        .ok_or_else(unknown)?;
    storage::mark_return_seen(&mut tx, laufweg_id, starter, user.municipality.id).await?;
    tx.commit().await?;
    Ok(())
}

/// The Laufwege of a document as a CSV file for the record (every step
/// with its answer, the version and its hash): file name and text. Who
/// may read the document may export them.
pub async fn record_csv(
    state: &AppState,
    user: &SessionUser,
    document_id: i64,
) -> Result<(String, String), AppError> {
    let data = of_document(state, user, document_id).await?;
    let mut file = crate::spreadsheet::CsvFile::default();
    file.row([
        "Laufweg",
        "Stand",
        "Begonnen von",
        "Begonnen am",
        "Version",
        "SHA-256",
        "Stufe",
        "Person",
        "Art",
        "Antwort",
        "Anmerkung",
        "Beantwortet am",
        "Freigegebener SHA-256",
    ]);
    for l in &data.laufwege {
        for s in &l.steps {
            file.row([
                l.title.as_str(),
                l.status.label(),
                l.started_by.as_str(),
                l.started_at.as_str(),
                &l.version_number.to_string(),
                l.sha256.as_str(),
                &s.stage.to_string(),
                s.person.as_str(),
                s.kind.label(),
                s.state.label(),
                s.remark.as_str(),
                s.answered_at.as_deref().unwrap_or_default(),
                s.approved_sha256.as_deref().unwrap_or_default(),
            ]);
        }
    }
    Ok((
        format!("laufwege-dokument-{document_id}.csv"),
        file.finish(),
    ))
}
