//! Loads the session behind the cookie for every request and puts the user
//! into the request extensions, where server functions find it. Page requests
//! without a valid session are sent to the login page.

use super::cookies;
use app::auth::{session, SessionToken};
use app::error::AppError;
use app::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// Pages anyone may see without logging in.
const PUBLIC_PAGES: [&str; 2] = ["/anmelden", "/barrierefreiheit"];

/// A request for a rendered page (as opposed to assets, server functions or
/// the plain routes).
fn is_page_request(method: &Method, path: &str) -> bool {
    if !matches!(*method, Method::GET | Method::HEAD) {
        return false;
    }
    if path.starts_with("/api/") || path.starts_with("/pkg/") || path == "/healthz" {
        return false;
    }
    // Files from `public/` (favicon.svg, robots.txt …). Plan codes such as
    // `/aktenplan/621.1` contain dots too, so only asset extensions count.
    let last = path.rsplit('/').next().unwrap_or_default();
    !last
        .rsplit_once('.')
        .is_some_and(|(_, ext)| ASSET_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Static files and file routes (`/export/aktenplan.csv`) that answer
/// 401 themselves instead of redirecting to the login page.
const ASSET_EXTENSIONS: [&str; 14] = [
    "css",
    "js",
    "wasm",
    "svg",
    "ico",
    "png",
    "jpg",
    "txt",
    "json",
    "webmanifest",
    "woff",
    "woff2",
    "map",
    "csv",
];

/// What a session that must still replace its one-time password may
/// request besides pages (which are redirected to `/konto/passwort`):
/// changing it, asking who it is, signing out or in, and static files.
fn allowed_during_password_change(path: &str) -> bool {
    matches!(
        path,
        "/api/change_password" | "/api/current_user" | "/abmelden" | "/anmelden" | "/healthz"
    ) || is_static_asset(path)
}

/// The bundle under `/pkg/` and the files from `public/` at the top level
/// (`/favicon.svg`); not the data exports that end in `.csv` or `.ics`.
fn is_static_asset(path: &str) -> bool {
    if path.starts_with("/pkg/") {
        return true;
    }
    let Some(name) = path.strip_prefix('/') else {
        return false;
    };
    !name.contains('/')
        && name.rsplit_once('.').is_some_and(|(_, ext)| {
            let ext = ext.to_ascii_lowercase();
            ext != "csv" && ASSET_EXTENSIONS.contains(&ext.as_str())
        })
}

/// 403 with the error's JSON (`code` `password_change_required` and the
/// German message), which the browser side turns back into the
/// [`AppError`] and shows.
fn password_change_required() -> Response {
    (
        StatusCode::FORBIDDEN,
        axum::Json(AppError::PasswordChangeRequired),
    )
        .into_response()
}

/// `/anmelden?weiter=…` for coming back after login.
fn login_redirect(path_and_query: &str, expired: bool) -> String {
    let mut target = String::from("/anmelden?weiter=");
    target.push_str(&encode_query_value(path_and_query));
    if expired {
        target.push_str("&abgelaufen=1");
    }
    target
}

fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(byte))
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

pub async fn layer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let settings = &state.settings;
    let cookie_name = cookies::session_cookie_name(settings.secure_cookies);
    let token = cookies::read(request.headers(), cookie_name);
    let mut user = None;
    let mut stale_cookie = false;
    if let Some(token) = &token {
        match session::lookup(&state, token).await {
            Ok(Some(found)) => user = Some(found),
            Ok(None) => stale_cookie = true,
            Err(error) => {
                tracing::error!(%error, "session lookup failed");
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                    "Aktenwerk ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten erneut.",
                )
                    .into_response();
            }
        }
    }

    let path = request.uri().path().to_string();
    if is_page_request(request.method(), &path) {
        let path_and_query = request
            .uri()
            .path_and_query()
            .map(|pq| pq.as_str().to_string())
            .unwrap_or_else(|| path.clone());
        let public = PUBLIC_PAGES.contains(&path.as_str());
        let redirect = match &user {
            None if !public => Some(login_redirect(&path_and_query, stale_cookie)),
            Some(_) if path == "/anmelden" => Some("/".to_string()),
            Some(found) if found.must_change_password && !public && path != "/konto/passwort" => {
                Some("/konto/passwort".to_string())
            }
            _ => None,
        };
        if let Some(target) = redirect {
            let mut response = Redirect::to(&target).into_response();
            if stale_cookie {
                clear_cookie(&mut response, settings.secure_cookies);
            }
            return response;
        }
    }

    // Everything else (server functions, uploads, exports) waits until the
    // one-time password is replaced.
    if user.as_ref().is_some_and(|u| u.must_change_password)
        && !is_page_request(request.method(), &path)
        && !allowed_during_password_change(&path)
    {
        return password_change_required();
    }

    if let (Some(user), Some(token)) = (user, token) {
        request.extensions_mut().insert(user);
        request.extensions_mut().insert(SessionToken(token));
    }
    let mut response = next.run(request).await;
    if stale_cookie {
        clear_cookie(&mut response, settings.secure_cookies);
    }
    response
}

fn clear_cookie(response: &mut Response, secure: bool) {
    if let Ok(value) = HeaderValue::from_str(&cookies::clear_session(secure)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_told_apart_from_assets_and_api() {
        assert!(is_page_request(&Method::GET, "/"));
        assert!(is_page_request(&Method::GET, "/verwaltung"));
        assert!(!is_page_request(&Method::POST, "/verwaltung"));
        assert!(!is_page_request(&Method::GET, "/pkg/aktenwerk.wasm"));
        assert!(!is_page_request(&Method::GET, "/api/current_user"));
        assert!(!is_page_request(&Method::GET, "/favicon.svg"));
        assert!(!is_page_request(&Method::GET, "/healthz"));
        assert!(!is_page_request(&Method::GET, "/robots.txt"));
        // Deep links to plan positions are pages, and need a login.
        assert!(is_page_request(&Method::GET, "/aktenplan/621.1"));
        assert!(is_page_request(&Method::GET, "/aktenplan/022.3"));
    }

    #[test]
    fn a_one_time_password_session_reaches_only_the_password_change() {
        for allowed in [
            "/api/change_password",
            "/api/current_user",
            "/abmelden",
            "/healthz",
            "/pkg/aktenwerk.wasm",
            "/pkg/aktenwerk.css",
            "/favicon.svg",
            "/robots.txt",
        ] {
            assert!(allowed_during_password_change(allowed), "{allowed}");
        }
        for refused in [
            "/api/list_users",
            "/api/reset_password",
            "/dokumente/hochladen",
            "/export/aktenplan.csv",
            "/einfuehrung/zahlen.csv",
            "/schulungstermine/3/kalender.ics",
            "/schulungstermine/3/teilnehmende.csv",
            "/dokumente/5/datei",
            "/api/change_password/x",
        ] {
            assert!(!allowed_during_password_change(refused), "{refused}");
        }
    }

    #[test]
    fn login_redirect_keeps_the_target_encoded() {
        assert_eq!(
            login_redirect("/verwaltung?bearbeiten=5&x=ä", true),
            "/anmelden?weiter=/verwaltung%3Fbearbeiten%3D5%26x%3D%C3%A4&abgelaufen=1"
        );
    }
}
