//! Cross-site request forgery protection for every state-changing request
//! (server functions, login and logout forms): the browser-set `Origin`
//! header (or, failing that, `Referer`) must name our own site. Together with
//! `SameSite=Lax` session cookies this follows OWASP's "verify origin with
//! standard headers". Requests that carry neither header are refused.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The origin forms must come from: the configured public URL, or else the
/// `Host` the request was sent to.
#[derive(Clone, Debug)]
pub struct ExpectedOrigin(pub Option<String>);

fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    if host.is_empty() {
        return None;
    }
    Some(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    ))
}

/// True if the request demonstrably comes from a page of our own site.
pub fn is_same_origin(headers: &HeaderMap, expected: &ExpectedOrigin) -> bool {
    if headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| site == "cross-site" || site == "same-site")
    {
        return false;
    }
    let claimed = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|v| *v != "null")
        .or_else(|| headers.get(header::REFERER).and_then(|v| v.to_str().ok()))
        .and_then(origin_of);
    let Some(claimed) = claimed else {
        return false;
    };
    match &expected.0 {
        Some(public) => origin_of(public).is_some_and(|public| public == claimed),
        None => headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|host| {
                let host = host.to_ascii_lowercase();
                claimed == format!("http://{host}") || claimed == format!("https://{host}")
            }),
    }
}

pub async fn layer(
    State(expected): State<ExpectedOrigin>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || is_same_origin(request.headers(), &expected) {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "refused request without same-origin proof");
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Diese Anfrage wurde aus Sicherheitsgründen abgelehnt, weil sie nicht von einer Aktenwerk-Seite stammt. \
         Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn same_host_origin_is_accepted() {
        let none = ExpectedOrigin(None);
        assert!(is_same_origin(
            &headers(&[
                ("host", "localhost:3000"),
                ("origin", "http://localhost:3000")
            ]),
            &none
        ));
        assert!(is_same_origin(
            &headers(&[
                ("host", "localhost:3000"),
                ("referer", "http://localhost:3000/anmelden?x=1")
            ]),
            &none
        ));
    }

    #[test]
    fn foreign_missing_or_null_origin_is_refused() {
        let none = ExpectedOrigin(None);
        assert!(!is_same_origin(
            &headers(&[
                ("host", "localhost:3000"),
                ("origin", "http://evil.example")
            ]),
            &none
        ));
        assert!(!is_same_origin(
            &headers(&[("host", "localhost:3000")]),
            &none
        ));
        assert!(!is_same_origin(
            &headers(&[("host", "localhost:3000"), ("origin", "null")]),
            &none
        ));
        assert!(!is_same_origin(
            &headers(&[
                ("host", "localhost:3000"),
                ("origin", "http://localhost:3000"),
                ("sec-fetch-site", "cross-site")
            ]),
            &none
        ));
        // A look-alike host must not pass as a prefix match.
        assert!(!is_same_origin(
            &headers(&[
                ("host", "localhost:3000"),
                ("origin", "http://localhost:30001")
            ]),
            &none
        ));
    }

    #[test]
    fn configured_public_url_wins_over_host() {
        let public = ExpectedOrigin(Some("https://aktenwerk.michelstadt.de".into()));
        assert!(is_same_origin(
            &headers(&[
                ("host", "10.0.0.5:3000"),
                ("origin", "https://aktenwerk.michelstadt.de")
            ]),
            &public
        ));
        assert!(!is_same_origin(
            &headers(&[
                ("host", "10.0.0.5:3000"),
                ("origin", "http://10.0.0.5:3000")
            ]),
            &public
        ));
    }
}
