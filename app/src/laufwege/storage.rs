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
            "INSERT INTO laufweg_schritte (laufweg_id, stage, user_id, funktion_id, kind, state)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(step.stage)
        .bind(step.asked.person())
        .bind(step.asked.funktion())
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

/// An active step of an open Laufweg of the municipality.
pub struct ActiveStep {
    pub laufweg_id: i64,
    pub kind: StepKind,
    /// The hash of the version asked about.
    pub sha256: String,
    pub document_id: i64,
    /// The person or Funktion asked.
    pub asked: super::Asked,
}

pub async fn active_step(
    conn: &mut SqliteConnection,
    step_id: i64,
    municipality_id: i64,
) -> Result<Option<ActiveStep>, sqlx::Error> {
    type Row = (i64, String, String, i64, Option<i64>, Option<i64>);
    let found: Option<Row> = sqlx::query_as(
        "SELECT l.id, s.kind, l.sha256, l.document_id, s.user_id, s.funktion_id
         FROM laufweg_schritte s
         JOIN laufwege l ON l.id = s.laufweg_id
         WHERE s.id = ? AND l.municipality_id = ? AND s.state = 'active' AND l.status = 'open'",
    )
    .bind(step_id)
    .bind(municipality_id)
    .fetch_optional(conn)
    .await?;
    Ok(
        found.and_then(|(laufweg_id, kind, sha256, document_id, user, funktion)| {
            Some(ActiveStep {
                laufweg_id,
                kind: StepKind::parse(&kind)?,
                sha256,
                document_id,
                asked: match (user, funktion) {
                    (Some(user), _) => super::Asked::Person(user),
                    (None, Some(funktion)) => super::Asked::Funktion(funktion),
                    (None, None) => return None,
                },
            })
        }),
    )
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

/// The starter of a returned Laufweg of the municipality not yet seen.
pub async fn unseen_return_starter(
    conn: &mut SqliteConnection,
    laufweg_id: i64,
    municipality_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT started_by FROM laufwege
         WHERE id = ? AND municipality_id = ? AND status = 'returned' AND return_seen = 0",
    )
    .bind(laufweg_id)
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

/// Whom a viewer answers for: themselves and the Funktionen they hold,
/// and during absences the colleagues they stand in for and theirs.
#[derive(Clone, Debug, Default)]
pub struct AnswersFor {
    pub viewer: i64,
    pub viewer_funktionen: Vec<i64>,
    pub absent: Vec<i64>,
    pub absent_funktionen: Vec<i64>,
}

/// The Laufwege of a document, newest first, with their steps; the active
/// ones `answers` covers are the viewer's to answer.
pub async fn of_document(
    pool: &SqlitePool,
    document_id: i64,
    answers: &AnswersFor,
) -> Result<Vec<LaufwegView>, sqlx::Error> {
    let viewer_id = answers.viewer;
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
        user_id: Option<i64>,
        funktion_id: Option<i64>,
        kind: String,
        state: String,
        remark: String,
        answered_at: Option<i64>,
        approved_sha256: Option<String>,
        answered_by_id: Option<i64>,
        answered_by: Option<String>,
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
        "SELECT s.id, s.laufweg_id, s.stage,
                COALESCE(u.display_name, 'Funktion ' || f.name) AS person, s.user_id, s.funktion_id,
                s.kind, s.state, s.remark, s.answered_at, s.approved_sha256,
                s.answered_by AS answered_by_id, ab.display_name AS answered_by
         FROM laufweg_schritte s JOIN laufwege l ON l.id = s.laufweg_id
         LEFT JOIN users u ON u.id = s.user_id LEFT JOIN funktionen f ON f.id = s.funktion_id
         LEFT JOIN users ab ON ab.id = s.answered_by
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
                        let own = s.user_id == Some(viewer_id)
                            || s.funktion_id
                                .is_some_and(|f| answers.viewer_funktionen.contains(&f));
                        let deputised = s.user_id.is_some_and(|u| answers.absent.contains(&u))
                            || s.funktion_id
                                .is_some_and(|f| answers.absent_funktionen.contains(&f));
                        StepView {
                            id: s.id,
                            stage: s.stage,
                            person: s.person.clone(),
                            kind: StepKind::parse(&s.kind).unwrap_or(StepKind::Kenntnis),
                            state,
                            remark: s.remark.clone(),
                            answered_at: s.answered_at.map(crate::time::display),
                            approved_sha256: s.approved_sha256.clone(),
                            mine: (own || deputised)
                                && state == StepState::Active
                                && status == LaufwegStatus::Open,
                            as_deputy: !own,
                            // For a Funktion: who answered for it; for a
                            // person: who answered in their stead.
                            answered_by: match s.funktion_id {
                                Some(_) => s.answered_by.clone(),
                                None => s
                                    .answered_by
                                    .clone()
                                    .filter(|_| s.answered_by_id != s.user_id)
                                    .map(|name| format!("{name} i. V.")),
                            },
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

/// Steps asking a person now (themselves or a Funktion they hold), the
/// oldest first, at most `limit` (their Postkorb).
pub async fn asked_of(
    pool: &SqlitePool,
    user_id: i64,
    municipality_id: i64,
    limit: i64,
) -> Result<Vec<AskedStep>, sqlx::Error> {
    type Row = (
        i64,
        i64,
        String,
        String,
        String,
        i64,
        String,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id, l.document_id, d.title, l.title, s.kind, l.version_number, u.display_name,
                f.name
         FROM laufweg_schritte s JOIN laufwege l ON l.id = s.laufweg_id
         JOIN documents d ON d.id = l.document_id JOIN users u ON u.id = l.started_by
         LEFT JOIN funktionen f ON f.id = s.funktion_id
         WHERE (s.user_id = ?1 OR s.funktion_id IN
                  (SELECT funktion_id FROM funktion_mitglieder WHERE user_id = ?1))
           AND l.municipality_id = ?2 AND s.state = 'active' AND l.status = 'open'
           AND l.document_alive = 1
         ORDER BY l.started_at, s.id LIMIT ?3",
    )
    .bind(user_id)
    .bind(municipality_id)
    .bind(limit)
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
                funktion,
            )| {
                AskedStep {
                    funktion,
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
         FROM laufwege l
         WHERE l.started_by = ? AND l.municipality_id = ? AND l.status = 'returned'
           AND l.return_seen = 0 AND l.document_alive = 1
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

/// How many steps ask a person now (themselves or a Funktion they hold).
pub async fn asked_count(
    pool: &SqlitePool,
    user_id: i64,
    municipality_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM laufweg_schritte s JOIN laufwege l ON l.id = s.laufweg_id
         WHERE (s.user_id = ?1 OR s.funktion_id IN
                  (SELECT funktion_id FROM funktion_mitglieder WHERE user_id = ?1))
           AND l.municipality_id = ?2 AND s.state = 'active' AND l.status = 'open'
           AND l.document_alive = 1",
    )
    .bind(user_id)
    .bind(municipality_id)
    .fetch_one(pool)
    .await
}

/// For each of `persons`: the steps asking them now (themselves or a
/// Funktion they hold) plus their unseen returns (the navigation's count).
/// One query for all; persons with nothing are missing from the map.
pub async fn waiting_counts(
    pool: &SqlitePool,
    persons: &[i64],
    municipality_id: i64,
) -> Result<std::collections::HashMap<i64, i64>, sqlx::Error> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT person, SUM(n) FROM (
             SELECT s.user_id AS person, COUNT(*) AS n
             FROM laufweg_schritte s JOIN laufwege l ON l.id = s.laufweg_id
             WHERE s.user_id IN (SELECT value FROM json_each(?1)) AND s.state = 'active'
               AND l.municipality_id = ?2 AND l.status = 'open' AND l.document_alive = 1
             GROUP BY s.user_id
             UNION ALL
             SELECT m.user_id, COUNT(*)
             FROM funktion_mitglieder m JOIN laufweg_schritte s ON s.funktion_id = m.funktion_id
             JOIN laufwege l ON l.id = s.laufweg_id
             WHERE m.user_id IN (SELECT value FROM json_each(?1)) AND s.state = 'active'
               AND l.municipality_id = ?2 AND l.status = 'open' AND l.document_alive = 1
             GROUP BY m.user_id
             UNION ALL
             SELECT l.started_by, COUNT(*) FROM laufwege l
             WHERE l.started_by IN (SELECT value FROM json_each(?1)) AND l.municipality_id = ?2
               AND l.status = 'returned' AND l.return_seen = 0 AND l.document_alive = 1
             GROUP BY l.started_by)
         GROUP BY person HAVING SUM(n) > 0",
    )
    .bind(serde_json::json!(persons).to_string())
    .bind(municipality_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().collect())
}
