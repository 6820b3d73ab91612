//! The login and logout form handlers. They are plain HTML form posts so
//! that logging in works without JavaScript; API clients asking for JSON get
//! JSON with a status code instead of a redirect.

use super::cookies;
use app::auth::{login, login::LoginError, ClientAddress};
use app::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form, Json};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub benutzername: String,
    #[serde(default)]
    pub passwort: String,
    #[serde(default)]
    pub weiter: String,
}

/// Where to go after login: only paths on this site, never `//host` or
/// `/\host` (which browsers treat as another site) and never back to login.
pub fn safe_target(requested: &str) -> String {
    let ok = requested.starts_with('/')
        && !requested.starts_with("//")
        && !requested.starts_with("/\\")
        && !requested.chars().any(|c| c.is_control() || c == '\\')
        && !requested.starts_with("/anmelden")
        && requested.len() <= 2000;
    if ok {
        requested.to_string()
    } else {
        "/".to_string()
    }
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json"))
}

fn failure(json: bool, error: &LoginError, form: &LoginForm) -> Response {
    if json {
        let status = match error {
            LoginError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            LoginError::Throttled { .. } | LoginError::Busy => StatusCode::TOO_MANY_REQUESTS,
            LoginError::Internal => StatusCode::SERVICE_UNAVAILABLE,
        };
        return (
            status,
            Json(serde_json::json!({ "fehler": error.to_string() })),
        )
            .into_response();
    }
    let mut target = format!("/anmelden?fehler={}", error.code());
    if let LoginError::Throttled { minutes } = error {
        target.push_str(&format!("&minuten={minutes}"));
    }
    let next = safe_target(&form.weiter);
    if next != "/" {
        target.push_str("&weiter=");
        target.push_str(&form_urlencode(&next));
    }
    Redirect::to(&target).into_response()
}

fn form_urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

pub async fn login(
    State(state): State<AppState>,
    address: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let json = wants_json(&headers);
    if form.benutzername.trim().is_empty() || form.passwort.is_empty() {
        if json {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(serde_json::json!({ "fehler": "Bitte geben Sie Benutzername und Passwort ein." })),
            )
                .into_response();
        }
        return Redirect::to("/anmelden?fehler=leer").into_response();
    }
    let address = address.map(|Extension(a)| a.0);
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let secure = state.settings.secure_cookies;
    let previous = cookies::read(&headers, cookies::session_cookie_name(secure));
    match login::attempt(
        &state,
        &form.benutzername,
        &form.passwort,
        address.as_deref(),
        user_agent,
    )
    .await
    {
        Ok(token) => {
            // Rotation: a session the browser held before login is ended.
            if let Some(previous) = previous {
                if let Err(error) =
                    app::auth::session::delete(&state.pool, &state.settings.session_key, &previous)
                        .await
                {
                    tracing::warn!(%error, "could not end previous session");
                }
            }
            let cookie = cookies::set_session(
                secure,
                &token,
                state.settings.session_policy.absolute_timeout_secs,
            );
            let mut response = if json {
                Json(serde_json::json!({ "ok": true })).into_response()
            } else {
                Redirect::to(&safe_target(&form.weiter)).into_response()
            };
            match HeaderValue::from_str(&cookie) {
                Ok(value) => {
                    response.headers_mut().append(header::SET_COOKIE, value);
                    response
                }
                Err(_) => failure(json, &LoginError::Internal, &form),
            }
        }
        Err(error) => failure(json, &error, &form),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    address: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
) -> Response {
    let secure = state.settings.secure_cookies;
    if let Some(token) = cookies::read(&headers, cookies::session_cookie_name(secure)) {
        let address = address.map(|Extension(a)| a.0);
        if let Err(error) = login::logout(&state, &token, address.as_deref()).await {
            tracing::error!(%error, "logout failed");
        }
    }
    let mut response = Redirect::to("/anmelden?abgemeldet=1").into_response();
    if let Ok(value) = HeaderValue::from_str(&cookies::clear_session(secure)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::safe_target;

    #[test]
    fn redirect_targets_stay_on_site() {
        assert_eq!(
            safe_target("/verwaltung?bearbeiten=5"),
            "/verwaltung?bearbeiten=5"
        );
        for hostile in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "/%0d%0aSet-Cookie:x",
            "javascript:alert(1)",
            "",
            "/anmelden?weiter=/x",
            "/a\r\nLocation: //evil",
        ] {
            let target = safe_target(hostile);
            assert!(
                target == "/" || target.starts_with("/%0d"),
                "{hostile} → {target}"
            );
        }
    }
}
