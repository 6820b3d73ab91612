//! SQL for proposals, comments and releases, and publishing a release.

use super::{CommentView, ProposalStatus, ProposalView, ReleaseView};
use crate::aktenplan::changes::{apply, Applied, Change, PlanEntry};
use crate::aktenplan::code::Kennzeichen;
use crate::aktenplan::csv_import::ImportReport;
use crate::aktenplan::index::PlanIndex;
use crate::audit::storage::{record, NewEntry};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::time::display_exact;
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;

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

pub async fn insert_proposal(
    pool: &SqlitePool,
    user: &SessionUser,
    change: &Change,
    justification: &str,
    summary: &str,
) -> Result<i64, AppError> {
    let payload = serde_json::to_string(change).map_err(|_| AppError::Internal)?;
    let mut tx = crate::db::begin_write(pool).await?;
    // Mistakes (a taken code, a missing parent) show up for the proposer
    // now, not only when the project team decides.
    let plan = plan_entries(&mut tx).await?;
    apply(&plan, std::slice::from_ref(change))
        .map_err(|e| AppError::invalid(format!("Der Vorschlag passt nicht zum Aktenplan: {e}")))?;
    let id = sqlx::query(
        "INSERT INTO plan_proposals (kind, position_id, payload, justification, status, proposed_by, proposed_at,
                                     practice_municipality_id)
         VALUES (?, ?, ?, ?, 'open', ?, ?, ?)",
    )
    .bind(change.kind())
    .bind(change.position_id())
    .bind(payload)
    .bind(justification)
    .bind(user.id)
    .bind(crate::time::now())
    .bind(practice_scope(user))
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
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

#[derive(sqlx::FromRow)]
struct ProposalRow {
    id: i64,
    payload: String,
    justification: String,
    status: String,
    proposed_by: String,
    proposed_at: i64,
    decided_by: Option<String>,
    decision_note: Option<String>,
    release_version: Option<i64>,
}

/// Proposals made in a practice area belong to it (`Some(area id)`); real
/// ones have `None`. Each side sees only its own.
pub fn practice_scope(user: &SessionUser) -> Option<i64> {
    user.practice.as_ref().map(|_| user.municipality.id)
}

/// All proposals of the scope (see [`practice_scope`]), open ones first,
/// newest first within a status.
pub async fn list(
    pool: &SqlitePool,
    index: &PlanIndex,
    scope: Option<i64>,
) -> Result<Vec<ProposalView>, sqlx::Error> {
    let rows = sqlx::query_as::<_, ProposalRow>(
        "SELECT p.id, p.payload, p.justification, p.status, u.display_name AS proposed_by, p.proposed_at,
                d.display_name AS decided_by, p.decision_note, r.version AS release_version
         FROM plan_proposals p
         JOIN users u ON u.id = p.proposed_by
         LEFT JOIN users d ON d.id = p.decided_by
         LEFT JOIN plan_releases r ON r.id = p.release_id
         WHERE p.practice_municipality_id IS ?
         ORDER BY CASE p.status WHEN 'open' THEN 0 WHEN 'approved' THEN 1 ELSE 2 END, p.id DESC
         LIMIT 300",
    )
    .bind(scope)
    .fetch_all(pool)
    .await?;
    let comments: Vec<(i64, String, i64, String)> = sqlx::query_as(
        "SELECT c.proposal_id, u.display_name, c.at, c.text
         FROM plan_proposal_comments c JOIN users u ON u.id = c.author_id
         ORDER BY c.id",
    )
    .fetch_all(pool)
    .await?;
    let mut by_proposal: HashMap<i64, Vec<CommentView>> = HashMap::new();
    for (proposal_id, author, at, text) in comments {
        by_proposal
            .entry(proposal_id)
            .or_default()
            .push(CommentView {
                author,
                at: display_exact(at),
                text,
            });
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let summary = serde_json::from_str::<Change>(&row.payload)
                .map(|change| describe(&change, index))
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
                comments: by_proposal.remove(&row.id).unwrap_or_default(),
            }
        })
        .collect())
}

pub async fn add_comment(
    pool: &SqlitePool,
    user: &SessionUser,
    proposal_id: i64,
    text: &str,
) -> Result<(), AppError> {
    let mut tx = crate::db::begin_write(pool).await?;
    let exists: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM plan_proposals WHERE id = ? AND practice_municipality_id IS ?",
    )
    .bind(proposal_id)
    .bind(practice_scope(user))
    .fetch_optional(&mut *tx)
    .await?;
    if exists.is_none() {
        return Err(AppError::NotFound("Der Änderungsvorschlag".into()));
    }
    sqlx::query(
        "INSERT INTO plan_proposal_comments (proposal_id, author_id, at, text) VALUES (?, ?, ?, ?)",
    )
    .bind(proposal_id)
    .bind(user.id)
    .bind(crate::time::now())
    .bind(text)
    .execute(&mut *tx)
    .await?;
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

/// Approves or rejects an open proposal. Approval first checks that the
/// change still applies on top of everything already approved.
pub async fn decide(
    pool: &SqlitePool,
    user: &SessionUser,
    proposal_id: i64,
    approve: bool,
    note: &str,
) -> Result<(), AppError> {
    let mut tx = crate::db::begin_write(pool).await?;
    let status: Option<String> = sqlx::query_scalar(
        "SELECT status FROM plan_proposals WHERE id = ? AND practice_municipality_id IS ?",
    )
    .bind(proposal_id)
    .bind(practice_scope(user))
    .fetch_optional(&mut *tx)
    .await?;
    match status.as_deref() {
        None => return Err(AppError::NotFound("Der Änderungsvorschlag".into())),
        Some("open") => {}
        Some(_) => {
            return Err(AppError::Conflict(
                "Über diesen Vorschlag wurde bereits entschieden.".into(),
            ))
        }
    }
    if approve {
        let mut changes = approved_changes(&mut tx).await?;
        let payload: String = sqlx::query_scalar("SELECT payload FROM plan_proposals WHERE id = ?")
            .bind(proposal_id)
            .fetch_one(&mut *tx)
            .await?;
        changes.push((proposal_id, parse_change(&payload)?));
        let plan = plan_entries(&mut tx).await?;
        let only: Vec<Change> = changes.into_iter().map(|(_, c)| c).collect();
        apply(&plan, &only).map_err(|e| {
            AppError::invalid(format!(
                "Der Vorschlag passt nicht (mehr) zum Aktenplan: {e}"
            ))
        })?;
    }
    sqlx::query(
        "UPDATE plan_proposals SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?",
    )
    .bind(if approve { "approved" } else { "rejected" })
    .bind(user.id)
    .bind(crate::time::now())
    .bind(note)
    .bind(proposal_id)
    .execute(&mut *tx)
    .await?;
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

fn parse_change(payload: &str) -> Result<Change, AppError> {
    serde_json::from_str(payload).map_err(|error| {
        tracing::error!(%error, "stored plan change cannot be read");
        AppError::Internal
    })
}

async fn approved_changes(
    conn: &mut sqlx::SqliteConnection,
) -> Result<Vec<(i64, Change)>, AppError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, payload FROM plan_proposals WHERE status = 'approved' AND practice_municipality_id IS NULL
         ORDER BY decided_at, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(id, payload)| Ok((id, parse_change(&payload)?)))
        .collect()
}

async fn plan_entries(conn: &mut sqlx::SqliteConnection) -> Result<Vec<PlanEntry>, AppError> {
    let open: HashMap<i64, i64> = sqlx::query_as::<_, (i64, i64)>(
        // Practice Akten never hold up a real plan change.
        "SELECT position_id, COUNT(*) FROM akten WHERE status = 'open'
         AND municipality_id IN (SELECT id FROM municipalities WHERE practice_user_id IS NULL)
         GROUP BY position_id",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .collect();
    let positions = crate::aktenplan::storage::all(&mut *conn).await?;
    Ok(positions
        .into_iter()
        .map(|p| PlanEntry {
            id: p.id,
            open_akten: open.get(&p.id).copied().unwrap_or(0),
            record: p.record,
        })
        .collect())
}

/// Publishes all approved proposals together as the next plan version.
/// Returns the new version number.
pub async fn publish(
    pool: &SqlitePool,
    user: &SessionUser,
    title: &str,
    notes: &str,
) -> Result<i64, AppError> {
    let mut tx = crate::db::begin_write(pool).await?;
    let approved = approved_changes(&mut tx).await?;
    if approved.is_empty() {
        return Err(AppError::invalid(
            "Es gibt keine angenommenen Änderungen, die veröffentlicht werden könnten.",
        ));
    }
    let plan = plan_entries(&mut tx).await?;
    let changes: Vec<Change> = approved.iter().map(|(_, c)| c.clone()).collect();
    let applied = apply(&plan, &changes).map_err(|e| {
        AppError::invalid(format!(
            "Die angenommenen Änderungen passen nicht zusammen: {e}"
        ))
    })?;
    let release = Release {
        user,
        title,
        notes,
        action: "plan_published",
    };
    let (version, release_id) = write_release(&mut tx, &release, &plan, &applied).await?;
    for (proposal_id, _) in &approved {
        sqlx::query("UPDATE plan_proposals SET status = 'published', release_id = ? WHERE id = ?")
            .bind(release_id)
            .bind(proposal_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(version)
}

/// Compares a CSV plan with the current plan and, unless `dry_run`,
/// publishes the differences as the next version. The checks run inside the
/// write transaction, so what was previewed is what gets published.
pub async fn import_csv(
    pool: &SqlitePool,
    user: &SessionUser,
    records: &[crate::aktenplan::PositionRecord],
    title: &str,
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    let mut tx = crate::db::begin_write(pool).await?;
    let plan = plan_entries(&mut tx).await?;
    let changes = crate::aktenplan::changes::from_import(&plan, records);
    let applied = apply(&plan, &changes).map_err(|e| {
        AppError::invalid(format!(
            "Die Datei lässt sich nicht übernehmen, es wurde nichts geändert: {e}"
        ))
    })?;
    if dry_run || applied.changelog.is_empty() {
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
        user,
        title,
        notes: &notes,
        action: "plan_csv_imported",
    };
    let (version, _) = write_release(&mut tx, &release, &plan, &applied).await?;
    tx.commit().await?;
    Ok(ImportReport {
        changelog: applied.changelog,
        version: Some(version),
    })
}

struct Release<'a> {
    user: &'a SessionUser,
    title: &'a str,
    notes: &'a str,
    /// The audit action.
    action: &'static str,
}

/// Writes applied changes as the next release: positions, code history,
/// changelog and the audit entry. Returns (version, release row id).
async fn write_release(
    tx: &mut SqliteConnection,
    release: &Release<'_>,
    plan: &[PlanEntry],
    applied: &Applied,
) -> Result<(i64, i64), AppError> {
    let now = crate::time::now();
    let version: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM plan_releases")
            .fetch_one(&mut *tx)
            .await?;
    let release_id = sqlx::query(
        "INSERT INTO plan_releases (version, title, notes, published_at, published_by) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(version)
    .bind(release.title)
    .bind(release.notes)
    .bind(now)
    .bind(release.user.id)
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();

    // Final codes → ids, to give every touched position the right parent.
    let before: HashMap<i64, PlanEntry> = plan.iter().map(|e| (e.id, e.clone())).collect();
    let mut code_to_id: HashMap<Kennzeichen, i64> = HashMap::new();
    for entry in plan.iter() {
        let current = applied.updated.get(&entry.id).unwrap_or(entry);
        if current.record.active || !code_to_id.contains_key(&current.record.code) {
            code_to_id.insert(current.record.code.clone(), entry.id);
        }
    }
    for entry in &applied.created {
        let parent_id = entry
            .record
            .code
            .parent()
            .and_then(|p| code_to_id.get(&p).copied());
        let id = crate::aktenplan::storage::insert(&mut *tx, parent_id, &entry.record, now).await?;
        code_to_id.insert(entry.record.code.clone(), id);
        change_row(&mut *tx, release_id, id, "new", None, Some(entry)).await?;
    }
    for (id, entry) in &applied.updated {
        let parent_id = entry
            .record
            .code
            .parent()
            .and_then(|p| code_to_id.get(&p).copied());
        crate::aktenplan::storage::update(&mut *tx, *id, parent_id, &entry.record, now).await?;
        change_row(
            &mut *tx,
            release_id,
            *id,
            "update",
            before.get(id),
            Some(entry),
        )
        .await?;
    }
    for (id, old, new) in &applied.code_history {
        sqlx::query(
            "INSERT INTO plan_code_history (position_id, old_code, new_code, release_id, at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(old.as_str())
        .bind(new.as_str())
        .bind(release_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    for line in &applied.changelog {
        sqlx::query(
            "INSERT INTO plan_release_changes (release_id, kind, after) VALUES (?, 'changelog', ?)",
        )
        .bind(release_id)
        .bind(line)
        .execute(&mut *tx)
        .await?;
    }
    record(
        &mut *tx,
        NewEntry::by(
            release.user,
            release.action,
            "aktenplan",
            version,
            serde_json::json!({ "title": release.title, "changes": applied.changelog }),
        ),
    )
    .await?;
    Ok((version, release_id))
}

async fn change_row(
    conn: &mut sqlx::SqliteConnection,
    release_id: i64,
    position_id: i64,
    kind: &str,
    before: Option<&PlanEntry>,
    after: Option<&PlanEntry>,
) -> Result<(), sqlx::Error> {
    let snapshot = |e: &PlanEntry| {
        serde_json::json!({
            "code": e.record.code.as_str(), "title": e.record.title, "active": e.record.active,
            "retention": e.record.retention.to_field(), "appraisal": e.record.appraisal.letter(),
        })
        .to_string()
    };
    sqlx::query(
        "INSERT INTO plan_release_changes (release_id, position_id, kind, before, after) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(release_id)
    .bind(position_id)
    .bind(kind)
    .bind(before.map(snapshot))
    .bind(after.map(snapshot))
    .execute(conn)
    .await?;
    Ok(())
}

/// Published versions, newest first, with their changelog.
pub async fn releases(pool: &SqlitePool) -> Result<Vec<ReleaseView>, sqlx::Error> {
    let rows: Vec<(i64, i64, String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT r.id, r.version, r.title, r.notes, r.published_at, u.display_name
         FROM plan_releases r LEFT JOIN users u ON u.id = r.published_by
         ORDER BY r.version DESC",
    )
    .fetch_all(pool)
    .await?;
    let lines: Vec<(i64, String)> = sqlx::query_as(
        "SELECT release_id, after FROM plan_release_changes WHERE kind = 'changelog' ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    let mut by_release: HashMap<i64, Vec<String>> = HashMap::new();
    for (release_id, line) in lines {
        by_release.entry(release_id).or_default().push(line);
    }
    Ok(rows
        .into_iter()
        .map(|(id, version, title, notes, at, by)| ReleaseView {
            version,
            title,
            notes,
            published_at: display_exact(at),
            published_by: by,
            changes: by_release.remove(&id).unwrap_or_default(),
        })
        .collect())
}

/// The current code of a position that used to have `old_code`.
pub async fn resolve_old_code(
    pool: &SqlitePool,
    old_code: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT position_id FROM plan_code_history WHERE old_code = ? ORDER BY id DESC LIMIT 1",
    )
    .bind(old_code)
    .fetch_optional(pool)
    .await
}
