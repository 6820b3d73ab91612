//! SQL for training sessions. The writes expect to run inside the use
//! case's write transaction (`BEGIN IMMEDIATE`, see [`super::service`]), so
//! the count of confirmed places and the insert that depends on it can
//! never interleave with another registration: capacity is never exceeded.

use super::{
    audience_label, targets, to_promote, Admission, Attendance, AttendanceSummaryRow,
    AttendedSession, MyStatus, Participant, SessionCard, SessionState, ValidSession,
};
use crate::auth::{Role, SessionUser};
use crate::time::{display_exact, display_span};
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;

/// How far back the list shows past and cancelled sessions.
const PAST_DAYS: i64 = 120;

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct SessionRow {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub trainer: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub video_url: String,
    pub capacity: i64,
    pub revision: i64,
    pub cancelled_at: Option<i64>,
    pub cancel_reason: Option<String>,
    pub confirmed: i64,
    pub waiting: i64,
}

impl SessionRow {
    pub fn state(&self, now: i64) -> SessionState {
        SessionState::of(
            self.starts_at,
            self.ends_at,
            self.cancelled_at.is_some(),
            now,
        )
    }
}

const SELECT_SESSIONS: &str = "SELECT s.id, s.title, s.description, s.trainer, s.starts_at, s.ends_at,
        s.place, s.video_url, s.capacity, s.revision, s.cancelled_at, s.cancel_reason,
        (SELECT COUNT(*) FROM training_registrations r WHERE r.session_id = s.id AND r.status = 'confirmed') AS confirmed,
        (SELECT COUNT(*) FROM training_registrations r WHERE r.session_id = s.id AND r.status = 'waiting') AS waiting
     FROM training_sessions s";

/// Whom a session is meant for.
#[derive(Clone, Debug, Default)]
pub struct Audience {
    pub municipality_ids: Vec<i64>,
    pub municipality_names: Vec<String>,
    pub roles: Vec<Role>,
}

impl Audience {
    pub fn includes(&self, user: &SessionUser) -> bool {
        targets(
            &self.municipality_ids,
            &self.roles,
            user.home_municipality().id,
            user.practice
                .as_ref()
                .map_or(user.all_municipalities, |area| area.home_all_municipalities),
            user.role,
        )
    }

    /// For the project team's filter: the session is (also) for this municipality.
    pub fn reaches(&self, municipality_id: i64) -> bool {
        self.municipality_ids.is_empty() || self.municipality_ids.contains(&municipality_id)
    }

    pub fn label(&self) -> String {
        audience_label(&self.municipality_names, &self.roles)
    }
}

async fn audiences(
    conn: &mut SqliteConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Audience>, sqlx::Error> {
    let mut out: HashMap<i64, Audience> = ids.iter().map(|id| (*id, Audience::default())).collect();
    let places: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT t.session_id, m.id, m.name FROM training_session_municipalities t
         JOIN municipalities m ON m.id = t.municipality_id ORDER BY m.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (session, id, name) in places {
        if let Some(audience) = out.get_mut(&session) {
            audience.municipality_ids.push(id);
            audience.municipality_names.push(name);
        }
    }
    let roles: Vec<(i64, String)> =
        sqlx::query_as("SELECT session_id, role FROM training_session_roles")
            .fetch_all(&mut *conn)
            .await?;
    for (session, role) in roles {
        if let (Some(audience), Some(role)) = (out.get_mut(&session), Role::parse(&role)) {
            audience.roles.push(role);
        }
    }
    for audience in out.values_mut() {
        audience
            .roles
            .sort_by_key(|r| Role::ALL.iter().position(|x| x == r));
    }
    Ok(out)
}

/// The person's registrations: session id → status with waiting position.
async fn my_statuses(
    conn: &mut SqliteConnection,
    user_id: i64,
) -> Result<HashMap<i64, MyStatus>, sqlx::Error> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT r.session_id, r.status,
                (SELECT COUNT(*) FROM training_registrations w
                  WHERE w.session_id = r.session_id AND w.status = 'waiting' AND w.id <= r.id)
         FROM training_registrations r WHERE r.user_id = ?",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(session, status, position)| {
            (
                session,
                if status == "confirmed" {
                    MyStatus::Confirmed
                } else {
                    MyStatus::Waiting(position)
                },
            )
        })
        .collect())
}

fn card(row: &SessionRow, audience: &Audience, mine: Option<MyStatus>, now: i64) -> SessionCard {
    SessionCard {
        id: row.id,
        title: row.title.clone(),
        when: display_span(row.starts_at, row.ends_at),
        place: row.place.clone(),
        video_url: row.video_url.clone(),
        trainer: row.trainer.clone(),
        audience: audience.label(),
        capacity: row.capacity,
        confirmed: row.confirmed,
        waiting: row.waiting,
        state: row.state(now),
        mine,
    }
}

/// The list page: sessions the person may see (the project team: all,
/// optionally those reaching one municipality).
pub async fn list(
    pool: &SqlitePool,
    user: &SessionUser,
    manager: bool,
    filter_municipality: Option<i64>,
    now: i64,
) -> Result<(Vec<SessionCard>, Vec<SessionCard>, Vec<SessionCard>), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let rows = sqlx::query_as::<_, SessionRow>(&format!(
        "{SELECT_SESSIONS} WHERE s.ends_at > ?1 - ?2 * 86400 OR s.id IN
            (SELECT session_id FROM training_registrations WHERE user_id = ?3)
         ORDER BY s.starts_at, s.id"
    ))
    .bind(now)
    .bind(PAST_DAYS)
    .bind(user.id)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let audiences = audiences(&mut conn, &ids).await?;
    let mine = my_statuses(&mut conn, user.id).await?;
    let (mut upcoming, mut past, mut registered) = (Vec::new(), Vec::new(), Vec::new());
    for row in &rows {
        let audience = audiences.get(&row.id).cloned().unwrap_or_default();
        let status = mine.get(&row.id).copied();
        let visible = if manager {
            filter_municipality.is_none_or(|m| audience.reaches(m))
        } else {
            audience.includes(user) || status.is_some()
        };
        let card = card(row, &audience, status, now);
        if status.is_some() && !matches!(card.state, SessionState::Past) {
            registered.push(card.clone());
        }
        if !visible {
            continue;
        }
        match card.state {
            SessionState::Upcoming | SessionState::Running => upcoming.push(card),
            SessionState::Past | SessionState::Cancelled
                if row.ends_at > now - PAST_DAYS * 86400 =>
            {
                past.push(card)
            }
            _ => {}
        }
    }
    past.reverse();
    Ok((upcoming, past, registered))
}

/// One session with its audience, if it exists.
pub async fn get(
    pool: &SqlitePool,
    id: i64,
) -> Result<Option<(SessionRow, Audience)>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    get_on(&mut conn, id).await
}

/// One session with its audience, on the caller's connection.
pub async fn get_on(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<Option<(SessionRow, Audience)>, sqlx::Error> {
    let Some(row) = sqlx::query_as::<_, SessionRow>(&format!("{SELECT_SESSIONS} WHERE s.id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let audience = audiences(conn, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    Ok(Some((row, audience)))
}

/// The session as this person sees it: `None` when it does not exist or is
/// not meant for them (and they are not registered), so ids cannot be probed.
pub async fn get_visible(
    pool: &SqlitePool,
    user: &SessionUser,
    manager: bool,
    id: i64,
    now: i64,
) -> Result<Option<(SessionRow, Audience, SessionCard)>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let Some((row, audience)) = get_on(&mut conn, id).await? else {
        return Ok(None);
    };
    let mine = my_statuses(&mut conn, user.id).await?.get(&id).copied();
    if !manager && !audience.includes(user) && mine.is_none() {
        return Ok(None);
    }
    let card = card(&row, &audience, mine, now);
    Ok(Some((row, audience, card)))
}

#[derive(sqlx::FromRow)]
struct ParticipantRow {
    user_id: i64,
    display_name: String,
    username: String,
    municipality: String,
    role: String,
    status: String,
    registered_at: i64,
    attendance: Option<String>,
}

/// Confirmed participants (by name), then the waiting list in its order.
pub async fn participants(pool: &SqlitePool, id: i64) -> Result<Vec<Participant>, sqlx::Error> {
    let rows = sqlx::query_as::<_, ParticipantRow>(
        "SELECT r.user_id, u.display_name, u.username, m.name AS municipality, u.role, r.status,
                r.registered_at, r.attendance
         FROM training_registrations r
         JOIN users u ON u.id = r.user_id
         JOIN municipalities m ON m.id = u.municipality_id
         WHERE r.session_id = ?
         ORDER BY r.status = 'waiting', CASE WHEN r.status = 'waiting' THEN r.id END,
                  u.display_name COLLATE NOCASE, r.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let mut position = 0;
    Ok(rows
        .into_iter()
        .map(|row| {
            let status = if row.status == "confirmed" {
                MyStatus::Confirmed
            } else {
                position += 1;
                MyStatus::Waiting(position)
            };
            Participant {
                user_id: row.user_id,
                name: row.display_name,
                username: row.username,
                municipality: row.municipality,
                role: Role::parse(&row.role).unwrap_or(Role::Sachbearbeitung),
                status,
                registered_at: display_exact(row.registered_at),
                attendance: row.attendance.as_deref().and_then(Attendance::parse),
            }
        })
        .collect())
}

/// Why storage refused to write a session.
#[derive(Debug)]
pub enum WriteError {
    /// The audience names a municipality that does not exist.
    UnknownMunicipality,
    Database(sqlx::Error),
}

impl From<sqlx::Error> for WriteError {
    fn from(error: sqlx::Error) -> Self {
        WriteError::Database(error)
    }
}

async fn set_audience(
    conn: &mut SqliteConnection,
    id: i64,
    session: &ValidSession,
) -> Result<(), WriteError> {
    sqlx::query("DELETE FROM training_session_municipalities WHERE session_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM training_session_roles WHERE session_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for municipality in &session.municipality_ids {
        let done = sqlx::query(
            "INSERT INTO training_session_municipalities (session_id, municipality_id) VALUES (?, ?)",
        )
        .bind(id)
        .bind(municipality)
        .execute(&mut *conn)
        .await;
        match done {
            Err(sqlx::Error::Database(error)) if error.is_foreign_key_violation() => {
                return Err(WriteError::UnknownMunicipality);
            }
            other => {
                other?;
            }
        }
    }
    for role in &session.roles {
        sqlx::query("INSERT INTO training_session_roles (session_id, role) VALUES (?, ?)")
            .bind(id)
            .bind(role.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

type SqliteQuery<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

/// Binds the session's fields in the order of the column lists below.
fn bind_fields<'q>(query: SqliteQuery<'q>, session: &'q ValidSession) -> SqliteQuery<'q> {
    query
        .bind(&session.title)
        .bind(&session.description)
        .bind(&session.trainer)
        .bind(session.starts_at)
        .bind(session.ends_at)
        .bind(&session.place)
        .bind(&session.video_url)
        .bind(session.capacity)
}

/// Stores a new session with its audience; returns its id.
pub async fn create(
    conn: &mut SqliteConnection,
    created_by: i64,
    session: &ValidSession,
    now: i64,
) -> Result<i64, WriteError> {
    let id = bind_fields(
        sqlx::query(
            "INSERT INTO training_sessions (title, description, trainer, starts_at, ends_at, place,
                                        video_url, capacity, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ),
        session,
    )
    .bind(created_by)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await?
    .last_insert_rowid();
    set_audience(conn, id, session).await?;
    Ok(id)
}

/// Overwrites a session's fields and audience and counts a new revision
/// (calendar programs then replace their copy).
pub async fn update(
    conn: &mut SqliteConnection,
    id: i64,
    session: &ValidSession,
    now: i64,
) -> Result<(), WriteError> {
    bind_fields(
        sqlx::query(
            "UPDATE training_sessions SET title = ?, description = ?, trainer = ?, starts_at = ?,
                ends_at = ?, place = ?, video_url = ?, capacity = ?, revision = revision + 1,
                updated_at = ?
          WHERE id = ?",
        ),
        session,
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    set_audience(conn, id, session).await
}

/// Moves people up from the waiting list (in order of registration) while
/// places are free; returns how many moved up.
pub async fn promote(
    conn: &mut SqliteConnection,
    session_id: i64,
    capacity: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let (confirmed, waiting): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(status = 'confirmed'), 0), COALESCE(SUM(status = 'waiting'), 0)
         FROM training_registrations WHERE session_id = ?",
    )
    .bind(session_id)
    .fetch_one(&mut *conn)
    .await?;
    let count = to_promote(capacity, confirmed, waiting);
    if count == 0 {
        return Ok(0);
    }
    sqlx::query(
        "UPDATE training_registrations
            SET status = 'confirmed', promoted_at = ?1, promotion_seen = 0
          WHERE id IN (SELECT id FROM training_registrations
                        WHERE session_id = ?2 AND status = 'waiting' ORDER BY id LIMIT ?3)",
    )
    .bind(now)
    .bind(session_id)
    .bind(count)
    .execute(&mut *conn)
    .await?;
    Ok(count)
}

/// Cancels a session that is neither cancelled nor over; `false` if there
/// is no such session. Registrations stay, so that everyone sees the
/// cancellation in their list.
pub async fn cancel(
    conn: &mut SqliteConnection,
    id: i64,
    reason: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE training_sessions SET cancelled_at = ?1, cancel_reason = ?2,
                revision = revision + 1, updated_at = ?1
          WHERE id = ?3 AND cancelled_at IS NULL AND ends_at > ?1",
    )
    .bind(now)
    .bind(reason)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Registers the person with a place or on the waiting list; `false` if
/// they already were.
pub async fn register(
    conn: &mut SqliteConnection,
    session_id: i64,
    user_id: i64,
    admission: Admission,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let status = match admission {
        Admission::Confirmed => "confirmed",
        Admission::Waiting => "waiting",
    };
    let inserted = sqlx::query(
        "INSERT INTO training_registrations (session_id, user_id, status, registered_at)
         VALUES (?, ?, ?, ?) ON CONFLICT (session_id, user_id) DO NOTHING",
    )
    .bind(session_id)
    .bind(user_id)
    .bind(status)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(inserted.rows_affected() > 0)
}

/// The person's registration for one session, with the waiting position.
pub async fn status_of(
    conn: &mut SqliteConnection,
    session_id: i64,
    user_id: i64,
) -> Result<Option<MyStatus>, sqlx::Error> {
    Ok(my_statuses(conn, user_id).await?.get(&session_id).copied())
}

/// Takes the person off the session or its waiting list; returns whether
/// they had a place (`Some(true)`), were waiting (`Some(false)`) or were
/// not registered (`None`).
pub async fn unregister(
    conn: &mut SqliteConnection,
    session_id: i64,
    user_id: i64,
) -> Result<Option<bool>, sqlx::Error> {
    let removed: Option<String> = sqlx::query_scalar(
        "DELETE FROM training_registrations WHERE session_id = ? AND user_id = ? RETURNING status",
    )
    .bind(session_id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(removed.map(|status| status == "confirmed"))
}

pub async fn is_registered(
    conn: &mut SqliteConnection,
    session_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM training_registrations WHERE session_id = ? AND user_id = ?",
    )
    .bind(session_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// Records a confirmed participant as present or absent; `false` if
/// `participant` has no place in the session.
/// The people marked as present at a session.
pub async fn attended_ids(
    conn: &mut SqliteConnection,
    session_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT user_id FROM training_registrations WHERE session_id = ? AND attendance = 'attended'",
    )
    .bind(session_id)
    .fetch_all(conn)
    .await
}

pub async fn mark_attendance(
    conn: &mut SqliteConnection,
    session_id: i64,
    participant: i64,
    attendance: Attendance,
    marked_by: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE training_registrations SET attendance = ?, attendance_by = ?, attendance_at = ?
          WHERE session_id = ? AND user_id = ? AND status = 'confirmed'",
    )
    .bind(attendance.as_str())
    .bind(marked_by)
    .bind(now)
    .bind(session_id)
    .bind(participant)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Sessions the person moved up into and has not yet been told about.
pub async fn moved_up_notices(
    pool: &SqlitePool,
    user_id: i64,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT s.id, s.title, s.starts_at, s.ends_at FROM training_registrations r
           JOIN training_sessions s ON s.id = r.session_id
          WHERE r.user_id = ? AND r.promotion_seen = 0 AND r.status = 'confirmed'
          ORDER BY s.starts_at",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, start, end)| (id, title, display_span(start, end)))
        .collect())
}

pub async fn dismiss_moved_up_notices(
    conn: &mut SqliteConnection,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE training_registrations SET promotion_seen = 1 WHERE user_id = ? AND promotion_seen = 0",
    )
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The sessions a person attended (their training record), oldest first.
pub async fn attended_by(
    pool: &SqlitePool,
    user_id: i64,
) -> Result<Vec<AttendedSession>, sqlx::Error> {
    Ok(attended(pool, Some(user_id))
        .await?
        .remove(&user_id)
        .unwrap_or_default())
}

/// Everybody's attended sessions by person, oldest first (for the
/// project team's overview of the training record).
pub async fn attended_by_everyone(
    pool: &SqlitePool,
) -> Result<std::collections::HashMap<i64, Vec<AttendedSession>>, sqlx::Error> {
    attended(pool, None).await
}

async fn attended(
    pool: &SqlitePool,
    user_id: Option<i64>,
) -> Result<std::collections::HashMap<i64, Vec<AttendedSession>>, sqlx::Error> {
    let rows: Vec<(i64, i64, String, i64, i64, String)> = sqlx::query_as(
        "SELECT r.user_id, s.id, s.title, s.starts_at, s.ends_at, s.trainer
           FROM training_registrations r
           JOIN training_sessions s ON s.id = r.session_id
          WHERE (?1 IS NULL OR r.user_id = ?1) AND r.attendance = 'attended'
          ORDER BY s.starts_at",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    let mut by_user: std::collections::HashMap<i64, Vec<AttendedSession>> =
        std::collections::HashMap::new();
    for (user, session_id, title, start, end, trainer) in rows {
        by_user.entry(user).or_default().push(AttendedSession {
            session_id,
            title,
            when: display_span(start, end),
            date: crate::time::local_day(start).to_string(),
            trainer,
        });
    }
    Ok(by_user)
}

/// Per municipality and role: active accounts, how many attended at least
/// one session, and attendances in total.
pub async fn attendance_summary(
    pool: &SqlitePool,
) -> Result<Vec<AttendanceSummaryRow>, sqlx::Error> {
    let rows: Vec<(String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT m.name, u.role, COUNT(*),
                SUM(EXISTS (SELECT 1 FROM training_registrations r
                             WHERE r.user_id = u.id AND r.attendance = 'attended')),
                SUM((SELECT COUNT(*) FROM training_registrations r
                      WHERE r.user_id = u.id AND r.attendance = 'attended'))
           FROM users u JOIN municipalities m ON m.id = u.municipality_id
          WHERE u.active = 1
          GROUP BY m.id, u.role ORDER BY m.id, u.role",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(municipality, role, people, trained, attendances)| {
            Some(AttendanceSummaryRow {
                municipality,
                role: Role::parse(&role)?,
                people,
                trained,
                attendances,
            })
        })
        .collect())
}
