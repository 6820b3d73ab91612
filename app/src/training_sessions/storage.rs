//! SQL for training sessions. Registration, unregistration and every change
//! of capacity run inside one write transaction (`BEGIN IMMEDIATE`), so the
//! count of confirmed places and the insert that depends on it can never
//! interleave with another registration: capacity is never exceeded.

use super::{
    admission, audience_label, format_when, registration_closed, targets, to_promote, Admission,
    Attendance, AttendanceSummaryRow, AttendedSession, MyStatus, Participant, SessionCard,
    SessionState, ValidSession,
};
use crate::audit::storage::{record, NewEntry};
use crate::auth::{Role, SessionUser};
use crate::error::AppError;
use crate::time::display_exact;
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
        when: format_when(row.starts_at, row.ends_at),
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

async fn get_on(
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

async fn set_audience(
    conn: &mut SqliteConnection,
    id: i64,
    session: &ValidSession,
) -> Result<(), AppError> {
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
                return Err(AppError::invalid(
                    "Eine der gewählten Gemeinden gibt es nicht.",
                ));
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

fn audit_details(session: &ValidSession) -> serde_json::Value {
    serde_json::json!({
        "title": session.title,
        "when": format_when(session.starts_at, session.ends_at),
        "capacity": session.capacity,
        "municipalities": session.municipality_ids,
        "roles": session.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
    })
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

/// Writes the audit entry for a session and commits the change with it.
async fn audit_and_commit(
    mut tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    user: &SessionUser,
    action: &'static str,
    session_id: i64,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    record(
        &mut tx,
        NewEntry::by(user, action, "training_session", session_id, details),
    )
    .await?;
    tx.commit().await
}

/// Schedules a session; returns its id.
pub async fn create(
    pool: &SqlitePool,
    user: &SessionUser,
    session: &ValidSession,
    now: i64,
) -> Result<i64, AppError> {
    let mut tx = crate::db::begin_write(pool).await?;
    let id = bind_fields(
        sqlx::query(
            "INSERT INTO training_sessions (title, description, trainer, starts_at, ends_at, place,
                                        video_url, capacity, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ),
        session,
    )
    .bind(user.id)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    set_audience(&mut tx, id, session).await?;
    audit_and_commit(
        tx,
        user,
        "training_session_created",
        id,
        audit_details(session),
    )
    .await?;
    Ok(id)
}

/// Moves people up from the waiting list (in order of registration) while
/// places are free; returns how many moved up.
async fn promote(
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

/// Changes a session that is not cancelled. Capacity cannot drop below the
/// confirmed places; raising it moves people up from the waiting list.
pub async fn update(
    pool: &SqlitePool,
    user: &SessionUser,
    id: i64,
    session: &ValidSession,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = crate::db::begin_write(pool).await?;
    let Some((row, _)) = get_on(&mut tx, id).await? else {
        return Err(AppError::NotFound("Der Schulungstermin".into()));
    };
    if row.cancelled_at.is_some() {
        return Err(AppError::Conflict(
            "Ein abgesagter Termin kann nicht mehr geändert werden.".into(),
        ));
    }
    if session.capacity < row.confirmed {
        return Err(AppError::invalid(format!(
            "Es sind bereits {} Personen angemeldet; die Zahl der Plätze kann nicht darunter sinken.",
            row.confirmed
        )));
    }
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
    .execute(&mut *tx)
    .await?;
    set_audience(&mut tx, id, session).await?;
    let moved_up = promote(&mut tx, id, session.capacity, now).await?;
    let mut details = audit_details(session);
    details["moved_up"] = moved_up.into();
    audit_and_commit(tx, user, "training_session_updated", id, details).await?;
    Ok(())
}

/// Cancels a session that has not ended; registrations stay so that
/// everyone sees the cancellation in their list.
pub async fn cancel(
    pool: &SqlitePool,
    user: &SessionUser,
    id: i64,
    reason: &str,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = crate::db::begin_write(pool).await?;
    let done = sqlx::query(
        "UPDATE training_sessions SET cancelled_at = ?1, cancel_reason = ?2,
                revision = revision + 1, updated_at = ?1
          WHERE id = ?3 AND cancelled_at IS NULL AND ends_at > ?1",
    )
    .bind(now)
    .bind(reason)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(match get_on(&mut tx, id).await? {
            None => AppError::NotFound("Der Schulungstermin".into()),
            Some(_) => {
                AppError::Conflict("Der Termin ist bereits abgesagt oder schon vorbei.".into())
            }
        });
    }
    audit_and_commit(
        tx,
        user,
        "training_session_cancelled",
        id,
        serde_json::json!({ "reason": reason }),
    )
    .await?;
    Ok(())
}

/// Registers the person: a free place if there is one, otherwise the end of
/// the waiting list. Count and insert happen under the write lock.
pub async fn register(
    pool: &SqlitePool,
    user: &SessionUser,
    id: i64,
    now: i64,
) -> Result<MyStatus, AppError> {
    let mut tx = crate::db::begin_write(pool).await?;
    let Some((row, audience)) = get_on(&mut tx, id).await? else {
        return Err(AppError::NotFound("Der Schulungstermin".into()));
    };
    if !audience.includes(user) {
        // Sessions for others are not shown; do not reveal them here either.
        return Err(AppError::NotFound("Der Schulungstermin".into()));
    }
    if let Some(reason) = registration_closed(row.state(now)) {
        return Err(AppError::Conflict(reason.into()));
    }
    let status = match admission(row.capacity, row.confirmed) {
        Admission::Confirmed => "confirmed",
        Admission::Waiting => "waiting",
    };
    let inserted = sqlx::query(
        "INSERT INTO training_registrations (session_id, user_id, status, registered_at)
         VALUES (?, ?, ?, ?) ON CONFLICT (session_id, user_id) DO NOTHING",
    )
    .bind(id)
    .bind(user.id)
    .bind(status)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(AppError::Conflict(
            "Sie sind für diesen Termin bereits angemeldet oder stehen auf der Warteliste.".into(),
        ));
    }
    let mine = my_statuses(&mut tx, user.id)
        .await?
        .get(&id)
        .copied()
        .ok_or(AppError::Internal)?;
    tx.commit().await?;
    Ok(mine)
}

/// Takes the person off the session (or its waiting list) before it starts;
/// a freed place goes to the first on the waiting list.
pub async fn unregister(
    pool: &SqlitePool,
    user: &SessionUser,
    id: i64,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = crate::db::begin_write(pool).await?;
    let Some((row, audience)) = get_on(&mut tx, id).await? else {
        return Err(AppError::NotFound("Der Schulungstermin".into()));
    };
    if !audience.includes(user) && !is_registered(&mut tx, id, user.id).await? {
        // A session for others answers like an unknown one (as in
        // `register`); someone registered before the audience changed may
        // still leave it.
        return Err(AppError::NotFound("Der Schulungstermin".into()));
    }
    if matches!(row.state(now), SessionState::Running | SessionState::Past) {
        return Err(AppError::Conflict(
            "Der Termin hat bereits begonnen; eine Abmeldung ist nicht mehr möglich.".into(),
        ));
    }
    let removed: Option<String> = sqlx::query_scalar(
        "DELETE FROM training_registrations WHERE session_id = ? AND user_id = ? RETURNING status",
    )
    .bind(id)
    .bind(user.id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(status) = removed else {
        return Err(AppError::Conflict(
            "Sie sind für diesen Termin nicht angemeldet.".into(),
        ));
    };
    if status == "confirmed" && row.cancelled_at.is_none() {
        promote(&mut tx, id, row.capacity, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn is_registered(
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

/// The trainer marks a confirmed participant as present or absent, once
/// the session has started.
pub async fn mark_attendance(
    pool: &SqlitePool,
    user: &SessionUser,
    session_id: i64,
    participant: i64,
    attendance: Attendance,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = crate::db::begin_write(pool).await?;
    let Some((row, _)) = get_on(&mut tx, session_id).await? else {
        return Err(AppError::NotFound("Der Schulungstermin".into()));
    };
    match row.state(now) {
        SessionState::Cancelled => {
            return Err(AppError::Conflict(
                "Der Termin wurde abgesagt; Anwesenheit wird nicht erfasst.".into(),
            ))
        }
        SessionState::Upcoming => {
            return Err(AppError::Conflict(
                "Die Anwesenheit kann erst ab Beginn des Termins erfasst werden.".into(),
            ))
        }
        SessionState::Running | SessionState::Past => {}
    }
    let done = sqlx::query(
        "UPDATE training_registrations SET attendance = ?, attendance_by = ?, attendance_at = ?
          WHERE session_id = ? AND user_id = ? AND status = 'confirmed'",
    )
    .bind(attendance.as_str())
    .bind(user.id)
    .bind(now)
    .bind(session_id)
    .bind(participant)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound("Die angemeldete Person".into()));
    }
    audit_and_commit(
        tx,
        user,
        "training_attendance_marked",
        session_id,
        serde_json::json!({ "user_id": participant, "attendance": attendance.as_str() }),
    )
    .await?;
    Ok(())
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
        .map(|(id, title, start, end)| (id, title, format_when(start, end)))
        .collect())
}

pub async fn dismiss_moved_up_notices(pool: &SqlitePool, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE training_registrations SET promotion_seen = 1 WHERE user_id = ? AND promotion_seen = 0",
    )
    .bind(user_id)
    .execute(pool)
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
            when: format_when(start, end),
            date: super::to_local_input(start).chars().take(10).collect(),
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
