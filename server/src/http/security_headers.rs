//! Headers every response carries. Pages set their own CSP with a nonce
//! (see `app::shell::security`); everything else gets a strict default.

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

#[derive(Clone, Copy, Debug)]
pub struct Hsts(pub bool);

const DEFAULT_CSP: &str =
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

pub async fn layer(State(hsts): State<Hsts>, request: Request, next: Next) -> Response {
    let cacheable = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "same-origin");
    set(header::CONTENT_SECURITY_POLICY, DEFAULT_CSP);
    set(
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    set(
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    // Pages and API answers hold personal data: no caching in shared caches
    // or the browser's back/forward history after logout.
    if !cacheable {
        set(header::CACHE_CONTROL, "no-store");
    }
    if hsts.0 {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    response
}
