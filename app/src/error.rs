//! The one error type that crosses from server functions to the browser.
//!
//! Every variant carries a German message meant for a clerk; internals (SQL,
//! file paths, panics) are logged on the server and never serialised.

use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(into = "WireError", from = "WireError")]
pub enum AppError {
    #[error(
        "Ihre Sitzung ist abgelaufen oder Sie sind nicht angemeldet. Bitte melden Sie sich an."
    )]
    NotLoggedIn,
    #[error("Dafür fehlt Ihnen die Berechtigung.")]
    Forbidden,
    /// A session with a one-time password may only change it or sign out.
    #[error("Bitte ändern Sie zuerst Ihr Einmal-Passwort unter „Passwort ändern“.")]
    PasswordChangeRequired,
    #[error("{0} wurde nicht gefunden.")]
    NotFound(String),
    /// Input that failed validation; the text says what to correct.
    #[error("{0}")]
    Invalid(String),
    /// The request clashes with existing data (e.g. a user name in use).
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es erneut; besteht das Problem weiter, wenden Sie sich an die IT.")]
    Internal,
    /// The browser could not reach the server or understand its answer.
    #[error("Der Server ist gerade nicht erreichbar. Bitte prüfen Sie die Netzwerkverbindung und versuchen Sie es erneut.")]
    Communication,
}

/// How an [`AppError`] travels: a stable code for programs, the German
/// message for people, and the variant's payload.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct WireError {
    code: String,
    message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
}

impl From<AppError> for WireError {
    fn from(error: AppError) -> Self {
        let message = error.to_string();
        let (code, detail) = match error {
            AppError::NotLoggedIn => ("not_logged_in", None),
            AppError::Forbidden => ("forbidden", None),
            AppError::PasswordChangeRequired => ("password_change_required", None),
            AppError::NotFound(what) => ("not_found", Some(what)),
            AppError::Invalid(text) => ("invalid", Some(text)),
            AppError::Conflict(text) => ("conflict", Some(text)),
            AppError::TooManyRequests(text) => ("too_many_requests", Some(text)),
            AppError::Internal => ("internal", None),
            AppError::Communication => ("communication", None),
        };
        WireError {
            code: code.to_string(),
            message,
            detail,
        }
    }
}

impl From<WireError> for AppError {
    fn from(wire: WireError) -> Self {
        let detail = wire.detail.unwrap_or(wire.message);
        match wire.code.as_str() {
            "not_logged_in" => AppError::NotLoggedIn,
            "forbidden" => AppError::Forbidden,
            "password_change_required" => AppError::PasswordChangeRequired,
            "not_found" => AppError::NotFound(detail),
            "invalid" => AppError::Invalid(detail),
            "conflict" => AppError::Conflict(detail),
            "too_many_requests" => AppError::TooManyRequests(detail),
            "communication" => AppError::Communication,
            _ => AppError::Internal,
        }
    }
}

impl AppError {
    /// The HTTP status an API client sees for this error.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotLoggedIn => 401,
            AppError::Forbidden | AppError::PasswordChangeRequired => 403,
            AppError::NotFound(_) => 404,
            AppError::Invalid(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::TooManyRequests(_) => 429,
            AppError::Internal => 500,
            AppError::Communication => 502,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        AppError::Invalid(message.into())
    }
}

impl FromServerFnError for AppError {
    // Read like every other answer (crate::server_json).
    type Encoder = crate::server_json::JsonText;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_)
            | ServerFnErrorErr::Response(_)
            | ServerFnErrorErr::Deserialization(_) => AppError::Communication,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::invalid("Die Anfrage war unvollständig oder fehlerhaft.")
            }
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "database error");
        AppError::Internal
    }
}

/// Sets the HTTP status of the current server-function response to match the
/// error, so API clients get 401/403/422/... rather than a blanket 500.
#[cfg(feature = "ssr")]
pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        if let Some(options) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(status) = axum::http::StatusCode::from_u16(error.status_code()) {
                options.set_status(status);
            }
        }
    }
    result
}

/// Handlers and extractors answer API clients the way server functions do:
/// the status of [`AppError::status_code`] and the JSON of [`WireError`].
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let status = axum::http::StatusCode::from_u16(self.status_code())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        (status, axum::Json(WireError::from(self))).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_german_and_statuses_distinct() {
        assert_eq!(AppError::Forbidden.status_code(), 403);
        assert_eq!(AppError::NotLoggedIn.status_code(), 401);
        assert!(AppError::Forbidden.to_string().contains("Berechtigung"));
        assert!(AppError::NotFound("Die Akte".into())
            .to_string()
            .starts_with("Die Akte wurde nicht gefunden"));
    }

    #[test]
    fn wire_form_has_code_and_german_message_and_round_trips() {
        for error in [
            AppError::Forbidden,
            AppError::PasswordChangeRequired,
            AppError::NotFound("Die Akte".into()),
            AppError::invalid("Bitte einen Namen angeben."),
            AppError::Internal,
        ] {
            let json = serde_json::to_value(&error).expect("serialize");
            assert_eq!(json["message"], error.to_string());
            let back: AppError = serde_json::from_value(json).expect("deserialize");
            assert_eq!(back, error);
        }
        let json = serde_json::to_value(AppError::Forbidden).expect("serialize");
        assert_eq!(json["code"], "forbidden");
    }

    #[test]
    fn transport_errors_never_leak_details() {
        let err = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(
            "SQLITE_CONSTRAINT users.username".into(),
        ));
        assert_eq!(err, AppError::Internal);
        assert!(!err.to_string().contains("SQLITE"));
    }
}
