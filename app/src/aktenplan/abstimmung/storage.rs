//! SQL for proposals, comments and releases. What a release changes is
//! worked out by [`crate::aktenplan::changes`]; this module only writes it.

use crate::aktenplan::changes::{Applied, Change, PlanEntry};
use crate::aktenplan::code::Kennzeichen;
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;

/// Stores a proposal; `scope` is its practice area (see
/// [`super::service::practice_scope`]).
pub async fn insert_proposal(
    conn: &mut SqliteConnection,
    change: &Change,
    payload: &str,
    justification: &str,
    proposed_by: i64,
    scope: Option<i64>,
) -> Result<i64, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO plan_proposals (kind, position_id, payload, justification, status, proposed_by, proposed_at,
                                     practice_municipality_id)
         VALUES (?, ?, ?, ?, 'open', ?, ?, ?)",
    )
    .bind(change.kind())
    .bind(change.position_id())
    .bind(payload)
    .bind(justification)
    .bind(proposed_by)
    .bind(crate::time::now())
    .bind(scope)
    .execute(&mut *conn)
    .await?
    .last_insert_rowid())
}

/// A proposal as stored, with the names of the people involved.
#[derive(sqlx::FromRow)]
pub struct StoredProposal {
    pub id: i64,
    pub payload: String,
    pub justification: String,
    pub status: String,
    pub proposed_by: String,
    pub proposed_at: i64,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub release_version: Option<i64>,
}

/// A comment on a proposal.
pub struct StoredComment {
    pub author: String,
    pub at: i64,
    pub text: String,
}

/// All proposals of the scope, open ones first, newest first within a
/// status, with their comments (oldest first) by proposal id.
pub async fn list(
    pool: &SqlitePool,
    scope: Option<i64>,
) -> Result<(Vec<StoredProposal>, HashMap<i64, Vec<StoredComment>>), sqlx::Error> {
    let rows = sqlx::query_as::<_, StoredProposal>(
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
    let mut by_proposal: HashMap<i64, Vec<StoredComment>> = HashMap::new();
    for (proposal_id, author, at, text) in comments {
        by_proposal
            .entry(proposal_id)
            .or_default()
            .push(StoredComment { author, at, text });
    }
    Ok((rows, by_proposal))
}

/// The status of a proposal of the scope (`None`: no such proposal there).
pub async fn status(
    conn: &mut SqliteConnection,
    proposal_id: i64,
    scope: Option<i64>,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT status FROM plan_proposals WHERE id = ? AND practice_municipality_id IS ?",
    )
    .bind(proposal_id)
    .bind(scope)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn insert_comment(
    conn: &mut SqliteConnection,
    proposal_id: i64,
    author_id: i64,
    text: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO plan_proposal_comments (proposal_id, author_id, at, text) VALUES (?, ?, ?, ?)",
    )
    .bind(proposal_id)
    .bind(author_id)
    .bind(crate::time::now())
    .bind(text)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records the decision on a proposal.
pub async fn set_decision(
    conn: &mut SqliteConnection,
    proposal_id: i64,
    approve: bool,
    decided_by: i64,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE plan_proposals SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?",
    )
    .bind(if approve { "approved" } else { "rejected" })
    .bind(decided_by)
    .bind(crate::time::now())
    .bind(note)
    .bind(proposal_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A stored change; one that no longer reads is a database fault.
fn parse_change(payload: &str) -> Result<Change, sqlx::Error> {
    serde_json::from_str(payload).map_err(|error| {
        tracing::error!(%error, "stored plan change cannot be read");
        sqlx::Error::Decode(Box::new(error))
    })
}

/// The change a proposal asks for.
pub async fn change_of(
    conn: &mut SqliteConnection,
    proposal_id: i64,
) -> Result<Change, sqlx::Error> {
    let payload: String = sqlx::query_scalar("SELECT payload FROM plan_proposals WHERE id = ?")
        .bind(proposal_id)
        .fetch_one(&mut *conn)
        .await?;
    parse_change(&payload)
}

/// The approved, not yet published real changes in the order they were
/// decided, with their proposal ids.
pub async fn approved_changes(
    conn: &mut SqliteConnection,
) -> Result<Vec<(i64, Change)>, sqlx::Error> {
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

/// The current plan with the open Akten under each position, which
/// decide whether a position may move or go.
pub async fn plan_entries(conn: &mut SqliteConnection) -> Result<Vec<PlanEntry>, sqlx::Error> {
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

/// Marks published proposals with their release.
pub async fn mark_published(
    conn: &mut SqliteConnection,
    proposal_ids: &[i64],
    release_id: i64,
) -> Result<(), sqlx::Error> {
    for proposal_id in proposal_ids {
        sqlx::query("UPDATE plan_proposals SET status = 'published', release_id = ? WHERE id = ?")
            .bind(release_id)
            .bind(proposal_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The head of a new release.
pub struct Release<'a> {
    pub published_by: i64,
    pub title: &'a str,
    pub notes: &'a str,
}

/// Writes applied changes as the next release: positions, code history
/// and changelog. Returns (version, release row id).
pub async fn write_release(
    tx: &mut SqliteConnection,
    release: &Release<'_>,
    plan: &[PlanEntry],
    applied: &Applied,
) -> Result<(i64, i64), sqlx::Error> {
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
    .bind(release.published_by)
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

/// A published version with its changelog.
pub struct StoredRelease {
    pub version: i64,
    pub title: String,
    pub notes: String,
    pub published_at: i64,
    pub published_by: Option<String>,
    pub changes: Vec<String>,
}

/// Published versions, newest first, with their changelog.
pub async fn releases(pool: &SqlitePool) -> Result<Vec<StoredRelease>, sqlx::Error> {
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
        .map(
            |(id, version, title, notes, published_at, published_by)| StoredRelease {
                version,
                title,
                notes,
                published_at,
                published_by,
                changes: by_release.remove(&id).unwrap_or_default(),
            },
        )
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
