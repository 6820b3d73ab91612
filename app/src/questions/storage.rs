//! SQL for questions, their threads and the FAQ.

use super::{FaqEntry, Message, QuestionStatus, QuestionSummary};
use crate::auth::SessionUser;
use crate::time::display;
use sqlx::{SqliteConnection, SqlitePool};

/// A new question with its first message; returns its id.
pub async fn ask(
    conn: &mut SqliteConnection,
    user: &SessionUser,
    text: &str,
    page_path: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO questions (asker_id, municipality_id, page_path, created_at)
         VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(user.id)
    .bind(user.home_municipality().id)
    .bind(page_path)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    let message: i64 = sqlx::query_scalar(
        "INSERT INTO question_messages (question_id, author_id, author_name, from_team, body, created_at)
         VALUES (?, ?, ?, 0, ?, ?) RETURNING id",
    )
    .bind(id)
    .bind(user.id)
    .bind(&user.display_name)
    .bind(text)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("UPDATE questions SET asker_seen_message_id = ? WHERE id = ?")
        .bind(message)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    first_body: String,
    page_path: String,
    status: String,
    created_at: i64,
    asker_name: String,
    municipality: String,
    unseen: i64,
    messages: i64,
}

const SUMMARY_SELECT: &str = "
    SELECT q.id, q.page_path, q.status, q.created_at, u.display_name AS asker_name, m.name AS municipality,
           (SELECT body FROM question_messages f WHERE f.question_id = q.id ORDER BY f.id LIMIT 1) AS first_body,
           (SELECT COUNT(*) FROM question_messages t WHERE t.question_id = q.id AND t.from_team = 1
                 AND t.id > q.asker_seen_message_id) AS unseen,
           (SELECT COUNT(*) FROM question_messages c WHERE c.question_id = q.id) AS messages
    FROM questions q
    JOIN users u ON u.id = q.asker_id
    JOIN municipalities m ON m.id = q.municipality_id";

fn summary(row: SummaryRow) -> QuestionSummary {
    QuestionSummary {
        id: row.id,
        excerpt: crate::markdown::plain_excerpt(&row.first_body, 140),
        page_path: row.page_path,
        status: QuestionStatus::parse(&row.status).unwrap_or(QuestionStatus::Open),
        asked: display(row.created_at),
        asker_name: row.asker_name,
        municipality: row.municipality,
        unseen_answer: row.unseen > 0,
        messages: row.messages,
    }
}

/// The asker's own questions, newest first.
pub async fn list_for_asker(
    pool: &SqlitePool,
    user_id: i64,
) -> Result<Vec<QuestionSummary>, sqlx::Error> {
    let sql = format!("{SUMMARY_SELECT} WHERE q.asker_id = ? ORDER BY q.id DESC");
    let rows = sqlx::query_as::<_, SummaryRow>(&sql)
        .bind(user_id)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(summary).collect())
}

/// Every question for the project team: waiting ones first, oldest first
/// among them (who waits longest is answered first).
pub async fn list_all(pool: &SqlitePool) -> Result<Vec<QuestionSummary>, sqlx::Error> {
    let sql = format!(
        "{SUMMARY_SELECT} ORDER BY CASE q.status WHEN 'open' THEN 0 WHEN 'answered' THEN 1 ELSE 2 END,
         CASE q.status WHEN 'open' THEN q.id ELSE -q.id END LIMIT 500"
    );
    let rows = sqlx::query_as::<_, SummaryRow>(&sql)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(summary).collect())
}

/// The question's header facts: (asker id, page, status, created, asker name, municipality).
#[derive(sqlx::FromRow)]
pub struct Header {
    pub asker_id: i64,
    pub page_path: String,
    pub status: String,
    pub created_at: i64,
    pub asker_name: String,
    pub municipality: String,
}

pub async fn header(pool: &SqlitePool, id: i64) -> Result<Option<Header>, sqlx::Error> {
    sqlx::query_as::<_, Header>(
        "SELECT q.asker_id, q.page_path, q.status, q.created_at, u.display_name AS asker_name, m.name AS municipality
         FROM questions q JOIN users u ON u.id = q.asker_id JOIN municipalities m ON m.id = q.municipality_id
         WHERE q.id = ?",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

pub async fn messages(pool: &SqlitePool, id: i64) -> Result<Vec<Message>, sqlx::Error> {
    let rows: Vec<(i64, String, bool, String, i64)> = sqlx::query_as(
        "SELECT id, author_name, from_team, body, created_at FROM question_messages
         WHERE question_id = ? ORDER BY id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, author_name, from_team, body, at)| Message {
            id,
            author_name,
            from_team,
            body_html: crate::markdown::render(&body),
            at: display(at),
        })
        .collect())
}

/// The raw texts of the first question and the newest team answer.
pub async fn faq_material(
    pool: &SqlitePool,
    id: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let question: Option<String> = sqlx::query_scalar(
        "SELECT body FROM question_messages WHERE question_id = ? AND from_team = 0 ORDER BY id LIMIT 1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let answer: Option<String> = sqlx::query_scalar(
        "SELECT body FROM question_messages WHERE question_id = ? AND from_team = 1 ORDER BY id DESC LIMIT 1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    Ok(question.zip(answer))
}

/// The asker has now seen every message of the thread.
pub async fn mark_seen(conn: &mut SqliteConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE questions SET asker_seen_message_id =
            (SELECT COALESCE(MAX(id), 0) FROM question_messages WHERE question_id = ?1)
         WHERE id = ?1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A reply in the thread. A team reply answers the question; a follow-up
/// by the asker puts it back to waiting (also when it was closed).
pub async fn reply(
    conn: &mut SqliteConnection,
    user: &SessionUser,
    id: i64,
    text: &str,
    from_team: bool,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let message: i64 = sqlx::query_scalar(
        "INSERT INTO question_messages (question_id, author_id, author_name, from_team, body, created_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(id)
    .bind(user.id)
    .bind(&user.display_name)
    .bind(from_team)
    .bind(text)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    if from_team {
        sqlx::query(
            "UPDATE questions SET status = 'answered', closed_at = NULL,
                    first_answered_at = COALESCE(first_answered_at, ?) WHERE id = ?",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query(
            "UPDATE questions SET status = 'open', closed_at = NULL, asker_seen_message_id = ? WHERE id = ?",
        )
        .bind(message)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(message)
}

pub async fn close(conn: &mut SqliteConnection, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE questions SET status = 'closed', closed_at = ? WHERE id = ?")
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Questions of the asker with team messages they have not seen.
pub async fn unseen_answers(pool: &SqlitePool, user_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM questions q WHERE q.asker_id = ? AND EXISTS (
             SELECT 1 FROM question_messages t WHERE t.question_id = q.id AND t.from_team = 1
             AND t.id > q.asker_seen_message_id)",
    )
    .bind(user_id)
    .fetch_one(pool)
    .await
}

/// Questions waiting for the project team.
pub async fn waiting_count(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM questions WHERE status = 'open'")
        .fetch_one(pool)
        .await
}

pub async fn faq_of_question(pool: &SqlitePool, id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM faq_entries WHERE source_question_id = ? ORDER BY id LIMIT 1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

pub async fn list_faq(pool: &SqlitePool) -> Result<Vec<FaqEntry>, sqlx::Error> {
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT id, question, answer, updated_at FROM faq_entries ORDER BY question COLLATE NOCASE, id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, question, answer, updated)| FaqEntry {
            id,
            answer_html: crate::markdown::render(&answer),
            question,
            answer,
            updated: display(updated),
        })
        .collect())
}

/// A new FAQ entry, possibly taken over from a question; returns its id.
pub async fn create_faq(
    conn: &mut SqliteConnection,
    author_id: i64,
    question: &str,
    answer: &str,
    source_question_id: Option<i64>,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO faq_entries (question, answer, source_question_id, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(question)
    .bind(answer)
    .bind(source_question_id)
    .bind(author_id)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
}

/// Changes a FAQ entry; `false` if there is no such entry.
pub async fn update_faq(
    conn: &mut SqliteConnection,
    id: i64,
    question: &str,
    answer: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let changed =
        sqlx::query("UPDATE faq_entries SET question = ?, answer = ?, updated_at = ? WHERE id = ?")
            .bind(question)
            .bind(answer)
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    Ok(changed > 0)
}

/// Removes a FAQ entry; returns its question, `None` if there was none.
pub async fn delete_faq(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("DELETE FROM faq_entries WHERE id = ? RETURNING question")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}
