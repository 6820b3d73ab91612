//! The summary behind the rollout dashboard (`rollout_days`, migration
//! 0011): per real municipality and day (Europe/Berlin), what the events
//! behind its figures add up to. A year of the dashboard reads about 1,500
//! of its rows instead of every upload, filing and page of the year.
//!
//! **Where it sits.** The events happen in users, documents, processing,
//! questions, training sessions and tours, and each must change the summary
//! in its own transaction: a summary written afterwards (after the commit,
//! or by a job) can miss or double an event without anyone noticing. The
//! dashboard sits above all of them, so the table has this small module of
//! its own just below users, the lowest writer. It knows no feature, only
//! their tables (it reads them the way `rollout::storage` does). The hooks
//! sign-in uses (`auth::hooks`, wired by the server) were the alternative;
//! they fit a lower feature that must set off behaviour it cannot know (a
//! practice area), but here ten use cases would call a function pointer to
//! add to a table, every `AppState` would carry it, and a reader of a use
//! case could no longer see what it writes.
//!
//! **How it stays exact.** Several figures are retroactive by definition
//! (the reference is `rollout::storage::facts`, which computes them from
//! the raw rows): a document restored from the trash is back in the
//! Posteingang backlog from the day it was trashed; emptying the trash
//! removes the document's backlog and its pages from history; a repeated
//! extraction moves the pages to its day; a person moved to another
//! municipality takes their walkthroughs, attendances and questions along;
//! a follow-up after closing makes a question wait again from its last
//! wait. So the summary is kept as *shares*, not as events: a subject's
//! share (a document's, a person's) is what its rows contribute under the
//! reference's rules. A use case reads the shares of what it changes before
//! the change ([`before`]) and writes the difference after it
//! ([`Change::settle`]), in its transaction. Each rule is stated once here,
//! and a use case only names what it touches. Migration 0011 states the
//! same rules in SQL to fill the table once; a test keeps both in step.
//!
//! **Per figure.** Measured first (release build, `make bench-rollout`'s
//! year: 100,000 documents, 300 people, the shared 2-core machine under
//! load), the raw computation of a year by day spent 1.0–1.5 s on uploads,
//! filings and the backlog, 1.0–1.7 s on pages, 55–100 ms reading 66,000
//! days of use, 30–70 ms in `figures::compute`, and 1–17 ms each on
//! walkthroughs and attendance, acknowledgements, and questions. So:
//!
//! | figure | kept as | written by |
//! |---|---|---|
//! | Hochgeladen | count, document share: its upload entry in the audit log | upload |
//! | Abgelegt | count, document share: its first filing in the audit log (an upload into an Akte is one) | upload, filing |
//! | Posteingang | level as daily changes: +1 on the upload day, −1 on the day of the first filing or of the trash, whichever is first | upload, filing, trash, restore, emptying the trash |
//! | Seiten, OCR-Seiten | count, document share: each found text on its extraction day | extraction, emptying the trash |
//! | Rundgänge | count, person share, home municipality | finishing a walkthrough, a change of municipality |
//! | Schulungsteilnahmen | count, person share, on the session's day | attendance, a moved session, unregistering, a change of municipality |
//! | Fragen gestellt / offen | count / level as changes, share of the asker | asking, replies, closing, a change of municipality |
//!
//! Not here: days of use stay in `user_activity_days` (one row per person
//! and day is already the summary; a week counts a person once, so it
//! cannot be summed from per-day counts) and are counted in SQL.
//! Acknowledgements and the standing table are computed from the raw rows
//! on every request: what is owed depends on who is active and addressed
//! *now* and on a guide's newest required version, and their cost grows
//! with people times notices, not with documents.

use crate::time::{iso_date, local_day};
use chrono::NaiveDate;
use sqlx::SqliteConnection;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The figures the table holds, in column order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Uploaded,
    Filed,
    /// Documents entering minus leaving the Posteingang.
    InboxChange,
    Pages,
    OcrPages,
    ToursFinished,
    Attended,
    QuestionsAsked,
    /// Waits for the team beginning minus ending.
    QuestionsOpenChange,
}

/// How many columns there are.
pub const COLUMNS: usize = 9;

/// Amounts in [`Column::ALL`] order.
pub type Amounts = [i64; COLUMNS];

impl Column {
    pub const ALL: [Column; COLUMNS] = [
        Column::Uploaded,
        Column::Filed,
        Column::InboxChange,
        Column::Pages,
        Column::OcrPages,
        Column::ToursFinished,
        Column::Attended,
        Column::QuestionsAsked,
        Column::QuestionsOpenChange,
    ];

    /// The column's name in `rollout_days`.
    pub fn name(self) -> &'static str {
        match self {
            Column::Uploaded => "uploaded",
            Column::Filed => "filed",
            Column::InboxChange => "inbox_change",
            Column::Pages => "pages",
            Column::OcrPages => "ocr_pages",
            Column::ToursFinished => "tours_finished",
            Column::Attended => "attended",
            Column::QuestionsAsked => "questions_asked",
            Column::QuestionsOpenChange => "questions_open_change",
        }
    }

    /// Its place in [`Amounts`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// What some subjects add to the summary, per day and municipality.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Share(pub BTreeMap<(NaiveDate, i64), Amounts>);

impl Share {
    fn add(&mut self, at: i64, municipality_id: i64, column: Column, amount: i64) {
        if amount == 0 {
            return;
        }
        let amounts = self
            .0
            .entry((local_day(at), municipality_id))
            .or_insert([0; COLUMNS]);
        amounts[column.index()] += amount;
    }

    /// `self - other`, without the days where nothing changes.
    fn minus(&self, other: &Share) -> Share {
        let mut difference = self.0.clone();
        for (key, amounts) in &other.0 {
            let slot = difference.entry(*key).or_insert([0; COLUMNS]);
            for (value, subtracted) in slot.iter_mut().zip(amounts) {
                *value -= subtracted;
            }
        }
        difference.retain(|_, amounts| amounts.iter().any(|a| *a != 0));
        Share(difference)
    }
}

/// Whose rows a share is computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subjects {
    /// Documents by id: upload, first filing, time in the Posteingang,
    /// pages found.
    Documents(Vec<i64>),
    /// People by user id: finished walkthroughs, attended sessions and
    /// the questions they asked, all under their home municipality.
    People(Vec<i64>),
}

/// What `subjects` contribute to the summary according to their rows now.
pub async fn share(conn: &mut SqliteConnection, subjects: &Subjects) -> Result<Share, sqlx::Error> {
    let mut share = Share::default();
    let (ids, documents) = match subjects {
        Subjects::Documents(ids) => (ids, true),
        Subjects::People(ids) => (ids, false),
    };
    if ids.is_empty() {
        return Ok(share);
    }
    let real = real_municipalities(&mut *conn).await?;
    let ids = serde_json::Value::from(ids.as_slice()).to_string();
    if documents {
        document_shares(conn, &ids, &real, &mut share).await?;
    } else {
        person_shares(conn, &ids, &real, &mut share).await?;
    }
    Ok(share)
}

/// A change under way: the shares of what it touches, from before.
#[must_use = "a change must be settled before the commit"]
#[derive(Debug)]
pub struct Change {
    subjects: Subjects,
    before: Share,
}

/// Reads the shares of `subjects` before a use case changes their rows.
pub async fn before(
    conn: &mut SqliteConnection,
    subjects: Subjects,
) -> Result<Change, sqlx::Error> {
    let before = share(&mut *conn, &subjects).await?;
    Ok(Change { subjects, before })
}

/// Subjects that have no rows yet (a new document).
pub fn new_subjects(subjects: Subjects) -> Change {
    Change {
        subjects,
        before: Share::default(),
    }
}

impl Change {
    /// Writes what the change did to the shares: call it after the rows
    /// (and the audit entry, which filings are read from) are written.
    pub async fn settle(self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        let after = share(&mut *conn, &self.subjects).await?;
        add(conn, &after.minus(&self.before)).await
    }
}

/// Adds `share` to the table (the migration's upsert, row by row).
pub async fn add(conn: &mut SqliteConnection, share: &Share) -> Result<(), sqlx::Error> {
    for ((day, municipality_id), amounts) in &share.0 {
        let mut query = sqlx::query(UPSERT)
            .bind(iso_date(*day))
            .bind(municipality_id);
        for amount in amounts {
            query = query.bind(amount);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

const UPSERT: &str = "INSERT INTO rollout_days (day, municipality_id, uploaded, filed,
        inbox_change, pages, ocr_pages, tours_finished, attended, questions_asked,
        questions_open_change)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (day, municipality_id) DO UPDATE SET
        uploaded = uploaded + excluded.uploaded,
        filed = filed + excluded.filed,
        inbox_change = inbox_change + excluded.inbox_change,
        pages = pages + excluded.pages,
        ocr_pages = ocr_pages + excluded.ocr_pages,
        tours_finished = tours_finished + excluded.tours_finished,
        attended = attended + excluded.attended,
        questions_asked = questions_asked + excluded.questions_asked,
        questions_open_change = questions_open_change + excluded.questions_open_change";

const SELECT_COLUMNS: &str = "uploaded, filed, inbox_change, pages, ocr_pages, tours_finished,
    attended, questions_asked, questions_open_change";

type Row = (String, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);

fn amounts(row: &Row) -> Amounts {
    [
        row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10,
    ]
}

/// Empties the summary (and the days of use as bits) and fills it again
/// from the raw rows, with the statements of migration 0011 after its
/// marker line: for tests comparing that with what the use cases kept, and
/// for the benchmark, whose generated rows bypass the use cases.
pub async fn refill(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    const MIGRATION: &str = include_str!("../migrations/0011_rollout_days.sql");
    let (_, statements) = MIGRATION
        .split_once("-- rollout_days: refill")
        .ok_or_else(|| sqlx::Error::Protocol("migration 0011 without its refill marker".into()))?;
    sqlx::query("DELETE FROM rollout_days")
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM user_activity_years")
        .execute(&mut *conn)
        .await?;
    sqlx::raw_sql(statements).execute(&mut *conn).await?;
    Ok(())
}

/// The rows of the days `from` to `to`: (day, municipality, amounts).
pub async fn days(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, i64, Amounts)>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT day, municipality_id, {SELECT_COLUMNS} FROM rollout_days
         WHERE day BETWEEN ? AND ?"
    ))
    .bind(iso_date(from))
    .bind(iso_date(to))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let day = NaiveDate::parse_from_str(&row.0, "%Y-%m-%d").ok()?;
            Some((day, row.1, amounts(row)))
        })
        .collect())
}

/// Per municipality, everything before `day` added up: for the change
/// columns, the levels at the start of that day.
pub async fn before_day(
    conn: &mut SqliteConnection,
    day: NaiveDate,
) -> Result<Vec<(i64, Amounts)>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT '', municipality_id, SUM(uploaded), SUM(filed), SUM(inbox_change), SUM(pages),
                SUM(ocr_pages), SUM(tours_finished), SUM(attended), SUM(questions_asked),
                SUM(questions_open_change)
         FROM rollout_days WHERE day < ? GROUP BY municipality_id",
    )
    .bind(iso_date(day))
    .fetch_all(conn)
    .await?;
    Ok(rows.iter().map(|row| (row.1, amounts(row))).collect())
}

async fn real_municipalities(conn: &mut SqliteConnection) -> Result<HashSet<i64>, sqlx::Error> {
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM municipalities WHERE practice_user_id IS NULL")
            .fetch_all(conn)
            .await?;
    Ok(ids.into_iter().collect())
}

/// Documents' shares; `ids` is a JSON array.
async fn document_shares(
    conn: &mut SqliteConnection,
    ids: &str,
    real: &HashSet<i64>,
    share: &mut Share,
) -> Result<(), sqlx::Error> {
    // The audit log is append-only: a document's upload and filings stay
    // there when the document is destroyed.
    let entries: Vec<(String, String, i64, Option<i64>, bool)> = sqlx::query_as(
        "SELECT object_id, action, at, municipality_id,
                json_extract(details, '$.akte_id') IS NOT NULL
         FROM audit_log
         WHERE object_type = 'document'
           AND object_id IN (SELECT CAST(value AS TEXT) FROM json_each(?1))
           AND action IN ('document_uploaded', 'document_filed')",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    let counts = |municipality: Option<i64>| municipality.filter(|m| real.contains(m));
    // document -> (first filing, its municipality)
    let mut first_filed: HashMap<i64, (i64, Option<i64>)> = HashMap::new();
    for (object_id, action, at, municipality, into_akte) in entries {
        let Ok(id) = object_id.parse::<i64>() else {
            continue;
        };
        let uploaded = action == "document_uploaded";
        if uploaded {
            if let Some(m) = counts(municipality) {
                share.add(at, m, Column::Uploaded, 1);
            }
        }
        if !uploaded || into_akte {
            first_filed
                .entry(id)
                .and_modify(|first| {
                    if at < first.0 {
                        *first = (at, municipality);
                    }
                })
                .or_insert((at, municipality));
        }
    }
    for &(at, municipality) in first_filed.values() {
        if let Some(m) = counts(municipality) {
            share.add(at, m, Column::Filed, 1);
        }
    }

    type DocumentRow = (i64, i64, i64, Option<i64>, Option<i64>);
    let rows: Vec<DocumentRow> = sqlx::query_as(
        "SELECT id, municipality_id, created_at, filed_at, trashed_at FROM documents
         WHERE id IN (SELECT value FROM json_each(?1))",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    for (id, municipality, created_at, filed_at, trashed_at) in rows {
        if !real.contains(&municipality) {
            continue;
        }
        share.add(created_at, municipality, Column::InboxChange, 1);
        // Rows from before the audit log knew them fall back to the column.
        let filed = first_filed.get(&id).map(|first| first.0).or(filed_at);
        let left = match (filed, trashed_at) {
            (Some(f), Some(t)) => Some(f.min(t)),
            (f, t) => f.or(t),
        };
        if let Some(left) = left {
            share.add(left, municipality, Column::InboxChange, -1);
        }
    }

    let texts: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT d.municipality_id, t.extracted_at, t.pages, t.ocr_pages
         FROM version_texts t
         JOIN document_versions v ON v.id = t.version_id
         JOIN documents d ON d.id = v.document_id
         WHERE v.document_id IN (SELECT value FROM json_each(?1))",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    for (municipality, at, pages, ocr_pages) in texts {
        if real.contains(&municipality) {
            share.add(at, municipality, Column::Pages, pages);
            share.add(at, municipality, Column::OcrPages, ocr_pages);
        }
    }
    Ok(())
}

/// People's shares; `ids` is a JSON array.
async fn person_shares(
    conn: &mut SqliteConnection,
    ids: &str,
    real: &HashSet<i64>,
    share: &mut Share,
) -> Result<(), sqlx::Error> {
    let homes: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, municipality_id FROM users WHERE id IN (SELECT value FROM json_each(?1))",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    let home: HashMap<i64, i64> = homes
        .into_iter()
        .filter(|(_, municipality)| real.contains(municipality))
        .collect();

    let tours: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT user_id, COALESCE(ended_at, updated_at) FROM tour_runs
         WHERE status = 'finished' AND user_id IN (SELECT value FROM json_each(?1))",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    for (user, at) in tours {
        if let Some(&m) = home.get(&user) {
            share.add(at, m, Column::ToursFinished, 1);
        }
    }

    let attended: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT r.user_id, s.starts_at
         FROM training_registrations r JOIN training_sessions s ON s.id = r.session_id
         WHERE r.attendance = 'attended' AND r.user_id IN (SELECT value FROM json_each(?1))",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    for (user, at) in attended {
        if let Some(&m) = home.get(&user) {
            share.add(at, m, Column::Attended, 1);
        }
    }

    let questions: Vec<(i64, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, asker_id, created_at, closed_at FROM questions
         WHERE asker_id IN (SELECT value FROM json_each(?1))",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    let messages: Vec<(i64, bool, i64)> = sqlx::query_as(
        "SELECT m.question_id, m.from_team = 1, m.created_at
         FROM question_messages m JOIN questions q ON q.id = m.question_id
         WHERE q.asker_id IN (SELECT value FROM json_each(?1))
         ORDER BY m.question_id, m.id",
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut threads: HashMap<i64, Vec<(bool, i64)>> = HashMap::new();
    for (question, from_team, at) in messages {
        threads.entry(question).or_default().push((from_team, at));
    }
    for (id, asker, created_at, closed_at) in questions {
        let Some(&m) = home.get(&asker) else {
            continue;
        };
        share.add(created_at, m, Column::QuestionsAsked, 1);
        let thread = threads.remove(&id).unwrap_or_default();
        for (from, until) in waiting_spans(created_at, &thread, closed_at) {
            share.add(from, m, Column::QuestionsOpenChange, 1);
            if let Some(until) = until {
                share.add(until, m, Column::QuestionsOpenChange, -1);
            }
        }
    }
    Ok(())
}

/// The times a question waited for the team: from the asker's message
/// until the team's next one. Closing (which keeps its time until the next
/// message) ends a wait too. `thread` is (from the team, at), oldest first.
pub fn waiting_spans(
    created_at: i64,
    thread: &[(bool, i64)],
    closed_at: Option<i64>,
) -> Vec<(i64, Option<i64>)> {
    let mut spans = Vec::new();
    let mut waiting_since = Some(created_at);
    for &(from_team, at) in thread {
        match (from_team, waiting_since) {
            (true, Some(since)) => {
                spans.push((since, Some(at)));
                waiting_since = None;
            }
            (false, None) => waiting_since = Some(at),
            _ => {}
        }
    }
    if let Some(since) = waiting_since {
        spans.push((since, closed_at.filter(|&closed| closed >= since)));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_waits_until_the_team_answers_and_again_after_a_follow_up() {
        let thread = [
            (false, 100),
            (true, 200),
            (false, 300),
            (true, 400),
            (false, 500),
        ];
        assert_eq!(
            waiting_spans(100, &thread, None),
            vec![(100, Some(200)), (300, Some(400)), (500, None)]
        );
        // Closed without an answer: the wait ends there.
        assert_eq!(
            waiting_spans(100, &[(false, 100)], Some(150)),
            vec![(100, Some(150))]
        );
    }

    #[test]
    fn a_difference_leaves_out_days_where_nothing_changes() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 29).expect("day");
        let mut before = Share::default();
        before.add(1_774_742_400, 2, Column::InboxChange, 1);
        let mut after = before.clone();
        after.add(1_774_742_400, 2, Column::Filed, 1);
        let difference = after.minus(&before);
        assert_eq!(difference.0.len(), 1);
        let amounts = difference.0.get(&(day, 2)).expect("the day");
        assert_eq!(amounts[Column::Filed.index()], 1);
        assert_eq!(amounts[Column::InboxChange.index()], 0);
        assert!(before.minus(&before).0.is_empty());
    }
}
