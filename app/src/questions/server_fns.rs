//! Server functions for questions and the FAQ. A thread is answered only
//! to its asker and the project team; to everyone else it does not exist.

use super::{FaqList, QuestionSummary, QuestionThread};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::error::AppError;
    use crate::state::AppState;

    /// The thread's header, if `user` may see it; foreign and unknown ids
    /// look the same.
    pub async fn visible(
        state: &AppState,
        user: &crate::auth::SessionUser,
        id: i64,
    ) -> Result<super::super::storage::Header, AppError> {
        super::super::storage::header(&state.pool, id)
            .await?
            .filter(|h| super::super::may_see_thread(user, h.asker_id))
            .ok_or_else(|| AppError::NotFound("Die Frage".into()))
    }
}

/// Sends a question from the page `page_path`; returns its id.
#[server(prefix = "/api", endpoint = "ask_question")]
pub async fn ask_question(text: String, page_path: String) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            let text = super::validate_text(&text)?;
            let path = super::clean_page_path(&page_path);
            let id =
                super::storage::ask(&state.pool, &user, &text, &path, crate::time::now()).await?;
            Ok(id)
        }
        .await,
    )
}

/// My questions; for the project team also everyone's.
#[server(prefix = "/api", endpoint = "list_questions")]
pub async fn list_questions(
) -> Result<(Vec<QuestionSummary>, Option<Vec<QuestionSummary>>), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            let mine = super::storage::list_for_asker(&state.pool, user.id).await?;
            let all = if crate::auth::guard::Rule::ProjectTeam.allows(&user) {
                Some(super::storage::list_all(&state.pool).await?)
            } else {
                None
            };
            Ok((mine, all))
        }
        .await,
    )
}

/// One thread. When the asker opens it, its answers count as seen.
#[server(prefix = "/api", endpoint = "get_question")]
pub async fn get_question(id: i64) -> Result<QuestionThread, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            let header = ssr::visible(&state, &user, id).await?;
            if header.asker_id == user.id {
                super::storage::mark_seen(&state.pool, id).await?;
            }
            Ok(QuestionThread {
                id,
                status: super::QuestionStatus::parse(&header.status)
                    .unwrap_or(super::QuestionStatus::Open),
                asked: crate::time::display(header.created_at),
                page_path: header.page_path,
                asker_name: header.asker_name,
                municipality: header.municipality,
                messages: super::storage::messages(&state.pool, id).await?,
                as_team: crate::auth::guard::Rule::ProjectTeam.allows(&user),
                faq_id: super::storage::faq_of_question(&state.pool, id).await?,
            })
        }
        .await,
    )
}

/// A message in the thread, by the asker or the project team.
#[server(prefix = "/api", endpoint = "reply_question")]
pub async fn reply_question(id: i64, text: String) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            let header = ssr::visible(&state, &user, id).await?;
            let text = super::validate_text(&text)?;
            // The asker writes as asker even if they belong to the team.
            let from_team =
                crate::auth::guard::Rule::ProjectTeam.allows(&user) && header.asker_id != user.id;
            let message =
                super::storage::reply(&state.pool, &user, id, &text, from_team, crate::time::now())
                    .await?;
            if header.asker_id == user.id {
                super::storage::mark_seen(&state.pool, id).await?;
            }
            Ok(message)
        }
        .await,
    )
}

/// Marks a question done (asker or project team).
#[server(prefix = "/api", endpoint = "close_question")]
pub async fn close_question(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            ssr::visible(&state, &user, id).await?;
            super::storage::close(&state.pool, id, crate::time::now()).await?;
            Ok(())
        }
        .await,
    )
}

/// „Als FAQ übernehmen“: the question and the newest team answer become a
/// FAQ entry (edited afterwards on the FAQ page). Returns the entry's id.
#[server(prefix = "/api", endpoint = "question_to_faq")]
pub async fn question_to_faq(id: i64) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            ssr::visible(&state, &user, id).await?;
            if let Some(existing) = super::storage::faq_of_question(&state.pool, id).await? {
                return Ok(existing);
            }
            let (question, answer) = super::storage::faq_material(&state.pool, id)
                .await?
                .ok_or_else(|| {
                    AppError::invalid("Die Frage hat noch keine Antwort des Projektteams.")
                })?;
            let (question, answer) = super::validate_faq(&question, &answer)?;
            super::storage::save_faq(
                &state.pool,
                &user,
                None,
                &question,
                &answer,
                Some(id),
                crate::time::now(),
            )
            .await?
            .ok_or(AppError::Internal)
        }
        .await,
    )
}

/// The FAQ, for everybody signed in.
#[server(prefix = "/api", endpoint = "list_faq")]
pub async fn list_faq() -> Result<FaqList, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::SignedIn)?;
            Ok(FaqList {
                entries: super::storage::list_faq(&state.pool).await?,
                may_edit: crate::auth::guard::Rule::ProjectTeam.allows(&user),
            })
        }
        .await,
    )
}

/// Writes a new FAQ entry or changes one (project team).
#[server(prefix = "/api", endpoint = "save_faq")]
pub async fn save_faq(id: Option<i64>, question: String, answer: String) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            let (question, answer) = super::validate_faq(&question, &answer)?;
            super::storage::save_faq(
                &state.pool,
                &user,
                id,
                &question,
                &answer,
                None,
                crate::time::now(),
            )
            .await?
            .ok_or_else(|| AppError::NotFound("Der FAQ-Eintrag".into()))
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "delete_faq")]
pub async fn delete_faq(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = crate::auth::guard::require(crate::auth::guard::Rule::ProjectTeam)?;
            if !super::storage::delete_faq(&state.pool, &user, id).await? {
                return Err(AppError::NotFound("Der FAQ-Eintrag".into()));
            }
            Ok(())
        }
        .await,
    )
}
