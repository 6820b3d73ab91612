//! Document files over plain HTTP, because both directions stream:
//!
//! - `POST /dokumente/hochladen?name=…[&akte=…|&vorgang=…|&dokument=…]`: the body is
//!   the file. It is hashed while it is written to a temporary file, its
//!   type is decided from its content, and only after the file sits at its
//!   content address and the rows are committed does the answer say 201.
//! - `GET /dokumente/{id}/datei[?version=N][&ansicht=1]`: the file,
//!   re-hashed while it streams; a file that no longer matches its hash is
//!   cut off rather than delivered changed.
//!
//! Answers are JSON (`UploadAnswer`, `UploadRefusal`) with German messages.

use app::auth::guard::{rules, Allowed};
use app::auth::ClientAddress;
use app::documents::blobs::{BlobError, PendingBlob};
use app::documents::filename::{self, Disposition};
use app::documents::filetype::FileKind;
use app::documents::service::{self, Reading, UploadError};
use app::documents::thumbnail::ThumbnailError;
use app::documents::UploadRefusal;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use http_body_util::BodyExt;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;

/// The content check, shared with the PDFs of Dienstanweisungen.
pub(crate) use app::documents::service::inspect;

pub(crate) fn refuse(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    (
        status,
        Json(UploadRefusal {
            code: code.into(),
            message: message.into(),
            existing_id: None,
        }),
    )
        .into_response()
}

pub(crate) fn internal() -> Response {
    refuse(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Die Datei konnte nicht gespeichert werden. Es wurde nichts abgelegt; bitte versuchen Sie es erneut.",
    )
}

#[derive(Debug, Deserialize)]
pub struct UploadQuery {
    name: Option<String>,
    /// File straight into this Akte.
    akte: Option<i64>,
    /// A new version of this document.
    dokument: Option<i64>,
    /// Into this Vorgang (and so its Akte).
    vorgang: Option<i64>,
}

fn upload_refused(error: &UploadError) -> Response {
    let status =
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(error.refusal())).into_response()
}

pub async fn upload(
    State(state): State<AppState>,
    Allowed { user, .. }: Allowed<rules::Clerk>,
    address: Option<Extension<ClientAddress>>,
    query: Result<Query<UploadQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Ok(Query(query)) = query else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid",
            "Die Anfrage ist unvollständig: Dateiname, Akte oder Dokument sind ungültig.",
        );
    };
    let name = filename::clean_file_name(query.name.as_deref().unwrap_or_default());
    let ip = address.map(|Extension(a)| a.0);
    let target = match service::upload_target(
        &state,
        &user,
        query.akte,
        query.vorgang,
        query.dokument,
    )
    .await
    {
        Ok(target) => target,
        Err(error) => return upload_refused(&error),
    };
    let pending = match receive_upload(&state, &headers, body, &name).await {
        Ok(pending) => pending,
        Err(refusal) => return *refusal,
    };
    match app::documents::mail::upload_unpacked(&state, &user, ip, target, &name, pending).await {
        Ok(answer) => (StatusCode::CREATED, Json(answer)).into_response(),
        Err(error) => upload_refused(&error),
    }
}

/// Receives an upload body into a pending blob within the configured size,
/// or the German refusal to send (too large, empty, interrupted, storage
/// failure). Shared by documents and the PDFs of Dienstanweisungen.
pub(crate) async fn receive_upload(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
    name: &str,
) -> Result<PendingBlob, Box<Response>> {
    let limit = state.settings.max_upload_bytes;
    let too_large = || {
        Box::new(refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!(
                "„{name}“ ist größer als die erlaubten {} MB und wurde nicht gespeichert.",
                limit / (1024 * 1024)
            ),
        ))
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    match receive(state, body, limit).await {
        Ok(pending) => Ok(pending),
        Err(Received::TooLarge) => Err(too_large()),
        Err(Received::Empty) => Err(Box::new(refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty",
            format!("„{name}“ ist leer und wurde nicht gespeichert."),
        ))),
        Err(Received::Interrupted) => Err(Box::new(refuse(
            StatusCode::BAD_REQUEST,
            "interrupted",
            format!("Die Übertragung von „{name}“ brach ab. Es wurde nichts gespeichert; bitte erneut hochladen."),
        ))),
        Err(Received::Failed(error)) => {
            tracing::error!(%error, "upload could not be written");
            Err(Box::new(internal()))
        }
    }
}

enum Received {
    TooLarge,
    Empty,
    Interrupted,
    Failed(BlobError),
}

/// Streams the body to a temporary file; memory stays at one frame plus
/// the write buffer, whatever the file size.
async fn receive(state: &AppState, body: Body, limit: u64) -> Result<PendingBlob, Received> {
    let mut writer = state.blobs.create(limit).await.map_err(Received::Failed)?;
    let mut body = body;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return Err(Received::Interrupted);
        };
        if let Ok(data) = frame.into_data() {
            match writer.write(&data).await {
                Ok(()) => {}
                Err(BlobError::TooLarge) => return Err(Received::TooLarge),
                Err(error) => return Err(Received::Failed(error)),
            }
        }
    }
    if writer.size() == 0 {
        return Err(Received::Empty);
    }
    writer.finish().await.map_err(Received::Failed)
}

#[derive(Debug, Deserialize)]
pub struct DownloadQuery {
    version: Option<i64>,
    /// Shown in the browser instead of saved (PDFs and images only).
    ansicht: Option<u8>,
}

/// The query and the requested version's file, if the clerk's municipality
/// may read the document; shared by downloads and previews so both check
/// exactly the same.
async fn readable_version(
    state: &AppState,
    user: &app::auth::SessionUser,
    document_id: i64,
    query: Result<Query<DownloadQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<(DownloadQuery, app::documents::storage::VersionFile), Box<Response>> {
    let Ok(Query(query)) = query else {
        return Err(Box::new(refuse(
            StatusCode::BAD_REQUEST,
            "invalid",
            "Die angefragte Version ist ungültig.",
        )));
    };
    match service::readable_version(state, user, document_id, query.version).await {
        Ok(file) => Ok((query, file)),
        Err(error) => Err(Box::new(error.into_response())),
    }
}

pub async fn download(
    State(state): State<AppState>,
    Allowed { user, .. }: Allowed<rules::Clerk>,
    address: Option<Extension<ClientAddress>>,
    Path(document_id): Path<i64>,
    query: Result<Query<DownloadQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let (query, file) = match readable_version(&state, &user, document_id, query).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let inline = query.ansicht == Some(1) && file.kind.is_some_and(|k| k.is_inline_previewable());
    let blob = match state.blobs.open(&file.sha256).await {
        Ok(blob) => blob,
        Err(error) => {
            tracing::error!(%error, sha = %file.sha256, "document file missing");
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "missing",
                "Die Datei fehlt im Speicher. Die IT ist informiert; bitte wenden Sie sich an sie.",
            );
        }
    };
    let reading = if inline {
        Reading::View
    } else {
        Reading::Download
    };
    let ip = address.map(|Extension(a)| a.0);
    if service::record_reading(&state, &user, ip, reading, document_id, query.version)
        .await
        .is_err()
    {
        return internal();
    }

    let content_type = match (inline, file.kind) {
        (true, Some(kind)) => kind.mime(),
        _ => "application/octet-stream",
    };
    let disposition = filename::content_disposition(
        if inline {
            Disposition::Inline
        } else {
            Disposition::Attachment
        },
        &file.file_name,
    );
    let mut response = Response::new(Body::from_stream(verified_stream(blob, file.sha256)));
    let headers = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(header::CONTENT_TYPE, content_type);
    set(header::CONTENT_LENGTH, &file.size.to_string());
    set(header::CONTENT_DISPOSITION, &disposition);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::CACHE_CONTROL, "private, no-store");
    if inline {
        // Shown inside the document page, nothing else: no scripts, no
        // requests of its own.
        set(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'",
        );
        set(header::X_FRAME_OPTIONS, "SAMEORIGIN");
    } else {
        set(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox",
        );
    }
    response
}

/// `GET /dokumente/{id}/vorschaubild[?version=N]`: a small PNG of an image
/// document, made once and cached beside the blobs.
pub async fn thumbnail(
    State(state): State<AppState>,
    Allowed { user, .. }: Allowed<rules::Clerk>,
    address: Option<Extension<ClientAddress>>,
    Path(document_id): Path<i64>,
    query: Result<Query<DownloadQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let (query, file) = match readable_version(&state, &user, document_id, query).await {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let Some(kind) = file.kind.filter(|k| k.is_image()) else {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no_thumbnail",
            ThumbnailError::NotAnImage.to_string(),
        );
    };
    let cached = state.blobs.thumbnail_path(&file.sha256);
    let bytes = match tokio::fs::read(&cached).await {
        Ok(bytes) => bytes,
        Err(_) => match render_preview(&state, &file.sha256, kind, &cached).await {
            Ok(bytes) => bytes,
            Err(response) => return *response,
        },
    };
    let ip = address.map(|Extension(a)| a.0);
    if service::record_reading(&state, &user, ip, Reading::View, document_id, query.version)
        .await
        .is_err()
    {
        return internal();
    }
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "private, no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox",
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Renders (and caches) the preview of one blob, within a bounded number
/// of renderings at a time; a failure that will recur is remembered and
/// answered from then on without decoding again.
async fn render_preview(
    state: &AppState,
    sha256: &str,
    kind: FileKind,
    cached: &std::path::Path,
) -> Result<Vec<u8>, Box<Response>> {
    use app::documents::thumbnail;
    let no_preview = |message: String| {
        Box::new(refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "no_thumbnail",
            message,
        ))
    };
    if let Some(message) = thumbnail::remembered_failure(cached).await {
        return Err(no_preview(message));
    }
    let Some(_slot) = state.previews.acquire().await else {
        let mut busy = refuse(StatusCode::SERVICE_UNAVAILABLE, "busy", thumbnail::BUSY);
        busy.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return Err(Box::new(busy));
    };
    // Another request may have finished the same picture while this one
    // waited for its slot.
    if let Ok(bytes) = tokio::fs::read(cached).await {
        return Ok(bytes);
    }
    if let Some(message) = thumbnail::remembered_failure(cached).await {
        return Err(no_preview(message));
    }
    let source = state.blobs.path_of(sha256);
    let made = tokio::task::spawn_blocking(move || {
        thumbnail::render(&source, kind, thumbnail::MAX_PIXELS)
    })
    .await;
    match made {
        Ok(Ok(bytes)) => {
            if let Err(error) = state.blobs.store_thumbnail(sha256, &bytes).await {
                tracing::warn!(%error, "preview could not be cached");
            }
            Ok(bytes)
        }
        Ok(Err(error)) => {
            if let ThumbnailError::Unreadable(detail) = &error {
                tracing::warn!(%detail, sha = %sha256, "preview failed");
            }
            if let Err(io) = thumbnail::remember_failure(cached, &error).await {
                tracing::warn!(error = %io, "preview failure could not be remembered");
            }
            Err(no_preview(error.to_string()))
        }
        Err(error) => {
            tracing::error!(%error, "preview task failed");
            Err(Box::new(internal()))
        }
    }
}

const DOWNLOAD_CHUNK: usize = 64 * 1024;

/// The file's bytes, hashed on the way out. The last chunk is held back
/// until the hash is checked, so a file that no longer matches is never
/// delivered whole: the client sees a failed download instead.
pub(crate) fn verified_stream(
    file: tokio::fs::File,
    expected: String,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    struct Reading {
        file: tokio::fs::File,
        hasher: Sha256,
        expected: String,
        held: Option<Vec<u8>>,
    }
    let start = Reading {
        file,
        hasher: Sha256::new(),
        expected,
        held: None,
    };
    futures_util::stream::unfold(Some(start), |state| async move {
        let mut reading = state?;
        loop {
            let mut buffer = vec![0; DOWNLOAD_CHUNK];
            match reading.file.read(&mut buffer).await {
                Ok(0) => {
                    let actual = hex::encode(reading.hasher.finalize_reset());
                    if actual != reading.expected {
                        tracing::error!(expected = %reading.expected, %actual, "document file changed on disk; download cut off");
                        return Some((
                            Err(std::io::Error::other("stored file does not match its hash")),
                            None,
                        ));
                    }
                    return reading.held.take().map(|last| (Ok(last), None));
                }
                Ok(read) => {
                    buffer.truncate(read);
                    reading.hasher.update(&buffer);
                    if let Some(previous) = reading.held.replace(buffer) {
                        return Some((Ok(previous), Some(reading)));
                    }
                }
                Err(error) => return Some((Err(error), None)),
            }
        }
    })
}
