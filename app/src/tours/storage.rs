//! SQL for tours, runs (the training record) and the answers to the offer.

use super::{
    PersonRecord, RecordGroup, RecordOverview, RunStatus, RunView, Step, Tour, TourCounts, WaitFor,
};
use crate::auth::Role;
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::BTreeMap;

#[derive(sqlx::FromRow)]
struct TourRow {
    id: i64,
    title: String,
    description: String,
    auto_offer: bool,
    position: i64,
}

#[derive(sqlx::FromRow)]
struct StepRow {
    tour_id: i64,
    page: String,
    anchor: String,
    title: String,
    text: String,
    wait_for: String,
}

/// Live tours (not deleted), for one role or all, in list order, with
/// their roles and steps.
pub async fn list(pool: &SqlitePool, role: Option<Role>) -> Result<Vec<Tour>, sqlx::Error> {
    let rows: Vec<TourRow> = sqlx::query_as(
        "SELECT t.id, t.title, t.description, t.auto_offer, t.position FROM tours t
         WHERE t.deleted = 0
           AND (?1 IS NULL OR EXISTS (SELECT 1 FROM tour_roles r WHERE r.tour_id = t.id AND r.role = ?1))
         ORDER BY t.position, t.id",
    )
    .bind(role.map(Role::as_str))
    .fetch_all(pool)
    .await?;
    let roles: Vec<(i64, String)> = sqlx::query_as("SELECT tour_id, role FROM tour_roles")
        .fetch_all(pool)
        .await?;
    let steps: Vec<StepRow> = sqlx::query_as(
        "SELECT tour_id, page, anchor, title, text, wait_for FROM tour_steps ORDER BY tour_id, position",
    )
    .fetch_all(pool)
    .await?;
    let mut tours: Vec<Tour> = rows
        .into_iter()
        .map(|row| Tour {
            id: row.id,
            title: row.title,
            description: row.description,
            roles: Vec::new(),
            auto_offer: row.auto_offer,
            position: row.position,
            steps: Vec::new(),
        })
        .collect();
    for tour in &mut tours {
        tour.roles = Role::ALL
            .into_iter()
            .filter(|role| {
                roles
                    .iter()
                    .any(|(id, r)| *id == tour.id && r == role.as_str())
            })
            .collect();
        tour.steps = steps
            .iter()
            .filter(|s| s.tour_id == tour.id)
            .map(|s| Step {
                page: s.page.clone(),
                anchor: s.anchor.clone(),
                title: s.title.clone(),
                text: s.text.clone(),
                wait_for: WaitFor::parse(&s.wait_for).unwrap_or(WaitFor::Nothing),
            })
            .collect();
    }
    Ok(tours)
}

pub async fn get(pool: &SqlitePool, id: i64) -> Result<Option<Tour>, sqlx::Error> {
    Ok(list(pool, None).await?.into_iter().find(|t| t.id == id))
}

async fn write_parts(conn: &mut SqliteConnection, id: i64, tour: &Tour) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM tour_roles WHERE tour_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM tour_steps WHERE tour_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for role in &tour.roles {
        sqlx::query("INSERT INTO tour_roles (tour_id, role) VALUES (?, ?)")
            .bind(id)
            .bind(role.as_str())
            .execute(&mut *conn)
            .await?;
    }
    for (position, step) in tour.steps.iter().enumerate() {
        sqlx::query(
            "INSERT INTO tour_steps (tour_id, position, page, anchor, title, text, wait_for)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(&step.page)
        .bind(&step.anchor)
        .bind(&step.title)
        .bind(&step.text)
        .bind(step.wait_for.as_str())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Stores a new validated tour; returns its id.
pub async fn create(
    conn: &mut SqliteConnection,
    tour: &Tour,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query(
        "INSERT INTO tours (title, description, auto_offer, position, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&tour.title)
    .bind(&tour.description)
    .bind(tour.auto_offer)
    .bind(tour.position)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    write_parts(conn, id, tour).await?;
    Ok(id)
}

/// Replaces the live tour `tour.id`; `false` if there is none.
pub async fn update(
    conn: &mut SqliteConnection,
    tour: &Tour,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE tours SET title = ?, description = ?, auto_offer = ?, position = ?, updated_at = ?
         WHERE id = ? AND deleted = 0",
    )
    .bind(&tour.title)
    .bind(&tour.description)
    .bind(tour.auto_offer)
    .bind(tour.position)
    .bind(now)
    .bind(tour.id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(false);
    }
    write_parts(conn, tour.id, tour).await?;
    Ok(true)
}

/// Takes a live tour out of every list and stops the runs in the middle
/// of it; the training record keeps them. Returns its title, `None` if
/// there is no such live tour.
pub async fn delete(
    conn: &mut SqliteConnection,
    id: i64,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let title: Option<String> = sqlx::query_scalar(
        "UPDATE tours SET deleted = 1, updated_at = ? WHERE id = ? AND deleted = 0 RETURNING title",
    )
    .bind(now)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    if title.is_none() {
        return Ok(None);
    }
    sqlx::query(
        "UPDATE tour_runs SET status = 'skipped', ended_at = ?1, updated_at = ?1
         WHERE tour_id = ?2 AND status = 'running'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(title)
}

/// The person's running tour: run id, tour id and step.
pub async fn running(
    pool: &SqlitePool,
    user_id: i64,
) -> Result<Option<(i64, i64, usize)>, sqlx::Error> {
    let row: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT r.id, r.tour_id, r.step FROM tour_runs r JOIN tours t ON t.id = r.tour_id
         WHERE r.user_id = ? AND r.status = 'running' AND t.deleted = 0",
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(run, tour, step)| (run, tour, step.max(0) as usize)))
}

/// Starts a tour at its first step; a tour still running is recorded as
/// skipped where it stood.
pub async fn start(
    conn: &mut SqliteConnection,
    user_id: i64,
    tour: &Tour,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "UPDATE tour_runs SET status = 'skipped', ended_at = ?1, updated_at = ?1
         WHERE user_id = ?2 AND status = 'running'",
    )
    .bind(now)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    let id = sqlx::query(
        "INSERT INTO tour_runs (user_id, tour_id, status, step, steps, started_at, updated_at)
         VALUES (?1, ?2, 'running', 0, ?3, ?4, ?4)",
    )
    .bind(user_id)
    .bind(tour.id)
    .bind(tour.steps.len() as i64)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    Ok(id)
}

/// The person's running run `run_id`: its step and how many steps its
/// tour has now.
pub async fn run_position(
    conn: &mut SqliteConnection,
    user_id: i64,
    run_id: i64,
) -> Result<Option<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.step, (SELECT COUNT(*) FROM tour_steps s WHERE s.tour_id = r.tour_id)
         FROM tour_runs r WHERE r.id = ? AND r.user_id = ? AND r.status = 'running'",
    )
    .bind(run_id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await
}

/// Puts a run on `step` (of `steps`).
pub async fn set_step(
    conn: &mut SqliteConnection,
    run_id: i64,
    step: usize,
    steps: usize,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tour_runs SET step = ?, steps = ?, updated_at = ? WHERE id = ?")
        .bind(step as i64)
        .bind(steps as i64)
        .bind(now)
        .bind(run_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records a run as finished on its last step.
pub async fn finish(
    conn: &mut SqliteConnection,
    run_id: i64,
    step: usize,
    steps: usize,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE tour_runs SET status = 'finished', step = ?1, steps = ?2, updated_at = ?3, ended_at = ?3
         WHERE id = ?4",
    )
    .bind(step as i64)
    .bind(steps as i64)
    .bind(now)
    .bind(run_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// "Beenden": the run is recorded as skipped at the step it stood on;
/// `false` if the person has no such running run.
pub async fn skip(
    conn: &mut SqliteConnection,
    user_id: i64,
    run_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE tour_runs SET status = 'skipped', updated_at = ?1, ended_at = ?1
         WHERE id = ?2 AND user_id = ?3 AND status = 'running'",
    )
    .bind(now)
    .bind(run_id)
    .bind(user_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(changed > 0)
}

/// The answer to the offer and when the person last signed in.
pub async fn offer_context(
    pool: &SqlitePool,
    user_id: i64,
) -> Result<(Option<(String, i64)>, Option<i64>), sqlx::Error> {
    let answer: Option<(String, i64)> =
        sqlx::query_as("SELECT answer, answered_at FROM tour_offer_answers WHERE user_id = ?")
            .bind(user_id)
            .fetch_optional(pool)
            .await?;
    let last_login: Option<i64> =
        sqlx::query_scalar("SELECT last_login_at FROM users WHERE id = ?")
            .bind(user_id)
            .fetch_optional(pool)
            .await?
            .flatten();
    Ok((answer, last_login))
}

pub async fn answer_offer(
    conn: &mut SqliteConnection,
    user_id: i64,
    never: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO tour_offer_answers (user_id, answer, answered_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id) DO UPDATE SET answer = ?2, answered_at = ?3",
    )
    .bind(user_id)
    .bind(if never { "never" } else { "later" })
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Tours the person has ever started.
pub async fn started_tours(pool: &SqlitePool, user_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT DISTINCT tour_id FROM tour_runs WHERE user_id = ?")
        .bind(user_id)
        .fetch_all(pool)
        .await
}

#[derive(sqlx::FromRow)]
struct RunRow {
    user_id: i64,
    tour_id: i64,
    tour_title: String,
    status: String,
    step: i64,
    steps: i64,
    started_at: i64,
    ended_at: Option<i64>,
}

impl RunRow {
    fn view(&self) -> RunView {
        RunView {
            tour_id: self.tour_id,
            tour_title: self.tour_title.clone(),
            status: RunStatus::parse(&self.status).unwrap_or(RunStatus::Skipped),
            step: self.step.max(0) as usize + 1,
            steps: self.steps.max(0) as usize,
            started_at: crate::time::display_exact(self.started_at),
            ended_at: self.ended_at.map(crate::time::display_exact),
        }
    }
}

const RUN_COLUMNS: &str = "r.user_id, r.tour_id, t.title AS tour_title, r.status, r.step, r.steps, r.started_at, r.ended_at";

/// Every run of one person, newest first.
pub async fn runs_of(pool: &SqlitePool, user_id: i64) -> Result<Vec<RunView>, sqlx::Error> {
    let rows: Vec<RunRow> = sqlx::query_as(&format!(
        "SELECT {RUN_COLUMNS} FROM tour_runs r JOIN tours t ON t.id = r.tour_id
         WHERE r.user_id = ? ORDER BY r.started_at DESC, r.id DESC"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.iter().map(RunRow::view).collect())
}

/// The project team's overview: per municipality and role how many people
/// started, finished or skipped each tour (by their latest run), and every
/// person with their latest run per tour. `municipality` narrows it.
pub async fn overview(
    pool: &SqlitePool,
    municipality: Option<i64>,
) -> Result<RecordOverview, sqlx::Error> {
    let people: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.username, m.name, u.role FROM users u
         JOIN municipalities m ON m.id = u.municipality_id
         WHERE u.active = 1 AND (?1 IS NULL OR u.municipality_id = ?1)
         ORDER BY m.id, u.role, u.display_name",
    )
    .bind(municipality)
    .fetch_all(pool)
    .await?;
    // The latest run per person and tour.
    let latest: Vec<RunRow> = sqlx::query_as(&format!(
        "SELECT {RUN_COLUMNS} FROM tour_runs r JOIN tours t ON t.id = r.tour_id
         WHERE r.id = (SELECT r2.id FROM tour_runs r2 WHERE r2.user_id = r.user_id AND r2.tour_id = r.tour_id
                       ORDER BY r2.started_at DESC, r2.id DESC LIMIT 1)
         ORDER BY t.position, t.id"
    ))
    .fetch_all(pool)
    .await?;
    let tours = list(pool, None).await?;
    let mut attended = crate::training_sessions::storage::attended_by_everyone(pool).await?;
    let mut groups: BTreeMap<(String, usize), RecordGroup> = BTreeMap::new();
    let mut persons = Vec::new();
    for (user_id, display_name, username, municipality, role) in people {
        let Some(role) = Role::parse(&role) else {
            continue;
        };
        let rank = Role::ALL.iter().position(|r| *r == role).unwrap_or(0);
        let runs: Vec<RunView> = latest
            .iter()
            .filter(|r| r.user_id == user_id)
            .map(RunRow::view)
            .collect();
        let group = groups
            .entry((municipality.clone(), rank))
            .or_insert_with(|| RecordGroup {
                municipality: municipality.clone(),
                role,
                people: 0,
                trained: 0,
                tours: tours
                    .iter()
                    .filter(|t| t.roles.contains(&role))
                    .map(|t| TourCounts {
                        tour_id: t.id,
                        tour_title: t.title.clone(),
                        started: 0,
                        finished: 0,
                        skipped: 0,
                    })
                    .collect(),
            });
        group.people += 1;
        let sessions = attended.remove(&user_id).unwrap_or_default();
        group.trained += i64::from(!sessions.is_empty());
        for run in &runs {
            if let Some(counts) = group.tours.iter_mut().find(|c| c.tour_id == run.tour_id) {
                counts.started += 1;
                match run.status {
                    RunStatus::Finished => counts.finished += 1,
                    RunStatus::Skipped => counts.skipped += 1,
                    RunStatus::Running => {}
                }
            }
        }
        persons.push(PersonRecord {
            display_name,
            username,
            municipality,
            role,
            runs,
            sessions,
        });
    }
    Ok(RecordOverview {
        groups: groups.into_values().collect(),
        people: persons,
        municipalities: crate::municipalities::storage::list(pool).await?,
        selected: municipality,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_shipped_tour_is_valid_and_uses_registered_anchors_on_their_pages() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/test.db", dir.path().display());
        let pool = crate::db::connect(&url).await.expect("connect");
        crate::db::migrate(&pool).await.expect("migrate");
        let tours = list(&pool, None).await.expect("tours");
        let titles: Vec<&str> = tours.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Erste Schritte",
                "Dokument hochladen und ablegen",
                "Im Aktenplan das Richtige finden",
                "Suchen und finden",
                "Eine Änderung am Aktenplan vorschlagen",
                "Wiedervorlage setzen",
                "Ein Schreiben mitzeichnen lassen"
            ]
        );
        for tour in &tours {
            let tidy =
                super::super::validate(tour).unwrap_or_else(|e| panic!("{}: {e}", tour.title));
            assert_eq!(&tidy, tour, "{} is stored untidy", tour.title);
            for step in &tour.steps {
                let anchor = super::super::anchor(&step.anchor).expect("registered");
                assert!(
                    super::super::anchors_for_page(&step.page).any(|a| a.id == anchor.id),
                    "{}: {} not on {}",
                    tour.title,
                    step.anchor,
                    step.page
                );
            }
        }
        // The upload tour waits for an upload and for filing.
        let upload = &tours[1];
        assert!(upload.steps.iter().any(|s| s.wait_for == WaitFor::Upload));
        assert!(upload.steps.iter().any(|s| s.wait_for == WaitFor::Filed));
        // The casework tours wait for what they teach.
        assert!(tours[5]
            .steps
            .iter()
            .any(|s| s.wait_for == WaitFor::FollowUpSet));
        assert!(tours[6]
            .steps
            .iter()
            .any(|s| s.wait_for == WaitFor::LaufwegStarted));
        // Trainees practise as clerks, so they get every shipped tour; an
        // administrator gets only those about what administrators see.
        let trainee = list(&pool, Some(Role::Schulung)).await.expect("tours");
        assert_eq!(trainee.len(), 7);
        let admin = list(&pool, Some(Role::Administration))
            .await
            .expect("tours");
        assert_eq!(admin.len(), 2);
    }
}
