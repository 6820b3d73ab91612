//! SQL of Laufwege and their steps. Reads are limited to one
//! municipality; transactions and audit entries are the use cases'.

use super::{
    AskedStep, LaufwegStatus, LaufwegView, PlannedStep, ReturnedLaufweg, StepKind, StepState,
    StepView,
};
use sqlx::{SqliteConnection, SqlitePool};

/// What a new Laufweg is made of.
pub struct NewLaufweg<'a> {
    pub municipality_id: i64,
    pub document_id: i64,
    pub version_number: i64,
    pub sha256: &'a str,
    pub title: &'a str,
    pub started_by: i64,
}

/// Writes a Laufweg with its steps; the first stage is asked at once.
pub async fn insert(
    conn: &mut SqliteConnection,
    new: NewLaufweg<'_>,
    steps: &[PlannedStep],
    now: i64,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query(
        "INSERT INTO laufwege (municipality_id, document_id, version_number, sha256, title,
                               started_by, started_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(new.municipality_id)
    .bind(new.document_id)
    .bind(new.version_number)
    .bind(new.sha256)
    .bind(new.title)
    .bind(new.started_by)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    for step in steps {
        let state = if step.stage == 1 {
            StepState::Active
        } else {
            StepState::Waiting
        };
        sqlx::query(
            "INSERT INTO laufweg_schritte (laufweg_id, stage, user_id, kind, state)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(step.stage)
        .bind(step.user_id)
        .bind(step.kind.as_str())
        .bind(state.as_str())
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// The newest version of an own document not in the trash: number and
/// hash.
pub async fn newest_version(
    conn: &mut SqliteConnection,
    document_id: i64,
    municipality_id: i64,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.number, v.sha256 FROM document_versions v JOIN documents d ON d.id = v.document_id
         WHERE d.id = ? AND d.municipality_id = ? AND d.trashed_at IS NULL
         ORDER BY v.number DESC LIMIT 1",
    )
    .bind(document_id)
    .bind(municipality_id)
    .fetch_optional(conn)
    .await
}

/// An active step of an open Laufweg of the municipality asked of
/// `user_id`: its Laufweg, kind and the version's hash.
pub async fn active_step_of(
    conn: &mut SqliteConnection,
    step_id: i64,
    user_id: i64,
    municipality_id: i64,
) -> Result<Option<(i64, StepKind, String, i64)>, sqlx::Error> {
    let found: Option<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT l.id, s.kind, l.sha256, l.document_id FROM laufweg_schritte s
         JOIN laufwege l ON l.id = s.laufweg_id
         WHERE s.id = ? AND s.user_id = ? AND l.municipality_id = ?
           AND s.state = 'active' AND l.status = 'open'",
    )
    .bind(step_id)
    .bind(user_id)
    .bind(municipality_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.and_then(|(laufweg, kind, sha, document)| {
        Some((laufweg, StepKind::parse(&kind)?, sha, document))
    }))
}

/// Records an answer to a step.
pub async fn answer_step(
    conn: &mut SqliteConnection,
    step_id: i64,
    state: StepState,
    remark: &str,
    user_id: i64,
    approved_sha256: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE laufweg_schritte SET state = ?, remark = ?, answered_by = ?, answered_at = ?,
                                     approved_sha256 = ?
         WHERE id = ? AND state = 'active'",
    )
    .bind(state.as_str())
    .bind(remark)
    .bind(user_id)
    .bind(now)
    .bind(approved_sha256)
    .bind(step_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The steps of a Laufweg: id, stage and state, in stage order.
pub async fn step_states(
    conn: &mut SqliteConnection,
    laufweg_id: i64,
) -> Result<Vec<(i64, i64, StepState)>, sqlx::Error> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT id, stage, state FROM laufweg_schritte WHERE laufweg_id = ? ORDER BY stage, id",
    )
    .bind(laufweg_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, stage, state)| {
            (
                id,
                stage,
                StepState::parse(&state).unwrap_or(StepState::Skipped),
            )
        })
        .collect())
}

/// Writes the state [`super::advance`] gave a step.
pub async fn set_step_state(
    conn: &mut SqliteConnection,
    step_id: i64,
    state: StepState,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE laufweg_schritte SET state = ? WHERE id = ?")
        .bind(state.as_str())
        .bind(step_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends an open Laufweg.
pub async fn finish(
    conn: &mut SqliteConnection,
    laufweg_id: i64,
    status: LaufwegStatus,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE laufwege SET status = ?, ended_at = ? WHERE id = ? AND status = 'open'")
        .bind(status.as_str())
        .bind(now)
        .bind(laufweg_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// An open Laufweg the user started in the municipality: its document.
pub async fn open_started_by(
    conn: &mut SqliteConnection,
    laufweg_id: i64,
    user_id: i64,
    municipality_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT document_id FROM laufwege
         WHERE id = ? AND started_by = ? AND municipality_id = ? AND status = 'open'",
    )
    .bind(laufweg_id)
    .bind(user_id)
    .bind(municipality_id)
    .fetch_optional(conn)
    .await
}

/// Marks a returned Laufweg as seen by its starter; false when there is
/// none.
pub async fn mark_return_seen(
    conn: &mut SqliteConnection,
    laufweg_id: i64,
    user_id: i64,
    municipality_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE laufwege SET return_seen = 1
         WHERE id = ? AND started_by = ? AND municipality_id = ? AND status = 'returned'
           AND return_seen = 0",
    )
    .bind(laufweg_id)
    .bind(user_id)
    .bind(municipality_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The Laufwege of a document, newest first, with their steps.
pub async fn of_document(
    pool: &SqlitePool,
    document_id: i64,
    viewer_id: i64,
) -> Result<Vec<LaufwegView>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct L {
        id: i64,
        title: String,
        status: String,
        version_number: i64,
        sha256: String,
        started_by_id: i64,
        started_by: String,
        started_at: i64,
    }
    #[derive(sqlx::FromRow)]
    struct S {
        id: i64,
        laufweg_id: i64,
        stage: i64,
        person: String,
        user_id: i64,
        kind: String,
        state: String,
        remark: String,
        answered_at: Option<i64>,
        approved_sha256: Option<String>,
    }
    let laufwege: Vec<L> = sqlx::query_as(
        "SELECT l.id, l.title, l.status, l.version_number, l.sha256, l.started_by AS started_by_id,
                u.display_name AS started_by, l.started_at
         FROM laufwege l JOIN users u ON u.id = l.started_by
         WHERE l.document_id = ? ORDER BY l.id DESC",
    )
    .bind(document_id)
    .fetch_all(pool)
    .await?;
    let steps: Vec<S> = sqlx::query_as(
        "SELECT s.id, s.laufweg_id, s.stage, u.display_name AS person, s.user_id, s.kind, s.state,
                s.remark, s.answered_at, s.approved_sha256
         FROM laufweg_schritte s JOIN laufwege l ON l.id = s.laufweg_id
         JOIN users u ON u.id = s.user_id
         WHERE l.document_id = ? ORDER BY s.stage, s.id",
    )
    .bind(document_id)
    .fetch_all(pool)
    .await?;
    Ok(laufwege
        .into_iter()
        .map(|l| {
            let status = LaufwegStatus::parse(&l.status).unwrap_or(LaufwegStatus::Cancelled);
            LaufwegView {
                steps: steps
                    .iter()
                    .filter(|s| s.laufweg_id == l.id)
                    .map(|s| {
                        let state = StepState::parse(&s.state).unwrap_or(StepState::Skipped);
                        StepView {
                            id: s.id,
                            stage: s.stage,
                            person: s.person.clone(),
                            kind: StepKind::parse(&s.kind).unwrap_or(StepKind::Kenntnis),
                            state,
                            remark: s.remark.clone(),
                            answered_at: s.answered_at.map(crate::time::display),
                            approved_sha256: s.approved_sha256.clone(),
                            mine: s.user_id == viewer_id
                                && state == StepState::Active
                                && status == LaufwegStatus::Open,
                        }
                    })
                    .collect(),
                may_withdraw: l.started_by_id == viewer_id && status == LaufwegStatus::Open,
                id: l.id,
                title: l.title,
                status,
                version_number: l.version_number,
                sha256: l.sha256,
                started_by: l.started_by,
                started_at: crate::time::display(l.started_at),
            }
        })
        .collect())
}

/// Steps asking a person now, the oldest first (their Postkorb).
pub async fn asked_of(
    pool: &SqlitePool,
    user_id: i64,
    municipality_id: i64,
) -> Result<Vec<AskedStep>, sqlx::Error> {
    let rows: Vec<(i64, i64, String, String, String, i64, String)> = sqlx::query_as(
        "SELECT s.id, l.document_id, d.title, l.title, s.kind, l.version_number, u.display_name
         FROM laufweg_schritte s JOIN laufwege l ON l.id = s.laufweg_id
         JOIN documents d ON d.id = l.document_id JOIN users u ON u.id = l.started_by
         WHERE s.user_id = ? AND l.municipality_id = ? AND s.state = 'active' AND l.status = 'open'
           AND d.trashed_at IS NULL
         ORDER BY l.started_at, s.id LIMIT 2000",
    )
    .bind(user_id)
    .bind(municipality_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                step_id,
                document_id,
                document_title,
                laufweg_title,
                kind,
                version_number,
                started_by,
            )| {
                AskedStep {
                    step_id,
                    document_id,
                    document_title,
                    laufweg_title,
                    kind: StepKind::parse(&kind).unwrap_or(StepKind::Kenntnis),
                    version_number,
                    started_by,
                }
            },
        )
        .collect())
}

/// Laufwege a person started that came back and that they have not yet
/// seen, with who refused and why.
pub async fn returned_to(
    pool: &SqlitePool,
    user_id: i64,
    municipality_id: i64,
) -> Result<Vec<ReturnedLaufweg>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        document_id: i64,
        title: String,
        refused_by: Option<String>,
        reason: Option<String>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT l.id, l.document_id, l.title,
                (SELECT u.display_name FROM laufweg_schritte s JOIN users u ON u.id = s.answered_by
                  WHERE s.laufweg_id = l.id AND s.state = 'refused' ORDER BY s.answered_at LIMIT 1)
                    AS refused_by,
                (SELECT s.remark FROM laufweg_schritte s
                  WHERE s.laufweg_id = l.id AND s.state = 'refused' ORDER BY s.answered_at LIMIT 1)
                    AS reason
         FROM laufwege l JOIN documents d ON d.id = l.document_id
         WHERE l.started_by = ? AND l.municipality_id = ? AND l.status = 'returned'
           AND l.return_seen = 0 AND d.trashed_at IS NULL
         ORDER BY l.ended_at, l.id LIMIT 500",
    )
    .bind(user_id)
    .bind(municipality_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ReturnedLaufweg {
            id: r.id,
            document_id: r.document_id,
            title: r.title,
            refused_by: r.refused_by.unwrap_or_default(),
            reason: r.reason.unwrap_or_default(),
        })
        .collect())
}

/// How many steps ask a person now plus their unseen returns (the
/// navigation's count).
pub async fn waiting_count(
    pool: &SqlitePool,
    user_id: i64,
    municipality_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM laufweg_schritte s JOIN laufwege l ON l.id = s.laufweg_id
                  JOIN documents d ON d.id = l.document_id
                  WHERE s.user_id = ?1 AND l.municipality_id = ?2 AND s.state = 'active'
                    AND l.status = 'open' AND d.trashed_at IS NULL)
              + (SELECT COUNT(*) FROM laufwege l JOIN documents d ON d.id = l.document_id
                  WHERE l.started_by = ?1 AND l.municipality_id = ?2 AND l.status = 'returned'
                    AND l.return_seen = 0 AND d.trashed_at IS NULL)",
    )
    .bind(user_id)
    .bind(municipality_id)
    .fetch_one(pool)
    .await
}
