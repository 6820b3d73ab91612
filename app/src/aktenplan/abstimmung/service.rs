//! The use cases of the Abstimmung: proposing, commenting on and deciding
//! plan changes, publishing the approved ones as the next version, and
//! taking over a whole plan from CSV. Each write checks who may, checks the
//! change against the plan inside its write transaction, and records it.

use super::storage::{self, Release};
use super::{AbstimmungData, CommentView, ProposalForm, ProposalStatus, ProposalView, ReleaseView};
use crate::aktenplan::changes::{apply, Change};
use crate::aktenplan::code::Kennzeichen;
use crate::aktenplan::csv_import::ImportReport;
use crate::aktenplan::index::PlanIndex;
use crate::aktenplan::retention::{Archivwert, Retention, RetentionTrigger};
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::state::AppState;
use crate::time::display_exact;

/// Proposals made in a practice area belong to it (`Some(area id)`); real
/// ones have `None`. Each side sees only its own.
pub fn practice_scope(user: &SessionUser) -> Option<i64> {
    user.practice.as_ref().map(|_| user.municipality.id)
}

fn unknown_proposal() -> AppError {
    AppError::NotFound("Der Änderungsvorschlag".into())
}

fn release_title(title: &str) -> Result<&str, AppError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(AppError::invalid(
            "Bitte geben Sie der neuen Version einen Titel (höchstens 200 Zeichen).",
        ));
    }
    Ok(title)
}

/// Proposals and what the user may do with them.
pub async fn overview(state: &AppState, user: &SessionUser) -> Result<AbstimmungData, AppError> {
    guard::check(user, Rule::OpenAkten)?;
    let index = state.plan.snapshot();
    let current_version = crate::aktenplan::storage::current_version(&state.pool).await?;
    let (rows, mut comments) = storage::list(&state.pool, practice_scope(user)).await?;
    let proposals = rows
        .into_iter()
        .map(|row| {
            let summary = serde_json::from_str::<Change>(&row.payload)
                .map(|change| describe(&change, &index))
                .unwrap_or_else(|_| "Änderung".to_string());
            ProposalView {
                id: row.id,
                summary,
                justification: row.justification,
                status: ProposalStatus::parse(&row.status).unwrap_or(ProposalStatus::Open),
                proposed_by: row.proposed_by,
                proposed_at: display_exact(row.proposed_at),
                decided_by: row.decided_by,
                decision_note: row.decision_note,
                release_version: row.release_version,
                comments: comments
                    .remove(&row.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|c| CommentView {
                        author: c.author,
                        at: display_exact(c.at),
                        text: c.text,
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(AbstimmungData {
        proposals,
        may_propose: Rule::ProposePlanChanges.allows(user),
        may_decide: Rule::ProjectTeam.allows(user),
        current_version,
    })
}

/// Proposes one change with a justification. Mistakes (a taken code, a
/// missing parent) show up for the proposer now, not only when the project
/// team decides.
pub async fn propose(
    state: &AppState,
    user: &SessionUser,
    form: &ProposalForm,
) -> Result<i64, AppError> {
    guard::check(user, Rule::ProposePlanChanges)?;
    let justification = form.justification.trim();
    if justification.chars().count() < 10 || justification.chars().count() > 4000 {
        return Err(AppError::invalid(
            "Bitte begründen Sie den Vorschlag in mindestens 10 Zeichen (höchstens 4000).",
        ));
    }
    let index = state.plan.snapshot();
    let change = change_from(form, &index)?;
    let summary = describe(&change, &index);
    let payload = serde_json::to_string(&change).map_err(|_| AppError::Internal)?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let plan = storage::plan_entries(&mut tx).await?;
    apply(&plan, std::slice::from_ref(&change))
        .map_err(|e| AppError::invalid(format!("Der Vorschlag passt nicht zum Aktenplan: {e}")))?;
    let id = storage::insert_proposal(
        &mut tx,
        &change,
        &payload,
        justification,
        user.id,
        practice_scope(user),
    )
    .await?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "plan_change_proposed",
            "plan_proposal",
            id,
            serde_json::json!({ "summary": summary }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds a comment to a proposal (anyone who may propose or decide).
pub async fn comment(
    state: &AppState,
    user: &SessionUser,
    proposal_id: i64,
    text: &str,
) -> Result<(), AppError> {
    guard::check(user, Rule::OpenAkten)?;
    if !Rule::ProposePlanChanges.allows(user) && !Rule::ProjectTeam.allows(user) {
        return Err(AppError::Forbidden);
    }
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 4000 {
        return Err(AppError::invalid(
            "Bitte schreiben Sie einen Kommentar (höchstens 4000 Zeichen).",
        ));
    }
    let mut tx = crate::db::begin_write(&state.pool).await?;
    if storage::status(&mut tx, proposal_id, practice_scope(user))
        .await?
        .is_none()
    {
        return Err(unknown_proposal());
    }
    storage::insert_comment(&mut tx, proposal_id, user.id, text).await?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "plan_change_commented",
            "plan_proposal",
            proposal_id,
            serde_json::json!({ "text": text }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Approves or rejects an open proposal (project team only). Approval
/// first checks that the change still applies on top of everything already
/// approved.
pub async fn decide(
    state: &AppState,
    user: &SessionUser,
    proposal_id: i64,
    approve: bool,
    note: &str,
) -> Result<(), AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let note = note.trim();
    let mut tx = crate::db::begin_write(&state.pool).await?;
    match storage::status(&mut tx, proposal_id, practice_scope(user))
        .await?
        .as_deref()
    {
        None => return Err(unknown_proposal()),
        Some("open") => {}
        Some(_) => {
            return Err(AppError::Conflict(
                "Über diesen Vorschlag wurde bereits entschieden.".into(),
            ))
        }
    }
    if approve {
        let mut changes: Vec<Change> = storage::approved_changes(&mut tx)
            .await?
            .into_iter()
            .map(|(_, change)| change)
            .collect();
        changes.push(storage::change_of(&mut tx, proposal_id).await?);
        let plan = storage::plan_entries(&mut tx).await?;
        apply(&plan, &changes).map_err(|e| {
            AppError::invalid(format!(
                "Der Vorschlag passt nicht (mehr) zum Aktenplan: {e}"
            ))
        })?;
    }
    storage::set_decision(&mut tx, proposal_id, approve, user.id, note).await?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            if approve {
                "plan_change_approved"
            } else {
                "plan_change_rejected"
            },
            "plan_proposal",
            proposal_id,
            serde_json::json!({ "note": note }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes all approved proposals together as the next plan version and
/// reloads the plan everyone browses. Returns the new version number.
pub async fn publish(
    state: &AppState,
    user: &SessionUser,
    title: &str,
    notes: &str,
) -> Result<i64, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let title = release_title(title)?;
    let notes = notes.trim();
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let approved = storage::approved_changes(&mut tx).await?;
    if approved.is_empty() {
        return Err(AppError::invalid(
            "Es gibt keine angenommenen Änderungen, die veröffentlicht werden könnten.",
        ));
    }
    let plan = storage::plan_entries(&mut tx).await?;
    let changes: Vec<Change> = approved.iter().map(|(_, c)| c.clone()).collect();
    let applied = apply(&plan, &changes).map_err(|e| {
        AppError::invalid(format!(
            "Die angenommenen Änderungen passen nicht zusammen: {e}"
        ))
    })?;
    let release = Release {
        published_by: user.id,
        title,
        notes,
    };
    let (version, release_id) = storage::write_release(&mut tx, &release, &plan, &applied).await?;
    record(
        &mut tx,
        release_entry(user, "plan_published", version, title, &applied.changelog),
    )
    .await?;
    let ids: Vec<i64> = approved.iter().map(|(id, _)| *id).collect();
    storage::mark_published(&mut tx, &ids, release_id).await?;
    tx.commit().await?;
    state.plan.reload(&state.pool).await?;
    Ok(version)
}

/// Checks a CSV plan against the current one; with `publish`, publishes
/// the differences as the next version (project team only). The checks run
/// inside the write transaction, so what was previewed is what gets
/// published.
pub async fn import_csv(
    state: &AppState,
    user: &SessionUser,
    csv: &str,
    title: &str,
    publish: bool,
) -> Result<ImportReport, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let title = if publish {
        release_title(title)?
    } else {
        title.trim()
    };
    let records = crate::aktenplan::csv_format::parse(csv)
        .map_err(|problems| crate::aktenplan::csv_import::problem_report(&problems))?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let plan = storage::plan_entries(&mut tx).await?;
    let changes = crate::aktenplan::changes::from_import(&plan, &records);
    let applied = apply(&plan, &changes).map_err(|e| {
        AppError::invalid(format!(
            "Die Datei lässt sich nicht übernehmen, es wurde nichts geändert: {e}"
        ))
    })?;
    if !publish || applied.changelog.is_empty() {
        return Ok(ImportReport {
            changelog: applied.changelog,
            version: None,
        });
    }
    let notes = format!(
        "Aus einer CSV-Datei übernommen ({} Änderungen).",
        applied.changelog.len()
    );
    let release = Release {
        published_by: user.id,
        title,
        notes: &notes,
    };
    let (version, _) = storage::write_release(&mut tx, &release, &plan, &applied).await?;
    record(
        &mut tx,
        release_entry(
            user,
            "plan_csv_imported",
            version,
            title,
            &applied.changelog,
        ),
    )
    .await?;
    tx.commit().await?;
    state.plan.reload(&state.pool).await?;
    Ok(ImportReport {
        changelog: applied.changelog,
        version: Some(version),
    })
}

fn release_entry(
    user: &SessionUser,
    action: &'static str,
    version: i64,
    title: &str,
    changelog: &[String],
) -> NewEntry {
    NewEntry::by(
        user,
        action,
        "aktenplan",
        version,
        serde_json::json!({ "title": title, "changes": changelog }),
    )
}

/// All published versions with their changelog; visible to everyone who
/// uses the plan.
pub async fn releases(state: &AppState, user: &SessionUser) -> Result<Vec<ReleaseView>, AppError> {
    guard::check(user, Rule::OpenAkten)?;
    Ok(storage::releases(&state.pool)
        .await?
        .into_iter()
        .map(|r| ReleaseView {
            version: r.version,
            title: r.title,
            notes: r.notes,
            published_at: display_exact(r.published_at),
            published_by: r.published_by,
            changes: r.changes,
        })
        .collect())
}

/// A German one-liner for a change, with the position's current code.
pub fn describe(change: &Change, index: &PlanIndex) -> String {
    let name = |id: i64| {
        index
            .get(id)
            .map(|p| format!("{} {}", p.record.code, p.record.title))
            .unwrap_or_else(|| format!("Position Nr. {id}"))
    };
    match change {
        Change::New { code, title, .. } => format!("Neue Position {code} „{title}“"),
        Change::Rename { position_id, title } => {
            format!("{} umbenennen in „{title}“", name(*position_id))
        }
        Change::Describe { position_id, .. } => format!(
            "Beschreibung und Stichwörter von {} ändern",
            name(*position_id)
        ),
        Change::Move {
            position_id,
            new_code,
        } => format!("{} verschieben nach {new_code}", name(*position_id)),
        Change::Retention {
            position_id,
            retention,
            appraisal,
            ..
        } => format!(
            "Aufbewahrung von {} ändern: {}, Archivwert {}",
            name(*position_id),
            retention.label(),
            appraisal.letter()
        ),
        Change::Deactivate { position_id } => format!("{} deaktivieren", name(*position_id)),
    }
}

fn position(index: &PlanIndex, code: &str) -> Result<i64, AppError> {
    let code = code.trim();
    if code.is_empty() {
        return Err(AppError::invalid(
            "Bitte geben Sie das Kennzeichen der Position an.",
        ));
    }
    index.by_code(code).map(|p| p.id).ok_or_else(|| {
        AppError::invalid(format!("Die Position {code} gibt es im Aktenplan nicht."))
    })
}

fn code(raw: &str) -> Result<Kennzeichen, AppError> {
    Kennzeichen::parse(raw).map_err(|e| AppError::invalid(e.to_string()))
}

/// Turns the one proposal form into a typed change.
pub fn change_from(form: &ProposalForm, index: &PlanIndex) -> Result<Change, AppError> {
    let retention_fields = || -> Result<(Retention, RetentionTrigger, Archivwert), AppError> {
        Ok((
            Retention::parse(&form.retention).map_err(AppError::Invalid)?,
            RetentionTrigger::parse(&form.trigger).map_err(AppError::Invalid)?,
            Archivwert::parse(&form.appraisal).map_err(AppError::Invalid)?,
        ))
    };
    Ok(match form.kind.as_str() {
        "new" => {
            let (retention, trigger, appraisal) = retention_fields()?;
            Change::New {
                code: code(&form.new_code)?,
                title: form.title.trim().to_string(),
                description: form.description.trim().to_string(),
                keywords: crate::aktenplan::split_keywords(&form.keywords),
                retention,
                trigger,
                appraisal,
            }
        }
        "rename" => Change::Rename {
            position_id: position(index, &form.position_code)?,
            title: form.title.trim().to_string(),
        },
        "describe" => Change::Describe {
            position_id: position(index, &form.position_code)?,
            description: form.description.trim().to_string(),
            keywords: crate::aktenplan::split_keywords(&form.keywords),
        },
        "move" => Change::Move {
            position_id: position(index, &form.position_code)?,
            new_code: code(&form.new_code)?,
        },
        "retention" => {
            let (retention, trigger, appraisal) = retention_fields()?;
            Change::Retention {
                position_id: position(index, &form.position_code)?,
                retention,
                trigger,
                appraisal,
            }
        }
        "deactivate" => Change::Deactivate {
            position_id: position(index, &form.position_code)?,
        },
        _ => {
            return Err(AppError::invalid(
                "Bitte wählen Sie, was geändert werden soll.",
            ))
        }
    })
}
