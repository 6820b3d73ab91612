//! PDF versions of Dienstanweisungen and Leitfäden over plain HTTP, the
//! same way documents travel (see `documents.rs`):
//!
//! - `POST /dienstanweisungen/{id}/pdf?name=…&hinweis=…&kenntnisnahme=0|1`:
//!   the body is the PDF. Only the project team; the content must really
//!   be a PDF. Answers 201 with `{ "version": N }`.
//! - `GET /dienstanweisungen/versionen/{version_id}/datei[?ansicht=1]`: the
//!   file for everyone signed in (inline in the browser with `ansicht=1`).

use super::documents::{inspect, internal, receive_upload, refuse, verified_stream};
use app::auth::guard::{rules, Allowed};
use app::auth::ClientAddress;
use app::documents::filename::{self, Disposition};
use app::documents::filetype::FileKind;
use app::error::AppError;
use app::guides::service;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;

/// Refusals as the upload route gives them; a failure to store keeps the
/// upload's own wording ("nothing was filed").
fn answer(error: AppError) -> Response {
    match error {
        AppError::Internal => internal(),
        other => other.into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub struct PdfQuery {
    name: Option<String>,
    hinweis: Option<String>,
    kenntnisnahme: Option<u8>,
}

pub async fn upload_pdf(
    State(state): State<AppState>,
    Allowed { user, .. }: Allowed<rules::ProjectTeam>,
    address: Option<Extension<ClientAddress>>,
    Path(guide_id): Path<i64>,
    query: Result<Query<PdfQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Ok(Query(query)) = query else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid",
            "Die Anfrage ist unvollständig.",
        );
    };
    let note = match service::check_pdf_upload(
        &state,
        &user,
        guide_id,
        query.hinweis.as_deref().unwrap_or_default(),
    )
    .await
    {
        Ok(note) => note,
        Err(error) => return answer(error),
    };
    let name = filename::clean_file_name(query.name.as_deref().unwrap_or("dokument.pdf"));
    let pending = match receive_upload(&state, &headers, body, &name).await {
        Ok(pending) => pending,
        Err(refusal) => return *refusal,
    };
    match inspect(&pending, &name).await {
        Ok(FileKind::Pdf) => {}
        Ok(_) => {
            pending.discard().await;
            return refuse(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "type_refused",
                format!("„{name}“ ist keine PDF-Datei. Dienstanweisungen und Leitfäden werden als PDF oder als Text angelegt."),
            );
        }
        Err(message) => {
            pending.discard().await;
            return refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE, "type_refused", message);
        }
    }
    let ip = address.map(|Extension(a)| a.0);
    match service::add_pdf(
        &state,
        &user,
        ip,
        guide_id,
        pending,
        &name,
        &note,
        query.kenntnisnahme == Some(1),
    )
    .await
    {
        Ok(number) => (
            StatusCode::CREATED,
            Json(serde_json::json!({ "version": number })),
        )
            .into_response(),
        Err(error) => answer(error),
    }
}

#[derive(Debug, Deserialize)]
pub struct FileQuery {
    ansicht: Option<u8>,
}

pub async fn download_pdf(
    State(state): State<AppState>,
    Allowed { user, .. }: Allowed<rules::SignedIn>,
    Path(version_id): Path<i64>,
    query: Result<Query<FileQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let inline = matches!(query, Ok(Query(FileQuery { ansicht: Some(1) })));
    let (sha256, file_name, size) = match service::pdf_file(&state, &user, version_id).await {
        Ok(file) => file,
        Err(error) => return error.into_response(),
    };
    let blob = match state.blobs.open(&sha256).await {
        Ok(blob) => blob,
        Err(error) => {
            tracing::error!(%error, sha = %sha256, "guide file missing");
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "missing",
                "Die Datei fehlt im Speicher. Bitte wenden Sie sich an die IT.",
            );
        }
    };
    let disposition = filename::content_disposition(
        if inline {
            Disposition::Inline
        } else {
            Disposition::Attachment
        },
        &file_name,
    );
    let mut response = Response::new(Body::from_stream(verified_stream(blob, sha256)));
    let headers = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(
        header::CONTENT_TYPE,
        if inline {
            "application/pdf"
        } else {
            "application/octet-stream"
        },
    );
    set(header::CONTENT_LENGTH, &size.to_string());
    set(header::CONTENT_DISPOSITION, &disposition);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::CACHE_CONTROL, "private, no-store");
    if inline {
        set(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'",
        );
    } else {
        set(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox",
        );
    }
    response
}
