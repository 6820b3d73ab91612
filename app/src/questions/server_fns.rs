//! Server functions for questions and the FAQ. A thread is answered only
//! to its asker and the project team; to everyone else it does not exist.

use super::{FaqList, QuestionSummary, QuestionThread};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::auth::guard::{require, Rule};

/// Sends a question from the page `page_path`; returns its id.
#[server(prefix = "/api", endpoint = "ask_question", output = crate::server_json::Json)]
pub async fn ask_question(text: String, page_path: String) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::ask(&state, &user, &text, &page_path).await
        }
        .await,
    )
}

/// My questions; for the project team also everyone's.
#[server(prefix = "/api", endpoint = "list_questions", output = crate::server_json::Json)]
pub async fn list_questions(
) -> Result<(Vec<QuestionSummary>, Option<Vec<QuestionSummary>>), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::list(&state, &user).await
        }
        .await,
    )
}

/// One thread. When the asker opens it, its answers count as seen.
#[server(prefix = "/api", endpoint = "get_question", output = crate::server_json::Json)]
pub async fn get_question(id: i64) -> Result<QuestionThread, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::thread(&state, &user, id).await
        }
        .await,
    )
}

/// A message in the thread, by the asker or the project team.
#[server(prefix = "/api", endpoint = "reply_question", output = crate::server_json::Json)]
pub async fn reply_question(id: i64, text: String) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::reply(&state, &user, id, &text).await
        }
        .await,
    )
}

/// Marks a question done (asker or project team).
#[server(prefix = "/api", endpoint = "close_question", output = crate::server_json::Json)]
pub async fn close_question(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::close(&state, &user, id).await
        }
        .await,
    )
}

/// „Als FAQ übernehmen“: the question and the newest team answer become a
/// FAQ entry (edited afterwards on the FAQ page). Returns the entry's id.
#[server(prefix = "/api", endpoint = "question_to_faq", output = crate::server_json::Json)]
pub async fn question_to_faq(id: i64) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::to_faq(&state, &user, id).await
        }
        .await,
    )
}

/// The FAQ, for everybody signed in.
#[server(prefix = "/api", endpoint = "list_faq", output = crate::server_json::Json)]
pub async fn list_faq() -> Result<FaqList, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::SignedIn)?;
            super::service::faq(&state, &user).await
        }
        .await,
    )
}

/// Writes a new FAQ entry or changes one (project team).
#[server(prefix = "/api", endpoint = "save_faq", output = crate::server_json::Json)]
pub async fn save_faq(id: Option<i64>, question: String, answer: String) -> Result<i64, AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::save_faq(&state, &user, id, &question, &answer).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "delete_faq", output = crate::server_json::Json)]
pub async fn delete_faq(id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let (user, state) = require(Rule::ProjectTeam)?;
            super::service::delete_faq(&state, &user, id).await
        }
        .await,
    )
}
