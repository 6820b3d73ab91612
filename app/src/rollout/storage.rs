//! Reads the facts behind the dashboard, and records daily use.
//!
//! Two ways to the same figures. [`summary`] is what the dashboard reads:
//! the per-day summary the use cases keep (`crate::rollout_days`, which
//! explains what is kept how and why), days of use as one bitmap per
//! person and year (`user_activity_years`, kept by triggers on
//! `user_activity_days`), and from the raw rows only what depends on who
//! is active and addressed now: people and acknowledgements. [`facts`]
//! computes everything from the raw rows and is the reference the summary
//! is checked against (`aktenwerk rollout-check`, the tests):
//! - daily use: `user_activity_days` (written here, at sign-in and on the
//!   first request of a day);
//! - uploads and filings: the audit log (append-only, so deleting a
//!   document later does not rewrite history);
//! - the Posteingang backlog: each document waits from its upload until its
//!   first filing (or until it went to the trash unfiled);
//! - pages: `version_texts` (pages read, and of them OCR'd), by extraction day;
//! - walkthroughs: finished `tour_runs`; training: attended registrations,
//!   dated on the day of the session;
//! - acknowledgements: every required one (announcements by targeting,
//!   the newest version of a guide that requires it) against the given ones;
//! - questions: asked, and waiting while the newest message is the asker's.
//!
//! Practice municipalities never count; people count in their home
//! municipality, also while they practise.

use super::figures::{AckDue, ActiveYear, Activity, Event, Facts, Person, Range, Span, Summary};
use super::{Metric, MunicipalityName};
use crate::rollout_days::{self, waiting_spans, Column};
use crate::time::local_day;
use chrono::{Datelike, NaiveDate};
use sqlx::SqliteConnection;
use std::collections::{HashMap, HashSet};

/// Notes that a person used Aktenwerk on the day of `at`; repeated calls
/// on the same day change nothing.
pub async fn record_activity(
    conn: &mut SqliteConnection,
    user_id: i64,
    municipality_id: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT OR IGNORE INTO user_activity_days (user_id, day, municipality_id, first_seen_at)
         VALUES (?, ?, ?, ?)",
    )
    .bind(user_id)
    .bind(crate::time::iso_date(local_day(at)))
    .bind(municipality_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The four real municipalities (never practice areas), coordinating first.
pub async fn municipalities(
    conn: &mut SqliteConnection,
) -> Result<Vec<MunicipalityName>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM municipalities WHERE practice_user_id IS NULL
         ORDER BY coordinating DESC, id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| MunicipalityName { id, name })
        .collect())
}

/// The Unix times a range of local days certainly lies within: a day of
/// margin on both sides covers every offset from UTC. `figures.rs` drops
/// what falls outside the days themselves.
#[derive(Clone, Copy, Debug)]
struct Window {
    from: i64,
    to: i64,
}

impl Window {
    fn around(from: NaiveDate, to: NaiveDate) -> Window {
        let midnight = |day: NaiveDate| day.and_time(chrono::NaiveTime::MIN).and_utc().timestamp();
        Window {
            from: midnight(from) - 86_400,
            to: midnight(to) + 2 * 86_400,
        }
    }
}

/// The figures' inputs for `range` from the summary, for the
/// municipalities `shown`.
pub async fn summary(
    conn: &mut SqliteConnection,
    range: Range,
    shown: &[MunicipalityName],
) -> Result<Summary, sqlx::Error> {
    let real: HashSet<i64> = municipalities(&mut *conn)
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    let mut events = Vec::new();
    let before = range.from.pred_opt().unwrap_or(range.from);
    for (municipality_id, amounts) in rollout_days::before_day(&mut *conn, range.from).await? {
        for (column, metric) in COLUMNS {
            if metric.kind() == super::Kind::Level {
                events.push(Event {
                    metric,
                    municipality_id,
                    day: before,
                    amount: amounts[column.index()],
                });
            }
        }
    }
    for (day, municipality_id, amounts) in
        rollout_days::days(&mut *conn, range.from, range.to).await?
    {
        for (column, metric) in COLUMNS {
            let amount = amounts[column.index()];
            if amount != 0 {
                events.push(Event {
                    metric,
                    municipality_id,
                    day,
                    amount,
                });
            }
        }
    }
    events.extend(casework(&mut *conn, &real, range.from, range.to).await?);
    let years = active_years(&mut *conn, range.from.year(), range.to.year()).await?;
    Ok(Summary {
        events,
        active: super::figures::ActivePeople::from_years(&years, range, shown),
        people: people(&mut *conn, &real).await?,
        acks: acknowledgements(&mut *conn, &real).await?,
    })
}

/// Which figure each column of the summary holds.
const COLUMNS: [(Column, Metric); rollout_days::COLUMNS] = [
    (Column::Uploaded, Metric::Uploaded),
    (Column::Filed, Metric::Filed),
    (Column::InboxChange, Metric::InboxBacklog),
    (Column::Pages, Metric::Pages),
    (Column::OcrPages, Metric::OcrPages),
    (Column::ToursFinished, Metric::ToursFinished),
    (Column::Attended, Metric::TrainingAttended),
    (Column::QuestionsAsked, Metric::QuestionsAsked),
    (Column::QuestionsOpenChange, Metric::QuestionsOpen),
];

/// The days of use of the years `from` to `to`, one bitmap per person,
/// municipality and year.
async fn active_years(
    conn: &mut SqliteConnection,
    from: i32,
    to: i32,
) -> Result<Vec<ActiveYear>, sqlx::Error> {
    type YearRow = (i64, i64, i32, i64, i64, i64, i64, i64, i64);
    let rows: Vec<YearRow> = sqlx::query_as(
        "SELECT user_id, municipality_id, year, w0, w1, w2, w3, w4, w5
         FROM user_activity_years WHERE year BETWEEN ? AND ?",
    )
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(user_id, municipality_id, year, w0, w1, w2, w3, w4, w5)| ActiveYear {
                user_id,
                municipality_id,
                year,
                // The bits as they are; SQLite has only signed integers.
                days: [w0, w1, w2, w3, w4, w5].map(|w| w as u64),
            },
        )
        .collect())
}

/// Active accounts of the real municipalities, with the first day of their
/// training evidence, one row each.
async fn people(
    conn: &mut SqliteConnection,
    real: &HashSet<i64>,
) -> Result<Vec<Person>, sqlx::Error> {
    let rows: Vec<(i64, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT u.municipality_id, u.created_at,
                (SELECT MIN(COALESCE(r.ended_at, r.updated_at)) FROM tour_runs r
                 WHERE r.user_id = u.id AND r.status = 'finished'),
                (SELECT MIN(s.starts_at) FROM training_registrations r
                 JOIN training_sessions s ON s.id = r.session_id
                 WHERE r.user_id = u.id AND r.attendance = 'attended')
         FROM users u WHERE u.active = 1",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|(municipality, ..)| real.contains(municipality))
        .map(|(municipality_id, created_at, tour, training)| Person {
            municipality_id,
            since: local_day(created_at),
            first_tour: tour.map(local_day),
            first_training: training.map(local_day),
        })
        .collect())
}

/// The first day there can be anything to count: the day the first
/// account was made (the installation), or an earlier day of the summary.
pub async fn first_day(conn: &mut SqliteConnection) -> Result<Option<NaiveDate>, sqlx::Error> {
    let (first, kept): (Option<i64>, Option<String>) = sqlx::query_as(
        "SELECT (SELECT MIN(created_at) FROM users), (SELECT MIN(day) FROM rollout_days)",
    )
    .fetch_one(conn)
    .await?;
    let kept = kept.and_then(|day| NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok());
    Ok(match (first.map(local_day), kept) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    })
}

/// The facts the dashboard needs for the days `from` to `to`, from the raw
/// rows: events inside the range, and of the things that wait (documents
/// in the Posteingang, questions) those that were still waiting at its
/// start or began inside it. The arithmetic stays in `figures.rs`, where
/// it is tested; the SQL only leaves out what cannot count. This is the
/// reference for the summary: slow (it grows with the documents), but
/// every rule in one place.
pub async fn facts(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Facts, sqlx::Error> {
    let window = Window::around(from, to);
    let real: HashSet<i64> = municipalities(&mut *conn)
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    let mut facts = Facts::default();

    let activity: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT municipality_id, user_id, day FROM user_activity_days WHERE day BETWEEN ? AND ?",
    )
    .bind(crate::time::iso_date(from))
    .bind(crate::time::iso_date(to))
    .fetch_all(&mut *conn)
    .await?;
    facts.activity = activity
        .into_iter()
        .filter_map(|(municipality_id, user_id, day)| {
            Some(Activity {
                municipality_id,
                user_id,
                day: NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?,
            })
        })
        .collect();

    documents(&mut *conn, &real, window, &mut facts).await?;
    pages(&mut *conn, &real, window, &mut facts).await?;
    training(&mut *conn, &real, &mut facts).await?;
    facts.acks = acknowledgements(&mut *conn, &real).await?;
    questions(&mut *conn, &real, &mut facts).await?;
    facts
        .events
        .extend(casework(&mut *conn, &real, from, to).await?);
    Ok(facts)
}

/// Vorgänge put zdA (on their zdA day) and Laufwege completed (on the day
/// of the last answer) from `from` to `to`. Read from the raw rows for the
/// summary too: a year holds a few thousand of them, each read through an
/// index on its day, and neither changes after the fact (a zdA Vorgang and
/// a completed Laufweg stay as they are), so there is nothing to keep in
/// step.
async fn casework(
    conn: &mut SqliteConnection,
    real: &HashSet<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Event>, sqlx::Error> {
    let closed: Vec<(i64, String)> = sqlx::query_as(
        "SELECT municipality_id, closed_on FROM vorgaenge
         WHERE status = 'closed' AND closed_on BETWEEN ? AND ?",
    )
    .bind(crate::time::iso_date(from))
    .bind(crate::time::iso_date(to))
    .fetch_all(&mut *conn)
    .await?;
    let window = Window::around(from, to);
    let completed: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT municipality_id, ended_at FROM laufwege
         WHERE status = 'completed' AND ended_at BETWEEN ? AND ?",
    )
    .bind(window.from)
    .bind(window.to)
    .fetch_all(&mut *conn)
    .await?;
    let in_range = |day: NaiveDate| from <= day && day <= to;
    let mut events: Vec<Event> = closed
        .into_iter()
        .filter(|(municipality, _)| real.contains(municipality))
        .filter_map(|(municipality_id, day)| {
            Some(Event {
                metric: Metric::VorgaengeClosed,
                municipality_id,
                day: NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?,
                amount: 1,
            })
        })
        .collect();
    events.extend(
        completed
            .into_iter()
            .filter(|(municipality, _)| real.contains(municipality))
            .map(|(municipality_id, at)| event(Metric::LaufwegeCompleted, municipality_id, at, 1)),
    );
    events.retain(|e| in_range(e.day));
    Ok(events)
}

fn event(metric: Metric, municipality_id: i64, at: i64, amount: i64) -> Event {
    Event {
        metric,
        municipality_id,
        day: local_day(at),
        amount,
    }
}

async fn documents(
    conn: &mut SqliteConnection,
    real: &HashSet<i64>,
    window: Window,
    facts: &mut Facts,
) -> Result<(), sqlx::Error> {
    let uploads: Vec<(Option<i64>, i64)> = sqlx::query_as(
        "SELECT municipality_id, at
         FROM audit_log WHERE action = 'document_uploaded' AND object_type = 'document'
              AND at BETWEEN ? AND ?",
    )
    .bind(window.from)
    .bind(window.to)
    .fetch_all(&mut *conn)
    .await?;
    // The first filing (and its municipality) of every document filed, or
    // filed again, since the window opened: that covers every document
    // whose `filed_at` lies inside it. An upload straight into an Akte is
    // a filing, also when it lies before the window (a document moved to
    // another Akte later was not filed for the first time then).
    let filings: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT object_id, MIN(at), municipality_id FROM audit_log
         WHERE object_type = 'document'
           AND (action = 'document_filed'
                OR (action = 'document_uploaded' AND json_extract(details, '$.akte_id') IS NOT NULL))
         GROUP BY object_id HAVING MAX(at) >= ?",
    )
    .bind(window.from)
    .fetch_all(&mut *conn)
    .await?;
    // document -> (first filing, municipality)
    let first_filed: HashMap<i64, (i64, Option<i64>)> = filings
        .into_iter()
        .filter_map(|(id, at, municipality)| Some((id.parse().ok()?, (at, municipality))))
        .collect();
    for (municipality, at) in uploads {
        let Some(municipality) = municipality.filter(|m| real.contains(m)) else {
            continue;
        };
        facts
            .events
            .push(event(Metric::Uploaded, municipality, at, 1));
    }
    for (at, municipality) in first_filed.values() {
        if let Some(municipality) = municipality.filter(|m| real.contains(m)) {
            if (window.from..=window.to).contains(at) {
                facts
                    .events
                    .push(event(Metric::Filed, municipality, *at, 1));
            }
        }
    }

    // The backlog from the documents that exist and were in the Posteingang
    // at some time in the window (`filed_at` is the newest filing, so one
    // filed or trashed before the window had left it before). A document
    // emptied from the trash had left the Posteingang for good anyway.
    type DocumentRow = (i64, i64, i64, Option<i64>, Option<i64>);
    let rows: Vec<DocumentRow> = sqlx::query_as(
        "SELECT id, municipality_id, created_at, filed_at, trashed_at FROM documents
         WHERE created_at <= ?1 AND (filed_at IS NULL OR filed_at >= ?2)
               AND (trashed_at IS NULL OR trashed_at >= ?2)",
    )
    .bind(window.to)
    .bind(window.from)
    .fetch_all(&mut *conn)
    .await?;
    for (id, municipality, created_at, filed_at, trashed_at) in rows {
        if !real.contains(&municipality) {
            continue;
        }
        // Rows from before the audit log knew them fall back to the columns.
        let filed = first_filed.get(&id).map(|(at, _)| *at).or(filed_at);
        let until = match (filed, trashed_at) {
            (Some(f), Some(t)) => Some(f.min(t)),
            (f, t) => f.or(t),
        };
        facts.spans.push(Span {
            metric: Metric::InboxBacklog,
            municipality_id: municipality,
            from: local_day(created_at),
            until: until.map(local_day),
        });
    }
    Ok(())
}

async fn pages(
    conn: &mut SqliteConnection,
    real: &HashSet<i64>,
    window: Window,
    facts: &mut Facts,
) -> Result<(), sqlx::Error> {
    let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT d.municipality_id, t.extracted_at, t.pages, t.ocr_pages
         FROM version_texts t
         JOIN document_versions v ON v.id = t.version_id
         JOIN documents d ON d.id = v.document_id
         WHERE t.extracted_at BETWEEN ? AND ?",
    )
    .bind(window.from)
    .bind(window.to)
    .fetch_all(conn)
    .await?;
    for (municipality, at, pages, ocr_pages) in rows {
        if !real.contains(&municipality) {
            continue;
        }
        if pages > 0 {
            facts
                .events
                .push(event(Metric::Pages, municipality, at, pages));
        }
        if ocr_pages > 0 {
            facts
                .events
                .push(event(Metric::OcrPages, municipality, at, ocr_pages));
        }
    }
    Ok(())
}

/// People, their finished walkthroughs and attended sessions.
async fn training(
    conn: &mut SqliteConnection,
    real: &HashSet<i64>,
    facts: &mut Facts,
) -> Result<(), sqlx::Error> {
    let tours: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT r.user_id, u.municipality_id, COALESCE(r.ended_at, r.updated_at)
         FROM tour_runs r JOIN users u ON u.id = r.user_id WHERE r.status = 'finished'",
    )
    .fetch_all(&mut *conn)
    .await?;
    let attended: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT r.user_id, u.municipality_id, s.starts_at
         FROM training_registrations r
         JOIN training_sessions s ON s.id = r.session_id
         JOIN users u ON u.id = r.user_id
         WHERE r.attendance = 'attended'",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut first_tour: HashMap<i64, i64> = HashMap::new();
    for (user, municipality, at) in tours {
        if real.contains(&municipality) {
            facts
                .events
                .push(event(Metric::ToursFinished, municipality, at, 1));
        }
        first_tour
            .entry(user)
            .and_modify(|first| *first = (*first).min(at))
            .or_insert(at);
    }
    let mut first_training: HashMap<i64, i64> = HashMap::new();
    for (user, municipality, at) in attended {
        if real.contains(&municipality) {
            facts
                .events
                .push(event(Metric::TrainingAttended, municipality, at, 1));
        }
        first_training
            .entry(user)
            .and_modify(|first| *first = (*first).min(at))
            .or_insert(at);
    }
    let people: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT id, municipality_id, created_at FROM users WHERE active = 1")
            .fetch_all(conn)
            .await?;
    facts.people = people
        .into_iter()
        .filter(|(_, municipality, _)| real.contains(municipality))
        .map(|(id, municipality_id, created_at)| Person {
            municipality_id,
            since: local_day(created_at),
            first_tour: first_tour.get(&id).copied().map(local_day),
            first_training: first_training.get(&id).copied().map(local_day),
        })
        .collect();
    Ok(())
}

/// Every acknowledgement owed by the people active now. Read from the raw
/// rows by both ways of computing: who owes what changes with who is
/// active and addressed now and with a guide's newest required version.
async fn acknowledgements(
    conn: &mut SqliteConnection,
    real: &HashSet<i64>,
) -> Result<Vec<AckDue>, sqlx::Error> {
    let mut dues = Vec::new();
    let people: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT id, municipality_id, role FROM users WHERE active = 1")
            .fetch_all(&mut *conn)
            .await?;
    let people: Vec<(i64, i64, crate::auth::Role)> = people
        .into_iter()
        .filter(|(_, municipality, _)| real.contains(municipality))
        .filter_map(|(id, m, role)| Some((id, m, crate::auth::Role::parse(&role)?)))
        .collect();

    // Announcements that ask for it: every addressed person owes one.
    let receipts: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT announcement_id, user_id, acknowledged_at FROM announcement_receipts
         WHERE acknowledged_at IS NOT NULL",
    )
    .fetch_all(&mut *conn)
    .await?;
    let given: HashMap<(i64, i64), i64> = receipts
        .into_iter()
        .map(|(announcement, user, at)| ((announcement, user), at))
        .collect();
    for announcement in crate::announcements::storage::load_all_on(&mut *conn).await? {
        if !announcement.requires_ack {
            continue;
        }
        let due = local_day(announcement.publish_at);
        for &(user, municipality, role) in &people {
            if announcement.targeting.addresses(municipality, role) {
                dues.push(AckDue {
                    municipality_id: municipality,
                    due,
                    given: given.get(&(announcement.id, user)).copied().map(local_day),
                });
            }
        }
    }

    // Guides: the newest version that requires it is owed by everyone; an
    // acknowledgement of that version or a later one settles it.
    let required: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT v.guide_id, v.number, v.created_at FROM guide_versions v
         WHERE v.requires_ack = 1 AND v.number = (
             SELECT MAX(r.number) FROM guide_versions r
             WHERE r.guide_id = v.guide_id AND r.requires_ack = 1)",
    )
    .fetch_all(&mut *conn)
    .await?;
    let acks: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT w.guide_id, w.number, a.user_id, a.acknowledged_at
         FROM guide_acknowledgements a JOIN guide_versions w ON w.id = a.version_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (guide, number, created_at) in required {
        let mut settled: HashMap<i64, i64> = HashMap::new();
        for &(g, n, user, at) in &acks {
            if g == guide && n >= number {
                settled
                    .entry(user)
                    .and_modify(|first| *first = (*first).min(at))
                    .or_insert(at);
            }
        }
        let due = local_day(created_at);
        for &(user, municipality, _) in &people {
            dues.push(AckDue {
                municipality_id: municipality,
                due,
                given: settled.get(&user).copied().map(local_day),
            });
        }
    }
    Ok(dues)
}

async fn questions(
    conn: &mut SqliteConnection,
    real: &HashSet<i64>,
    facts: &mut Facts,
) -> Result<(), sqlx::Error> {
    // (question, asker's home municipality, closed_at)
    let asked: Vec<(i64, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT q.id, u.municipality_id, q.created_at, q.closed_at
         FROM questions q JOIN users u ON u.id = q.asker_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let messages: Vec<(i64, bool, i64)> = sqlx::query_as(
        "SELECT question_id, from_team = 1, created_at FROM question_messages ORDER BY question_id, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut threads: HashMap<i64, Vec<(bool, i64)>> = HashMap::new();
    for (question, from_team, at) in messages {
        threads.entry(question).or_default().push((from_team, at));
    }
    for (id, municipality, created_at, closed_at) in asked {
        if !real.contains(&municipality) {
            continue;
        }
        facts
            .events
            .push(event(Metric::QuestionsAsked, municipality, created_at, 1));
        let thread = threads.remove(&id).unwrap_or_default();
        for (from, until) in waiting_spans(created_at, &thread, closed_at) {
            facts.spans.push(Span {
                metric: Metric::QuestionsOpen,
                municipality_id: municipality,
                from: local_day(from),
                until: until.map(local_day),
            });
        }
    }
    Ok(())
}
