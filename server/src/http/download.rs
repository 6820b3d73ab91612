//! Responses shared by the file routes: a German refusal with the error's
//! status, and a file to save.

use app::auth::guard::Rule;
use app::auth::SessionUser;
use app::error::AppError;
use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;

pub fn refuse(error: AppError) -> Response {
    (
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        error.to_string(),
    )
        .into_response()
}

/// The signed-in person allowed by `rule` and the id in the path, or the
/// refusal. The rule comes first: to those it refuses, a malformed id is
/// no different; to the others it is `unknown`, like an id nobody has.
pub fn allowed_with_id(
    user: Option<Extension<SessionUser>>,
    rule: Rule,
    id: Result<Path<i64>, PathRejection>,
    unknown: &str,
) -> Result<(SessionUser, i64), Box<Response>> {
    let Some(Extension(user)) = user else {
        return Err(Box::new(refuse(AppError::NotLoggedIn)));
    };
    if let Err(error) = app::auth::guard::check(&user, rule) {
        return Err(Box::new(refuse(error)));
    }
    let Ok(Path(id)) = id else {
        return Err(Box::new(refuse(AppError::NotFound(unknown.into()))));
    };
    Ok((user, id))
}

/// `file_name` must be plain ASCII without quotes.
pub fn attachment(content_type: &'static str, file_name: String, body: String) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}
