//! Use cases for questions and the FAQ. A thread is answered only to its
//! asker and the project team; to everyone else it does not exist.

use super::storage::{self, Header};
use super::{FaqList, QuestionStatus, QuestionSummary, QuestionThread};
use crate::audit::storage::{record, NewEntry};
use crate::auth::guard::{self, Rule};
use crate::auth::SessionUser;
use crate::db;
use crate::error::AppError;
use crate::rollout_days::{self, Subjects};
use crate::state::AppState;
use crate::time::{display, now};

/// The thread's header, if `user` may see it; foreign and unknown ids
/// look the same.
async fn visible(state: &AppState, user: &SessionUser, id: i64) -> Result<Header, AppError> {
    storage::header(&state.pool, id)
        .await?
        .filter(|h| super::may_see_thread(user, h.asker_id))
        .ok_or_else(|| AppError::NotFound("Die Frage".into()))
}

/// Sends a question from the page `page_path`; returns its id.
pub async fn ask(
    state: &AppState,
    user: &SessionUser,
    text: &str,
    page_path: &str,
) -> Result<i64, AppError> {
    guard::check(user, Rule::SignedIn)?;
    let text = super::validate_text(text)?;
    let path = super::clean_page_path(page_path);
    let mut tx = db::begin_write(&state.pool).await?;
    // Asked and waiting count for the rollout figures, under the asker.
    let rollout = rollout_days::before(&mut tx, Subjects::People(vec![user.id])).await?;
    let id = storage::ask(&mut tx, user, &text, &path, now()).await?;
    rollout.settle(&mut tx).await?;
    tx.commit().await?;
    Ok(id)
}

/// My questions; for the project team also everyone's.
pub async fn list(
    state: &AppState,
    user: &SessionUser,
) -> Result<(Vec<QuestionSummary>, Option<Vec<QuestionSummary>>), AppError> {
    guard::check(user, Rule::SignedIn)?;
    let mine = storage::list_for_asker(&state.pool, user.id).await?;
    let all = if Rule::ProjectTeam.allows(user) {
        Some(storage::list_all(&state.pool).await?)
    } else {
        None
    };
    Ok((mine, all))
}

/// One thread. When the asker opens it, its answers count as seen.
pub async fn thread(
    state: &AppState,
    user: &SessionUser,
    id: i64,
) -> Result<QuestionThread, AppError> {
    guard::check(user, Rule::SignedIn)?;
    let header = visible(state, user, id).await?;
    if header.asker_id == user.id {
        let mut tx = db::begin_write(&state.pool).await?;
        storage::mark_seen(&mut tx, id).await?;
        tx.commit().await?;
    }
    Ok(QuestionThread {
        id,
        status: QuestionStatus::parse(&header.status).unwrap_or(QuestionStatus::Open),
        asked: display(header.created_at),
        page_path: header.page_path,
        asker_name: header.asker_name,
        municipality: header.municipality,
        messages: storage::messages(&state.pool, id).await?,
        as_team: Rule::ProjectTeam.allows(user),
        faq_id: storage::faq_of_question(&state.pool, id).await?,
    })
}

/// A message in the thread, by the asker or the project team; returns its id.
pub async fn reply(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    text: &str,
) -> Result<i64, AppError> {
    guard::check(user, Rule::SignedIn)?;
    let header = visible(state, user, id).await?;
    let text = super::validate_text(text)?;
    // The asker writes as asker even if they belong to the team.
    let from_team = Rule::ProjectTeam.allows(user) && header.asker_id != user.id;
    let mut tx = db::begin_write(&state.pool).await?;
    // An answer ends a wait, a follow-up starts one (also after closing).
    let rollout = rollout_days::before(&mut tx, Subjects::People(vec![header.asker_id])).await?;
    let message = storage::reply(&mut tx, user, id, &text, from_team, now()).await?;
    rollout.settle(&mut tx).await?;
    if header.asker_id == user.id {
        storage::mark_seen(&mut tx, id).await?;
    }
    tx.commit().await?;
    Ok(message)
}

/// Marks a question done (asker or project team).
pub async fn close(state: &AppState, user: &SessionUser, id: i64) -> Result<(), AppError> {
    guard::check(user, Rule::SignedIn)?;
    let header = visible(state, user, id).await?;
    let mut tx = db::begin_write(&state.pool).await?;
    let rollout = rollout_days::before(&mut tx, Subjects::People(vec![header.asker_id])).await?;
    storage::close(&mut tx, id, now()).await?;
    rollout.settle(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// „Als FAQ übernehmen“: the question and the newest team answer become a
/// FAQ entry (edited afterwards on the FAQ page). Returns the entry's id;
/// a question taken over before answers with its existing entry.
pub async fn to_faq(state: &AppState, user: &SessionUser, id: i64) -> Result<i64, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    visible(state, user, id).await?;
    if let Some(existing) = storage::faq_of_question(&state.pool, id).await? {
        return Ok(existing);
    }
    let (question, answer) = storage::faq_material(&state.pool, id)
        .await?
        .ok_or_else(|| AppError::invalid("Die Frage hat noch keine Antwort des Projektteams."))?;
    let (question, answer) = super::validate_faq(&question, &answer)?;
    create_faq(state, user, &question, &answer, Some(id)).await
}

async fn create_faq(
    state: &AppState,
    user: &SessionUser,
    question: &str,
    answer: &str,
    source_question_id: Option<i64>,
) -> Result<i64, AppError> {
    let mut tx = db::begin_write(&state.pool).await?;
    let id = storage::create_faq(
        &mut tx,
        user.id,
        question,
        answer,
        source_question_id,
        now(),
    )
    .await?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "faq_created",
            "faq",
            id,
            serde_json::json!({ "question": question, "source_question_id": source_question_id }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The FAQ, for everybody signed in.
pub async fn faq(state: &AppState, user: &SessionUser) -> Result<FaqList, AppError> {
    guard::check(user, Rule::SignedIn)?;
    Ok(FaqList {
        entries: storage::list_faq(&state.pool).await?,
        may_edit: Rule::ProjectTeam.allows(user),
    })
}

fn faq_not_found() -> AppError {
    AppError::NotFound("Der FAQ-Eintrag".into())
}

/// Writes a new FAQ entry (`id` None) or changes one; returns its id.
pub async fn save_faq(
    state: &AppState,
    user: &SessionUser,
    id: Option<i64>,
    question: &str,
    answer: &str,
) -> Result<i64, AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let (question, answer) = super::validate_faq(question, answer)?;
    let Some(id) = id else {
        return create_faq(state, user, &question, &answer, None).await;
    };
    let mut tx = db::begin_write(&state.pool).await?;
    if !storage::update_faq(&mut tx, id, &question, &answer, now()).await? {
        return Err(faq_not_found());
    }
    record(
        &mut tx,
        NewEntry::by(
            user,
            "faq_updated",
            "faq",
            id,
            serde_json::json!({ "question": question }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn delete_faq(state: &AppState, user: &SessionUser, id: i64) -> Result<(), AppError> {
    guard::check(user, Rule::ProjectTeam)?;
    let mut tx = db::begin_write(&state.pool).await?;
    let question = storage::delete_faq(&mut tx, id)
        .await?
        .ok_or_else(faq_not_found)?;
    record(
        &mut tx,
        NewEntry::by(
            user,
            "faq_deleted",
            "faq",
            id,
            serde_json::json!({ "question": question }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
