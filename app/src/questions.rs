//! Questions to the project team: asked from any page (the page is
//! recorded), answered in a thread only the asker and the project team
//! see, and – when the answer helps everyone – taken over into the FAQ.

pub mod ask;
pub mod page;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod storage;

use crate::auth::SessionUser;
use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// May `user` see the thread of a question asked by `asker_id`?
pub fn may_see_thread(user: &SessionUser, asker_id: i64) -> bool {
    user.id == asker_id || crate::auth::guard::Rule::ProjectTeam.allows(user)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionStatus {
    /// Waiting for the project team.
    Open,
    Answered,
    Closed,
}

impl QuestionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionStatus::Open => "open",
            QuestionStatus::Answered => "answered",
            QuestionStatus::Closed => "closed",
        }
    }

    pub fn parse(value: &str) -> Option<QuestionStatus> {
        [
            QuestionStatus::Open,
            QuestionStatus::Answered,
            QuestionStatus::Closed,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            QuestionStatus::Open => "wartet auf Antwort",
            QuestionStatus::Answered => "beantwortet",
            QuestionStatus::Closed => "erledigt",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionSummary {
    pub id: i64,
    pub excerpt: String,
    pub page_path: String,
    pub status: QuestionStatus,
    pub asked: String,
    pub asker_name: String,
    pub municipality: String,
    /// For the asker: an answer not seen yet.
    pub unseen_answer: bool,
    pub messages: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: i64,
    pub author_name: String,
    pub from_team: bool,
    /// Sanitised HTML of the Markdown text.
    pub body_html: String,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionThread {
    pub id: i64,
    pub page_path: String,
    pub status: QuestionStatus,
    pub asked: String,
    pub asker_name: String,
    pub municipality: String,
    pub messages: Vec<Message>,
    /// The viewer answers as project team.
    pub as_team: bool,
    /// A FAQ entry made from this question, if any.
    pub faq_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqEntry {
    pub id: i64,
    pub question: String,
    pub answer: String,
    pub answer_html: String,
    pub updated: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqList {
    pub entries: Vec<FaqEntry>,
    pub may_edit: bool,
}

pub const MAX_QUESTION_CHARS: usize = 4000;

/// Checks a question or reply text; returns it trimmed.
pub fn validate_text(text: &str) -> Result<String, AppError> {
    let text = text.trim();
    if text.chars().count() < 3 {
        return Err(AppError::invalid(
            "Bitte schreiben Sie Ihre Frage oder Antwort (mindestens 3 Zeichen).",
        ));
    }
    if text.chars().count() > MAX_QUESTION_CHARS {
        return Err(AppError::invalid(format!(
            "Der Text ist zu lang (höchstens {MAX_QUESTION_CHARS} Zeichen)."
        )));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(AppError::invalid(
            "Der Text enthält unzulässige Steuerzeichen.",
        ));
    }
    Ok(text.to_string())
}

/// The page a question came from: an Aktenwerk path, nothing else (no
/// other server, no script), at most 300 characters; otherwise "/".
pub fn clean_page_path(path: &str) -> String {
    let path = path.trim();
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && path.chars().count() <= 300
        && !path.chars().any(|c| c.is_control() || c == '\\');
    if ok {
        path.to_string()
    } else {
        "/".to_string()
    }
}

/// Checks a FAQ entry.
pub fn validate_faq(question: &str, answer: &str) -> Result<(String, String), AppError> {
    let question = question.trim();
    let answer = answer.trim();
    if question.is_empty() || question.chars().count() > 1000 {
        return Err(AppError::invalid(
            "Bitte geben Sie die Frage an (höchstens 1000 Zeichen).",
        ));
    }
    if answer.is_empty() {
        return Err(AppError::invalid("Bitte geben Sie die Antwort an."));
    }
    crate::markdown::check_length(answer, "Die Antwort")?;
    Ok((question.to_string(), answer.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;
    use crate::municipalities::Municipality;

    fn user(id: i64, role: Role) -> SessionUser {
        SessionUser {
            id,
            username: format!("u{id}"),
            display_name: format!("U{id}"),
            role,
            municipality: Municipality {
                id: 2,
                code: "ERB".into(),
                name: "Erbach".into(),
            },
            all_municipalities: false,
            must_change_password: false,
            practice: None,
        }
    }

    #[test]
    fn only_asker_and_team_see_a_thread() {
        assert!(may_see_thread(&user(5, Role::Sachbearbeitung), 5));
        assert!(!may_see_thread(&user(6, Role::Sachbearbeitung), 5));
        assert!(!may_see_thread(&user(6, Role::Administration), 5));
        assert!(may_see_thread(&user(7, Role::Projektteam), 5));
    }

    #[test]
    fn page_paths_stay_inside_aktenwerk() {
        assert_eq!(clean_page_path("/posteingang"), "/posteingang");
        assert_eq!(clean_page_path("/suche?q=Bauantrag"), "/suche?q=Bauantrag");
        assert_eq!(clean_page_path("https://evil.example"), "/");
        assert_eq!(clean_page_path("//evil.example"), "/");
        assert_eq!(clean_page_path("javascript:alert(1)"), "/");
        assert_eq!(clean_page_path(&format!("/{}", "a".repeat(400))), "/");
    }

    #[test]
    fn texts_are_checked() {
        assert_eq!(
            validate_text("  Wie scanne ich?  ").as_deref(),
            Ok("Wie scanne ich?")
        );
        assert!(validate_text(" a ").is_err());
        assert!(validate_text(&"x".repeat(MAX_QUESTION_CHARS + 1)).is_err());
        assert!(validate_text("Frage\u{0}").is_err());
        assert!(validate_text("Zeile 1\nZeile 2").is_ok());
        assert!(validate_faq("Frage", "").is_err());
        assert!(validate_faq("", "Antwort").is_err());
    }

    #[test]
    fn status_round_trips() {
        for s in [
            QuestionStatus::Open,
            QuestionStatus::Answered,
            QuestionStatus::Closed,
        ] {
            assert_eq!(QuestionStatus::parse(s.as_str()), Some(s));
        }
    }
}
