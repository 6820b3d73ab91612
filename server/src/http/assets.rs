//! The browser bundle under `/pkg/` (WASM modules, JS, CSS): static files,
//! sent brotli- or gzip-compressed when the browser accepts it. The release
//! build writes a `.br` and a `.gz` copy next to every file
//! (scripts/build.sh); compressing once there at the highest levels beats
//! compressing a megabyte of WASM per request. A file without copies (the
//! debug build) goes out as it is.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::{get, MethodRouter};
use std::path::PathBuf;
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// `GET /pkg/{*file}` from `<site_root>/pkg`.
pub fn pkg<S: Clone + Send + Sync + 'static>(site_root: PathBuf) -> MethodRouter<S> {
    // ServeDir maps the whole request path below the root it is given, so
    // `/pkg/x.wasm` resolves to `<site_root>/pkg/x.wasm`; it refuses paths
    // that leave the root.
    let files = ServeDir::new(site_root)
        .precompressed_br()
        .precompressed_gzip();
    get(move |request: Request| async move {
        let mut response = match files.oneshot(request).await {
            Ok(response) => response.into_response(),
            Err(infallible) => match infallible {},
        };
        let headers = response.headers_mut();
        // The answer depends on Accept-Encoding: caches must keep one copy
        // per encoding.
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        // The names carry no content hash, and a lazy page's module must
        // come from the same build as the main module (else it fails to
        // link): the browser asks again every time (a 304 when unchanged)
        // instead of guessing a freshness from Last-Modified.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        response
    })
}
