//! The German page shown when a request fails inside the server. Details go
//! to the log, never to the browser.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const PAGE: &str = r#"<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fehler – Aktenwerk</title><link rel="stylesheet" href="/pkg/aktenwerk.css"></head>
<body><main id="inhalt" class="content standalone">
<h1>Da ist etwas schiefgegangen</h1>
<p>Aktenwerk konnte Ihre Anfrage nicht bearbeiten. Ihre gespeicherten Daten sind davon nicht betroffen.</p>
<p>Bitte laden Sie die Seite neu. Besteht das Problem weiter, wenden Sie sich an die IT-Administration Ihrer Gemeinde
und nennen Sie die Uhrzeit.</p>
<p><a href="/">Zur Startseite</a></p>
</main></body></html>"#;

/// Answer for a panic caught by `CatchPanicLayer`.
pub fn panic_response(payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = detail, "request handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        PAGE,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn panic_page_is_german_and_hides_the_cause() {
        let response = super::panic_response(Box::new("secret path /var/lib/x".to_string()));
        assert_eq!(response.status(), 500);
        assert!(super::PAGE.contains("Da ist etwas schiefgegangen"));
        assert!(!super::PAGE.contains("secret"));
    }
}
